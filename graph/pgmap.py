"""RDF → property graph: the one mapping from the quads in a store to Neo4j nodes and relationships.

Driven by the ontology (ontology/kg.ttl: classes, sub-classes, declared terms) and by the dataset
format (loaders/schema.py: which record kinds are qualified relations and which direct edge each
one yields). docs/neo4j-mapping.md describes the result for users; in short:

- every IRI that is a subject or the object of a relation becomes a node ``:Resource`` with the
  unique key ``iri`` and one label per ``kg:`` class (plus its ``kg:`` super-classes); classes
  from other vocabularies (``skos:Concept`` …) are kept as IRIs in the list property ``types``;
- literals become properties named by local name, language-tagged ones with the tag as suffix
  (``prefLabel_nb``, ``prefLabel_en``); ``source`` holds the source document's id and ``code``
  the notation or identifier; a key is a list on every node if any node has several values;
- every other triple becomes a relationship typed by the predicate's local name in UPPER_SNAKE
  (``kg:dependsOn`` → ``DEPENDS_ON``); a direct edge that stands for a qualified relation (a
  ``kg:Dependency``, ``kg:ReportingLine`` …) becomes one relationship per qualifying record,
  carrying that record's properties and its IRI in ``relation``. The record stays a node too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

import pyoxigraph as ox

import ontology
from graph.values import to_python
from loaders.sourcefile import per_record
from ontology.terms import KG_NS, PREFIXES, declared, iri, ontology_files

MAPPING_VERSION = 1
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
DERIVED = iri("prov:wasDerivedFrom")
IDENTIFIER, NOTATION = iri("dct:identifier"), iri("skos:notation")
RESERVED = {"iri", "source", "code", "relation", "key", "kg_sync", "types"}
BASE_LABEL = "Resource"


@cache
def subclasses() -> dict[str, frozenset[str]]:
    """kg: class local name → itself and its kg: super-classes (transitively), from the ontology."""
    up: dict[str, set[str]] = defaultdict(set)
    for name in ontology_files():
        for t in ox.parse(ontology.read(name), format=ox.RdfFormat.TURTLE):
            if t.predicate.value == SUBCLASS and t.object.value.startswith(KG_NS):
                up[t.subject.value[len(KG_NS) :]].add(t.object.value[len(KG_NS) :])

    def closure(name: str) -> frozenset[str]:
        seen, todo = {name}, [name]
        while todo:
            for parent in up.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return frozenset(seen)

    return {name: closure(name) for name in set(up) | set(declared())}


@cache
def qualified() -> dict[str, tuple[str, str, str]]:
    """Direct predicate IRI → (qualified class, predicate to the 'from' end, to the 'to' end)."""
    from loaders.schema import KINDS

    out = {}
    for kind in KINDS:
        if kind.direct:
            a, p, b = kind.direct
            fa, fb = kind.by_name[a].prop, kind.by_name[b].prop
            assert fa and fb, kind.cls  # both ends of a direct edge are properties in the schema
            out[iri(p)] = (kind.cls, iri(fa), iri(fb))
    return out


def local_name(term: str) -> str:
    return re.split(r"[#/]", term)[-1]


@cache
def key_for(predicate: str) -> str:
    """Property key / label for a term: its local name, prefixed if a kg: term has that name."""
    local = re.sub(r"\W", "_", local_name(predicate)) or "value"
    if predicate.startswith(KG_NS):
        return local if local not in RESERVED else f"kg_{local}"
    if local in declared() or local in RESERVED:
        prefix = next((p for p, ns in PREFIXES.items() if predicate.startswith(ns)), "ext")
        return f"{prefix}_{local}"
    return local


def rel_type(predicate: str) -> str:
    """``dependsOn`` → ``DEPENDS_ON``, ``org:reportsTo`` → ``REPORTS_TO``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key_for(predicate)).upper()


def literal_key(predicate: str, lang: str) -> str:
    base = key_for(predicate)
    return f"{base}_{lang.lower().replace('-', '_')}" if lang else base


def neo4j_value(value: Any) -> Any:
    """A plain value (from :func:`graph.embedded.to_python`) → one Neo4j can store.

    Neo4j has no decimal type: decimals become floats. Partial dates (``2017-08``) stay strings,
    the same as every other backend returns them.
    """
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        return str(value)
    return value if isinstance(value, bool | int | float | dt.date) else str(value)


@dataclass
class NodeRow:
    iri: str
    labels: tuple[str, ...]
    props: dict[str, Any]


@dataclass
class RelRow:
    type: str
    start: str
    end: str
    key: str  # the qualifying record's IRI, or "" for a plain edge
    props: dict[str, Any]


@dataclass
class PropertyGraph:
    nodes: dict[str, NodeRow] = field(default_factory=dict)
    rels: list[RelRow] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)
    triples: int = 0


def _homogeneous(values: list[Any]) -> list[Any]:
    kinds = {type(v) for v in values}
    return values if len(kinds) <= 1 or kinds <= {int, float} else [str(v) for v in values]


def to_property_graph(quads: Iterable[ox.Quad]) -> PropertyGraph:
    """Map ``quads`` (any store's content) to nodes and relationships, ready for a push."""
    types: dict[str, set[str]] = defaultdict(set)
    lits: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    edges: set[tuple[str, str, str]] = set()
    graphs: set[str] = set()
    triples = 0
    # A graph's kg:sourceFile is a property of each of its records (as when each said it).
    for q in per_record(quads):
        triples += 1
        if isinstance(q.graph_name, ox.NamedNode):
            graphs.add(q.graph_name.value)
        s, p, o = _name(q.subject), q.predicate.value, q.object
        if p == RDF_TYPE:
            types[s].add(_name(o))
        elif isinstance(o, ox.Literal):
            values = lits[s][literal_key(p, o.language or "")]
            value = neo4j_value(to_python(o))
            if value not in values:
                values.append(value)
        else:
            edges.add((s, p, _name(o)))
    multi = {k for props in lits.values() for k, v in props.items() if len(v) > 1}
    pg = PropertyGraph(graphs=sorted(graphs), triples=triples)
    ids = {
        s: props[key_for(IDENTIFIER)][0]
        for s, props in lits.items()
        if props.get(key_for(IDENTIFIER))
    }
    sources: dict[str, list[str]] = defaultdict(list)
    for s, p, target in edges:
        if p == DERIVED:
            sources[s].append(ids.get(target, target))
    for s in sorted(set(types) | set(lits) | {e[0] for e in edges} | {e[2] for e in edges}):
        props: dict[str, Any] = {"iri": s}
        for k, v in lits.get(s, {}).items():
            props[k] = _homogeneous(v) if k in multi else v[0]
        code = props.get(key_for(NOTATION)) or props.get(key_for(IDENTIFIER))
        if code is not None:
            props["code"] = code[0] if isinstance(code, list) else code
        other = sorted(c for c in types.get(s, ()) if not c.startswith(KG_NS))
        if other:
            props["types"] = other
        if sources.get(s):
            props["source"] = sorted(sources[s])[0] if len(sources[s]) == 1 else sorted(sources[s])
        pg.nodes[s] = NodeRow(s, _labels(types.get(s, ())), props)
    pg.rels = _relationships(edges, types, pg.nodes)
    return pg


def _name(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _labels(classes: Iterable[str]) -> tuple[str, ...]:
    out = {BASE_LABEL}
    for c in classes:
        if c.startswith(KG_NS):
            out |= subclasses().get(c[len(KG_NS) :], {c[len(KG_NS) :]})
    return tuple(sorted(out))


def _relationships(
    edges: set[tuple[str, str, str]], types: dict[str, set[str]], nodes: dict[str, NodeRow]
) -> list[RelRow]:
    """One relationship per edge; one per qualifying record for a qualified direct edge."""
    quals: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    ends: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s, p, o in edges:
        ends[(s, p)].append(o)
    for direct, (cls, from_p, to_p) in qualified().items():
        for q, classes in types.items():
            if KG_NS + cls in classes:
                for a in ends.get((q, from_p), ()):
                    for b in ends.get((q, to_p), ()):
                        quals[(a, direct, b)].append(q)
    rels = []
    for s, p, o in sorted(edges):
        for q in sorted(quals.get((s, p, o), [])) or [""]:
            props = (
                {k: v for k, v in nodes[q].props.items() if k not in ("iri", "code", "types")}
                if q
                else {}
            )
            if q:
                props["relation"] = q
            rels.append(RelRow(rel_type(p), s, o, q, props))
    return rels
