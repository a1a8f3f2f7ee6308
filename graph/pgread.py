"""A property-graph store (Neo4j) read back as RDF: the inverse of graph/pgmap.py.

The answers that need SPARQL (the networkx view of graph/netx.py, the what-if's queries in
graph/whatif.py) ask :func:`readable` for a store they can query: a SPARQL store is itself; a
Cypher store gives an in-memory copy of what the last push wrote, rebuilt when another push
has completed. So ``kg impact|whatif`` and the app's impact page answer the same on Neo4j as
on the embedded store and a SPARQL server (tests/test_scenarios_backends.py).

The mapping back: each ``:Resource`` node's ``iri``; its most specific ``kg:`` labels and its
``types`` as ``rdf:type``; each property by the predicate whose key it is (a language suffix
``_nb`` makes a language-tagged literal); each relationship by the predicate whose type it
is, once per (start, type, end). ``code``, ``source`` and the push's bookkeeping are derived
and left out (``source`` is also a ``WAS_DERIVED_FROM`` relationship).
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

import ontology
from graph.pgmap import BASE_LABEL, RDF_TYPE, key_for, rel_type
from graph.store import Limits, Store, open_store
from ontology.terms import KG_NS, PREFIXES, ontology_files

if TYPE_CHECKING:
    from graph.neo4jrdf import Neo4jReplica

PARTIAL = ((re.compile(r"\d{4}"), "gYear"), (re.compile(r"\d{4}-\d{2}"), "gYearMonth"))
SKIP = {"iri", "code", "source", "kg_sync", "types", "relation", "key"}
XSD = "http://www.w3.org/2001/XMLSchema#"
BIG = Limits(seconds=600, rows=50_000_000)
NODES = "MATCH (n:Resource) RETURN n.iri, labels(n), properties(n)"
RELS = "MATCH (a:Resource)-[r]->(b:Resource) RETURN DISTINCT a.iri, type(r), b.iri"


@cache
def _predicates() -> tuple[dict[str, str], dict[str, str]]:
    """(property key → predicate IRI, relationship type → predicate IRI) for every predicate
    the ontology and the loaders name; an unknown key is taken as a ``kg:`` term."""
    pattern = re.compile(r"\b(" + "|".join(PREFIXES) + r"):([A-Za-z][A-Za-z0-9_]*)")
    texts = [ontology.read(name) for name in ontology_files()]
    texts += [
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).parent.parent / "loaders").glob("*.py")
    ]
    iris = {PREFIXES[p] + local for text in texts for p, local in pattern.findall(text)}
    # Properties only: a class (kg:Organization) would take a relationship type (org:organization)
    keys = {
        key_for(i): i
        for i in sorted(iris)
        if i != RDF_TYPE and re.split(r"[#/]", i)[-1][:1].islower()
    }
    return keys, {rel_type(i): i for i in keys.values()}


def _key_iri(key: str) -> tuple[str, str]:
    """(predicate IRI, language) of a property key."""
    keys, _ = _predicates()
    if key in keys:
        return keys[key], ""
    base, _, lang = key.rpartition("_")
    if base and 2 <= len(lang) <= 3 and lang.isalpha() and lang.islower():
        return _key_iri(base)[0], lang
    return KG_NS + (key[3:] if key.startswith("kg_") else key), ""


def _rel_iri(typ: str) -> str:
    _, rels = _predicates()
    if typ in rels:
        return rels[typ]
    first, *rest = typ.lower().split("_")
    return KG_NS + first + "".join(w[:1].upper() + w[1:] for w in rest)


def _term(iri: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(iri[2:]) if iri.startswith("_:") else ox.NamedNode(iri)


@cache
def _dated() -> frozenset[str]:
    """The predicates of date columns (loaders/schema.py): a partial date there is a gYear or
    gYearMonth, which Neo4j keeps as a string."""
    from loaders.schema import KINDS

    out = set()
    for kind in KINDS:
        for c in kind.columns:
            if c.type == "date" and c.prop:
                prefix, _, local = c.prop.rpartition(":")  # a bare name is a kg: term
                out.add(PREFIXES.get(prefix, KG_NS) + local)
    return frozenset(out)


def _literal(value: Any, lang: str, dated: bool = False) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):  # Neo4j has no decimals: pgmap wrote them as floats
        text = format(Decimal(repr(value)).normalize(), "f")
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    text = str(value)
    for pattern, typ in PARTIAL:  # partial dates stay strings in Neo4j (graph/pgmap.py)
        if dated and pattern.fullmatch(text):
            return ox.Literal(text, datatype=ox.NamedNode(XSD + typ))
    return ox.Literal(text)


def quads(store: Store) -> Iterator[ox.Quad]:
    """Everything a property-graph ``store`` holds, as quads (in the one graph of its last push,
    else the default graph)."""
    graphs = store.graphs()
    g: ox.NamedNode | ox.DefaultGraph = (
        ox.NamedNode(graphs[0]) if len(graphs) == 1 else ox.DefaultGraph()
    )
    rdf_type = ox.NamedNode(RDF_TYPE)
    for iri, labels, props in store.query(NODES, None, BIG).rows:
        if not iri:
            continue
        s = _term(str(iri))
        for lb in sorted(set(labels or []) - {BASE_LABEL}):
            yield ox.Quad(s, rdf_type, ox.NamedNode(KG_NS + lb), g)
        for t in props.get("types") or []:
            yield ox.Quad(s, rdf_type, ox.NamedNode(str(t)), g)
        for key, value in props.items():
            if key in SKIP:
                continue
            p, lang = _key_iri(key)
            for v in value if isinstance(value, list) else [value]:
                yield ox.Quad(s, ox.NamedNode(p), _literal(v, lang, p in _dated()), g)
    for a, typ, b in store.query(RELS, None, BIG).rows:
        if a and b:
            yield ox.Quad(_term(str(a)), ox.NamedNode(_rel_iri(str(typ))), _term(str(b)), g)


# One copy per store object, with the push it was read from (dropped with the store).
_REPLICAS: weakref.WeakKeyDictionary[Store, Neo4jReplica] = weakref.WeakKeyDictionary()
_COPIES: weakref.WeakKeyDictionary[Store, tuple[Any, Store]] = weakref.WeakKeyDictionary()


def readable(store: Store) -> Store:
    """A store the SPARQL of the answers can query: ``store`` itself when it speaks SPARQL,
    else an in-memory copy of it (made again when another push has completed)."""
    if store.language == "sparql":
        return store
    # here, not at the top: graph.neo4j imports the Neo4j driver, which a one-shot command on
    # another backend must not pay for (tests/test_startup.py)
    from graph.neo4j import Neo4jStore
    from graph.neo4jrdf import Neo4jReplica, state

    if isinstance(store, Neo4jStore) and state(store)[0]:
        # A push stored the RDF itself beside the property graph (graph/neo4jrdf.py): the
        # replica has it exactly, named graphs and the edits since included. The mapping back
        # below serves a property graph pushed without it.
        replica = _REPLICAS.get(store)
        if replica is None:
            replica = _REPLICAS[store] = Neo4jReplica(store)
        else:
            replica.sync()
        return replica
    stamp = store.push_state().get("sync") if hasattr(store, "push_state") else None
    found = _COPIES.get(store)
    if found is not None and found[0] == stamp:
        return found[1]
    copy = open_store("memory")
    copy.replace([], quads(store))
    _COPIES[store] = (stamp, copy)
    return copy
