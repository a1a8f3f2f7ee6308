"""Shared building blocks of the page builders in :mod:`graph.answers`.

The query limits and node-kind sets every page uses; the localised networkx view
(:func:`graph_for`) and how nodes are found and named in it (:func:`find_node`, :func:`name`,
:func:`code`, :func:`kind`, :func:`node_options`); source references; small text helpers
(:func:`natural`, ``_date_text``, ``_short``); and :class:`Link`, one drawn edge with what
explains it, shared by the explorer, the what-if pages and the graph drawing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import networkx as nx

from graph.analysis import PROJECT_KINDS as PROJECT_KINDS  # re-exported for the answers
from graph.netx import cached, to_networkx, walk_by_file
from graph.output import short
from graph.store import IRI, Limits, Store
from graph.viewpatch import follow, narrowed
from graph.viewquery import ViewQuery

BIG = Limits(seconds=60, rows=1_000_000)


def scaled(size: int) -> Limits:
    """:data:`BIG` grown with a graph of ``size`` triples beyond a million: for the whole-graph
    queries a load's view building runs once, where nobody waits on a page. A fixed 60 s
    stopped the status query of a 10M load at 8.6M triples on a busy machine, so its views
    were never built; the time such a query takes grows with the graph."""
    factor = max(1.0, size / 1_000_000)
    return Limits(seconds=BIG.seconds * factor, rows=int(BIG.rows * factor))


LANGS = ("nb", "en")


ORG_KINDS = {
    "Organization",
    "Municipality",
    "County",
    "Company",
    "InterMunicipalCooperation",
    "StateAgency",
    "OrganizationalUnit",
}


SDG_KINDS = {"SDGGoal", "SDGTarget", "SDGIndicator"}


DEFAULT_MAX_NODES = 300


LABELS = ViewQuery(
    "common.labels",
    """
SELECT ?s ?l (LANG(?l) AS ?lg) ?p WHERE {
  { ?s skos:prefLabel ?l BIND(1 AS ?p) } UNION { ?s foaf:name ?l BIND(1 AS ?p) }
  UNION { ?s a kg:SourceDocument ; dct:title ?l BIND(2 AS ?p) }
}
""",
)


SOURCES = ViewQuery(
    "common.sources",
    "SELECT ?s ?src ?loc WHERE { ?s prov:wasDerivedFrom ?src . OPTIONAL { ?s kg:locator ?loc } }",
)


NOTATIONS = ViewQuery("common.notations", "SELECT ?s ?n WHERE { ?s skos:notation ?n }")


def _rank(tag: str, lang: str) -> int:
    tag = (tag or "").lower()
    if tag == lang or tag.startswith(lang + "-"):
        return 0
    return {"": 1, "nb": 2, "nn": 3, "no": 3, "en": 4}.get(tag.split("-")[0], 5)


def _rows(store: Store, query: ViewQuery, only: Collection[str] | None) -> list[Any]:
    if only is None:
        return query.run(store, None, BIG).rows
    return store.query(narrowed(query.text, "s", only), None, BIG).rows


def best_labels(store: Store, lang: str, only: Collection[str] | None = None) -> dict[str, str]:
    """IRI → label in ``lang``, falling back to an untagged, Norwegian, English or any label
    (for the IRIs in ``only`` if given)."""
    best: dict[str, tuple[int, str]] = {}
    for s, label, tag, prio in _rows(store, LABELS, only):
        key = (_rank(tag, lang) + 10 * (int(prio) - 1), str(label))
        if s not in best or key < best[s]:
            best[s] = key
    return {s: v[1] for s, v in best.items()}


def graph_for(store: Store, lang: str = "nb") -> nx.MultiDiGraph[str]:
    """The networkx view with every node labelled in ``lang`` where the data has it.

    :func:`graph.netx.to_networkx` labels only nodes with a label in ``lang``; here the others
    get their label in the dataset's language rather than a bare code. Node attribute
    ``source`` holds the source document and locator of the record a node came from. On a
    store that logs its edits (Neo4j) the view of the last call is patched with the edits
    since (:mod:`graph.viewpatch`) instead of built again.
    """

    def build() -> nx.MultiDiGraph[str]:
        # its pickle written aside (a forked child) during kg load: it reads nothing from the store
        g = cached(store, f"labelled-{lang}", lambda: _labelled(store, lang), keep_aside=True)
        walk_by_file(store, g, lang)  # the same edges as to_networkx's view: its carrying links
        return g

    return cast("nx.MultiDiGraph[str]", follow(store, lang, build, label_nodes))


def _labelled(store: Store, lang: str) -> nx.MultiDiGraph[str]:
    g = to_networkx(store, lang)
    label_nodes(store, lang, g.nodes)
    return g


def label_nodes(
    store: Store, lang: str, nodes: Mapping[str, dict[str, Any]], only: bool = False
) -> None:
    """Give ``nodes`` (IRI → attributes) their label in ``lang``, ``source`` and ``notation``;
    with ``only`` the queries are narrowed to those nodes (a patch, not a whole view)."""
    some = list(nodes) if only else None
    for s, label in best_labels(store, lang, some).items():
        if s in nodes:
            nodes[s]["label"] = label
    for s, src, loc in _rows(store, SOURCES, some):
        if s in nodes and "source" not in nodes[s]:
            nodes[s]["source"] = (src, loc)
    for s, n in _rows(store, NOTATIONS, some):
        if s in nodes:
            nodes[s]["notation"] = str(n)


def find_node(g: nx.MultiDiGraph[str], key: str, kinds: Iterable[str] | None = None) -> str | None:
    """A node by IRI, code, id or exact label (case-insensitive), optionally of given kinds."""
    if key in g:
        return key
    wanted = set(kinds) if kinds else None
    k = key.strip().lower()
    hits = []
    for n, d in g.nodes(data=True):
        if wanted and d.get("kind") not in wanted:
            continue
        for rank, v in enumerate((d.get("notation"), d.get("code"), d.get("id"), d.get("label"))):
            if v is not None and str(v).lower() == k:
                hits.append((rank, str(n)))
    return min(hits)[1] if hits else None


def name(g: nx.MultiDiGraph[str], n: str) -> str:
    """How a node is named in tables: a project with its code, others by label."""
    if n not in g:
        return short(IRI(n)) if n else ""
    d = g.nodes[n]
    label = str(d.get("label") or d.get("code") or short(IRI(n)))
    notation = d.get("notation")
    if d.get("kind") in PROJECT_KINDS and notation and notation not in label:
        return f"{notation} {label}"
    return label


def code(g: nx.MultiDiGraph[str], n: str) -> str:
    """A short handle: the code of a project, SDG or KPI, else the label."""
    if n not in g:
        return short(IRI(n))
    d = g.nodes[n]
    if d.get("notation"):
        return str(d["notation"])
    if d.get("kind") == "KPI" and d.get("code"):
        return str(d["code"])
    return str(d.get("label") or d.get("code") or short(IRI(n)))


def handle(g: nx.MultiDiGraph[str], n: str) -> str:
    """The identifier a planner types back (``A4``, ``program``, ``d-ikt``): the node's code
    in the data, else its label. Answers use it for their ``code`` and ``path`` columns."""
    d = g.nodes[n] if n in g else {}
    return str(d.get("code") or d.get("label") or short(IRI(n)))


def handle_path(g: nx.MultiDiGraph[str], path: Iterable[str]) -> str:
    return " → ".join(handle(g, n) for n in path)


def kind(g: nx.MultiDiGraph[str], n: str) -> str:
    return str(g.nodes[n].get("kind", "other")) if n in g else "other"


def node_options(g: nx.MultiDiGraph[str], kinds: Iterable[str] | None = None) -> list[str]:
    """Nodes of ``kinds`` (all planner-facing kinds if None), sorted for a picker."""
    wanted = set(kinds) if kinds else None
    skip = {"SDGIndicator", "Ambiguity", "BudgetLine", "SourceDocument"}
    out = [
        n
        for n, d in g.nodes(data=True)
        if (d.get("kind") in wanted if wanted else d.get("kind") not in skip)
    ]

    def key(n: str) -> tuple[Any, ...]:
        d = g.nodes[n]
        k = d.get("kind", "")
        order = 0 if k in PROJECT_KINDS else 1
        c = str(d.get("code") or "")
        natural = (
            [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", c)]
            if k in PROJECT_KINDS | SDG_KINDS
            else []
        )
        return (order, k if order else "", natural, name(g, n).lower())

    return sorted(out, key=key)


def source_text(g: nx.MultiDiGraph[str], document: str | None, locator: str | None) -> str:
    """``S000 L1857-1860``: the source document's id and the place in it."""
    if not document:
        return ""
    doc = g.nodes[document].get("id") if document in g else None
    return " ".join(x for x in (str(doc or short(IRI(document))), locator or "") if x)


def source_title(g: nx.MultiDiGraph[str], document: str | None) -> str:
    return str(g.nodes[document].get("label") or "") if document and document in g else ""


def natural(s: str) -> list[Any]:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", s or "")]


def _date_text(v: Any) -> str:
    if v is None:
        return ""
    return v.isoformat() if isinstance(v, dt.date) else str(v)


@dataclass
class Link:
    """One drawn edge with what explains it."""

    source: str
    target: str
    predicate: str
    type: str | None
    criticality: str | None
    rationale: str | None
    document: str | None
    locator: str | None
    depth: int
    path: tuple[str, ...]
    certainty: str = "stated"  # stated / interpreted / external (graph/certainty.py)
    certainty_reason: str = ""


def _short(s: str, n: int = 42) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
