"""The networkx view kept up to date edit by edit, instead of built again after every save.

On a server store every app process holds the labelled networkx view (:func:`graph_for`) and,
until this module, built it again from the whole graph whenever another process saved (8 s at
100k triples). An edit touches one record, so only a few nodes and their edges change. A store
that can say which quads the edits since a version took away and added (``edits_since``:
:class:`graph.neo4jrdf.Neo4jReplica`) gets its view patched instead (:func:`patch`):

- **touched** (:func:`touched`): the subjects of those quads, and the two nodes of the edge a
  record among them qualifies or gives (a dependency's two projects), before and after, even
  when only its rationale moved;
- each touched node is read again (the same queries as the full build, narrowed with
  ``VALUES``): kept, changed, added or dropped;
- every edge that starts or ends at a touched node is dropped and read again, with its
  qualifying record and its certainty (graph/certainty.py).

What a full build would give for anything else cannot change, since every attribute of a node
comes from quads whose subject is that node, and every edge from quads whose subject is its
start or a record naming both ends. Two things break that, and then the view is built again:
a change of a source document's type (the certainty of every record derived from it moves),
and a blank node (it has no name to narrow a query with). So does an edit touching more than
:data:`MAX_TOUCHED` nodes (a reading at that size costs as much as a build).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import pyoxigraph as ox

from graph import certainty, propagation
from graph.netx import (
    EDGES,
    NODES,
    PREFERENCE,
    QUALIFIED,
    QUALIFIERS,
    RELATION_CLASSES,
    SKIP_PREDICATES,
    _local,
    add_relation,
    as_date,
)
from graph.store import Limits, Store
from ontology.terms import KG

BIG = Limits(seconds=60, rows=1_000_000)
MAX_TOUCHED = 2000
GLOBAL_PREDICATES = {KG["documentType"]}  # their effect reaches past the nodes they name

_lock = threading.Lock()  # one patch at a time: the base view is changed in place
_bases: weakref.WeakKeyDictionary[Store, dict[str, tuple[str, Any]]] = weakref.WeakKeyDictionary()


# graph.answers.common.label_nodes: labels, sources and notations of some nodes (narrowed: True)
Label = Callable[[Store, str, dict[str, dict[str, Any]], bool], None]


def follow(store: Store, lang: str, build: Callable[[], Any], label: Label) -> Any:
    """``build()``, or, on a store that logs its edits, the last view built for it patched with
    the edits since. The base kept here is never handed out: every call returns a new object."""
    since = getattr(store, "edits_since", None)
    if since is None:
        return build()
    with _lock:
        version = str(getattr(store, "version", ""))
        views = _bases.setdefault(store, {})
        kept = views.pop(lang, None)  # out while patched: a failure leaves no half-done base
        if kept is not None:
            old, g = kept
            delta = since(old) if old != version else ([], [])
            if delta is not None and patch(store, g, delta[0], delta[1], lang, label):
                views[lang] = (version, g)
                return g.copy()
        g = build()
        views[lang] = (version, g.copy())
        return g


@cache
def end_predicates() -> frozenset[str]:
    """The predicates from a record to the two nodes of the edge it qualifies or gives (a
    dependency's ``kg:dependent`` and ``kg:dependee`` …): a change of the record changes that
    edge, which is an edge of those nodes."""
    from loaders.schema import KINDS
    from ontology.terms import iri

    out = {KG[x] for _, f, t in QUALIFIED.values() for x in (f, t)}
    for kind in KINDS:
        if kind.direct:
            a, _, b = kind.direct
            out |= {iri(str(kind.by_name[x].prop)) for x in (a, b)}
    return frozenset(out)


def touched(store: Store, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> set[str] | None:
    """The IRIs whose nodes and edges an edit may have changed; None if it cannot be patched.

    The subjects of the quads (a node's attributes and its own edges come from quads about it),
    and the nodes at the ends of a record among them (:func:`end_predicates`), before and after.
    Not the objects otherwise: a node's attributes do not depend on what points at it, and the
    edge to it is an edge of the subject. So a project's program or a record's source document,
    which may have thousands of edges, is not read again because one of them changed."""
    ends = end_predicates()
    subjects: set[str] = set()
    out: set[str] = set()
    for q in [*removed, *added]:
        if q.predicate.value in GLOBAL_PREDICATES:
            return None
        if not isinstance(q.subject, ox.NamedNode) or isinstance(q.object, ox.BlankNode):
            return None  # a blank node (or a quoted triple) has no name to narrow a query with
        subjects.add(q.subject.value)
        if q.predicate.value in ends and isinstance(q.object, ox.NamedNode):
            out.add(q.object.value)
    out |= subjects
    for s in subjects:
        for q in store.quads(ox.NamedNode(s), None, None, None):
            if q.predicate.value in ends and isinstance(q.object, ox.NamedNode):
                out.add(q.object.value)
        if len(out) > MAX_TOUCHED:
            return None
    return out if len(out) <= MAX_TOUCHED else None


def narrowed(text: str, var: str, iris: Iterable[str]) -> str:
    """A view query's ``text`` for only the IRIs ``iris`` bound to ``?var``."""
    head, tail = text.split("WHERE {", 1)
    return f"{head}WHERE {{ {certainty.values_block(var, iris)}{tail}"


def patch(
    store: Store,
    g: Any,
    removed: Iterable[ox.Quad],
    added: Iterable[ox.Quad],
    lang: str,
    label: Label,
) -> bool:
    """Bring ``g`` (the labelled view before the edits) to what :func:`graph_for` would build
    from ``store`` now, in place; False (``g`` unchanged) if this edit needs a full build."""
    nodes = touched(store, removed, added)
    if nodes is None:
        return False
    if not nodes:
        return True
    _patch_nodes(store, g, nodes, lang, label)
    _patch_edges(store, g, nodes)
    propagation.forget(g)  # changed in place: walked by its new edges, not an old index or file
    return True


def _patch_nodes(store: Store, g: Any, nodes: set[str], lang: str, label: Label) -> None:
    """Read every touched node again as graph.netx._build and graph.answers.common._labelled do."""
    fresh: dict[str, dict[str, Any]] = {}
    kinds: dict[str, list[str]] = {}
    rows = store.query(narrowed(NODES.text, "s", nodes), {"lang": lang}, BIG).rows
    for s, kind, name, code, ident, start, end, date, status, mtype in rows:
        kinds.setdefault(s, []).append(kind)
        if s in fresh:
            continue
        fresh[s] = {
            "label": name or code or ident or _local(s),
            "code": code or ident,
            "id": ident,
            "start": as_date(start, end=False),
            "end": as_date(end),
            "date": as_date(date),
            **({"status": status} if status else {}),
            **({"mtype": mtype} if mtype else {}),
        }
    for s, ks in kinds.items():
        ranked = sorted(
            ks, key=lambda k: PREFERENCE.index(k) if k in PREFERENCE else len(PREFERENCE)
        )
        fresh[s]["kind"] = ranked[0]
    fresh = {s: d for s, d in fresh.items() if d["kind"] not in RELATION_CLASSES}
    label(store, lang, fresh, True)  # the labelled view's labels, sources and notations
    for s in nodes:
        if s not in fresh:
            if s in g:
                g.remove_node(s)
        elif s in g:
            g.nodes[s].clear()
            g.nodes[s].update(fresh[s])
        else:
            g.add_node(s, **fresh[s])


def _patch_edges(store: Store, g: Any, nodes: set[str]) -> None:
    """Drop every edge at a touched node and read them again, qualified and graded."""
    from graph.propagation import typed_predicates

    ends = [n for n in nodes if n in g]
    g.remove_edges_from(
        [
            (u, v, k)
            for n in ends
            for u, v, k in [*g.out_edges(n, keys=True), *g.in_edges(n, keys=True)]
        ]
    )
    if not ends:
        return
    triples: set[tuple[Any, ...]] = set()
    for var in ("s", "o"):
        triples |= {tuple(r) for r in store.query(narrowed(EDGES.text, var, ends), None, BIG).rows}
    qualified: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for var in ("from", "to"):
        rows = store.query(narrowed(QUALIFIERS.text, var, ends), None, BIG).rows
        mine = [r for r in rows if r[0] not in seen]
        seen |= {r[0] for r in mine}
        for row in mine:
            add_relation(qualified, row)
    typed = typed_predicates()
    new: list[tuple[str, str, str]] = []
    for s, p, o in triples:
        pred = _local(p)
        if pred in SKIP_PREDICATES or pred in typed or s not in g or o not in g:
            continue
        found = qualified.get((s, pred, o))
        if found:
            for attrs in found:
                key = f"{pred}:{_local(attrs['relation'])}"
                g.add_edge(s, o, key=key, predicate=pred, **attrs)
                new.append((s, o, key))
        else:
            g.add_edge(s, o, key=pred, predicate=pred)
            new.append((s, o, pred))
    edges = [(u, v, g.edges[u, v, k]) for u, v, k in new]
    direct = certainty._direct_records(store, BIG, ends)
    behind = {d["relation"] for _, _, d in edges if d.get("relation")}
    behind |= {r for rs in direct.values() for r in rs}
    known = certainty.records(
        store, BIG, set(ends) | behind | {u for u, _, _ in edges} | {v for _, v, _ in edges}
    )
    certainty.grade(edges, known, direct)
