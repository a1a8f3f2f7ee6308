"""Drawing the answers: a :class:`graph.render.GraphSpec` (vis-network) from nodes and links
of the networkx view (:func:`spec_from`), with tooltips and parallel edges merged into one;
the graphs of the explorer, impact and what-if, governance, SDG trace and query console
pages; and :func:`aggregate`, which folds a graph over a node limit.

Pure presentation, no Streamlit: it sits next to the app's pages, above :mod:`graph.answers`
(which holds the rows and says nothing about drawing).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import networkx as nx

from graph.answers.aggregation import group_key
from graph.answers.common import (
    DEFAULT_MAX_NODES,
    Link,
    _date_text,
    _short,
    kind,
    name,
    source_text,
    source_title,
)
from graph.answers.governing import GOVERNANCE_EDGES, governance, governance_levels, levels
from graph.answers.sdg import Trace
from graph.output import short
from graph.render import GEdge, GNode, GraphSpec
from graph.store import IRI, Result


def _tooltip(g: nx.MultiDiGraph, n: str, kind_name: str) -> str:
    d = g.nodes[n]
    lines = [name(g, n), kind_name]
    if d.get("start") or d.get("end"):
        lines.append(f"{_date_text(d.get('start'))} – {_date_text(d.get('end'))}")
    if d.get("date"):
        lines.append(_date_text(d.get("date")))
    if d.get("source"):
        doc, loc = d["source"]
        lines.append(source_text(g, doc, loc))
    return "\n".join(x for x in lines if x)


def spec_from(
    g: nx.MultiDiGraph,
    nodes: Iterable[str],
    links: Iterable[Link | tuple],
    *,
    starts: Iterable[str] = (),
    level: dict[str, int] | None = None,
    kind_names: dict[str, str] | None = None,
    relation_names: dict[str, str] | None = None,
) -> GraphSpec:
    """A :class:`GraphSpec` for nodes and links of the networkx view.

    ``links`` are :class:`Link` or ``(source, target, predicate)`` tuples; ``kind_names`` and
    ``relation_names`` translate kinds and predicates/types for legends and tooltips.
    """
    kind_names = kind_names or {}
    relation_names = relation_names or {}
    starts = set(starts)
    spec = GraphSpec()
    for n in nodes:
        if n not in g:
            continue
        k = kind(g, n)
        spec.nodes.append(
            GNode(
                n,
                _short(name(g, n)),
                k,
                _tooltip(g, n, kind_names.get(k, k)),
                (level or {}).get(n),
                n in starts,
            )
        )
    present = {x.id for x in spec.nodes}
    for k in links:
        if isinstance(k, Link):
            u, v, pred = k.source, k.target, k.predicate
            rel = relation_names.get(k.type or "", "") or relation_names.get(pred, pred)
            lines = [f"{name(g, u)} → {rel} → {name(g, v)}"]
            if k.criticality:
                lines.append(
                    relation_names.get("criticality", "criticality")
                    + ": "
                    + relation_names.get(k.criticality, k.criticality)
                )
            if k.rationale:
                lines.append(f"«{k.rationale}»")
            src = source_text(g, k.document, k.locator)
            if src:
                title = source_title(g, k.document)
                lines.append(
                    f"{relation_names.get('source', 'source')}: {src}"
                    + (f" – {title}" if title else "")
                )
            if k.certainty != "stated":  # an interpretation (or outside fact) says so, and why
                lines.append(
                    relation_names.get(k.certainty, k.certainty)
                    + (f": {k.certainty_reason}" if k.certainty_reason else "")
                )
            spec.edges.append(
                GEdge(
                    u,
                    v,
                    rel,
                    "\n".join(lines),
                    dashes=(k.type in ("refers_to", "guided_by") or k.certainty == "interpreted"),
                    width=3
                    if k.criticality == "primary"
                    else 1.5
                    if k.criticality == "high"
                    else 1,
                )
            )
        else:
            u, v, pred = k[:3]
            rel = relation_names.get(pred, pred)
            sure, why = _certainty(g, u, v, pred)
            lines = [f"{name(g, u)} → {rel} → {name(g, v)}"]
            if sure != "stated":
                lines.append(relation_names.get(sure, sure) + (f": {why}" if why else ""))
            spec.edges.append(GEdge(u, v, rel, "\n".join(lines), dashes=sure == "interpreted"))
        if u not in present or v not in present:
            spec.edges.pop()
    spec.edges = _merge_parallel(spec.edges)
    return spec


def _certainty(g: nx.MultiDiGraph, u: str, v: str, pred: str) -> tuple[str, str]:
    """The certainty of the surest ``pred`` edge u → v in the view (stated if there is none)."""
    found = [d for d in (g.get_edge_data(u, v) or {}).values() if d.get("predicate") == pred]
    if not found:
        return "stated", ""
    order = ("stated", "external", "interpreted")
    best = min(found, key=lambda d: order.index(d.get("certainty", "stated")))
    return best.get("certainty", "stated"), best.get("certainty_reason", "")


def _merge_parallel(edges: list[GEdge]) -> list[GEdge]:
    """One drawn edge per ordered pair of nodes: parallel relations are listed in its tooltip."""
    merged: dict[tuple[str, str], list[GEdge]] = {}
    for e in edges:
        merged.setdefault((e.source, e.target), []).append(e)
    out = []
    for (u, v), es in merged.items():
        if len(es) == 1:
            out.append(es[0])
            continue
        labels = list(dict.fromkeys(e.label for e in es))
        label = labels[0] if len(labels) == 1 else f"{labels[0]} +{len(labels) - 1}"
        title = "\n\n".join(e.title for e in es)
        out.append(
            GEdge(
                u,
                v,
                f"{label} ×{len(es)}",
                title,
                all(e.dashes for e in es),
                max(e.width for e in es),
            )
        )
    return out


def aggregate(
    spec: GraphSpec,
    g: nx.MultiDiGraph,
    max_nodes: int = DEFAULT_MAX_NODES,
    system_domain: dict[str, str] | None = None,
    kind_names: dict[str, str] | None = None,
) -> GraphSpec:
    """Fold a graph over ``max_nodes`` into groups (by project, body, domain, goal, else kind).

    Start nodes stay as they are. Groups get a label with their size; parallel edges between
    two groups become one edge whose width grows with their number. If the groups are still
    too many, they are folded by kind.
    """
    if len(spec.nodes) <= max_nodes:
        return spec
    kind_names = kind_names or {}

    def fold(keyfn) -> GraphSpec:
        members: dict[str, list[GNode]] = defaultdict(list)
        where: dict[str, str] = {}
        for n in spec.nodes:
            key = n.id if n.start else keyfn(n)
            members[key].append(n)
            where[n.id] = key
        out = GraphSpec(aggregated_from=len(spec.nodes))
        for key, ms in members.items():
            if len(ms) == 1 and ms[0].id == key:
                out.nodes.append(ms[0])
                continue
            rep = next((m for m in ms if m.id == key), None)
            if key.startswith("kind:"):
                k = key[5:]
                label = f"{kind_names.get(k, k)} ({len(ms)})"
            else:
                k = rep.kind if rep else kind(g, key)
                label = f"{_short(name(g, key), 34)} (+{len(ms) - (1 if rep else 0)})"
            titles = sorted({m.label for m in ms})
            tip = "\n".join(titles[:25]) + (f"\n… +{len(titles) - 25}" if len(titles) > 25 else "")
            levels = [m.level for m in ms if m.level is not None]
            out.nodes.append(
                GNode(key, label, k, tip, min(levels) if levels else None, False, len(ms))
            )
        counted: Counter = Counter()
        sample: dict[tuple[str, str], GEdge] = {}
        for e in spec.edges:
            a, b = where.get(e.source), where.get(e.target)
            if a is None or b is None or a == b:
                continue
            counted[(a, b)] += 1
            sample.setdefault((a, b), e)
        for (a, b), c in counted.items():
            e = sample[(a, b)]
            out.edges.append(
                GEdge(
                    a,
                    b,
                    e.label if c == 1 else f"{e.label} ×{c}",
                    e.title if c == 1 else f"{c} ×\n{e.title}",
                    e.dashes,
                    min(6.0, 1 + c / 2),
                )
            )
        return out

    folded = fold(lambda n: group_key(g, n.id, system_domain) if n.id in g else f"kind:{n.kind}")
    if len(folded.nodes) > max_nodes:
        folded = fold(lambda n: f"kind:{n.kind}")
    return folded


def result_spec(g: nx.MultiDiGraph, result: Result) -> GraphSpec:
    """A query result as a graph: triples (subject, predicate, object) as edges, or for a
    table, an edge between each pair of neighbouring IRI columns in a row."""
    spec = GraphSpec()
    seen_nodes: dict[str, GNode] = {}

    def node(v: str) -> str:
        if v not in seen_nodes:
            label = name(g, v) if v in g else short(IRI(v))
            seen_nodes[v] = GNode(v, _short(label), kind(g, v), f"{label}\n{v}")
        return v

    cols = result.columns
    seen_edges = set()
    if cols == ["subject", "predicate", "object"]:
        for s, p, o in result.rows:
            if isinstance(s, IRI) and isinstance(o, IRI) and (s, p, o) not in seen_edges:
                seen_edges.add((s, p, o))
                spec.edges.append(GEdge(node(s), node(o), short(IRI(p)), short(IRI(p))))
    else:
        for row in result.rows:
            iris = [(c, v) for c, v in zip(cols, row, strict=True) if isinstance(v, IRI)]
            for (ca, a), (cb, b) in zip(iris, iris[1:], strict=False):
                if a != b and (a, b, cb) not in seen_edges:
                    seen_edges.add((a, b, cb))
                    spec.edges.append(GEdge(node(a), node(b), cb, f"{ca} → {cb}"))
            if len(iris) == 1:
                node(iris[0][1])
    spec.nodes = list(seen_nodes.values())
    return spec


def governance_spec(
    g: nx.MultiDiGraph,
    with_projects: bool = True,
    with_people: bool = False,
    highlight: Iterable[str] = (),
    **names,
) -> GraphSpec:
    nodes, edges = governance(g, with_projects, with_people)
    return spec_from(
        g, nodes, edges, starts=highlight, level=governance_levels(nodes, edges), **names
    )


def chain_spec(g: nx.MultiDiGraph, project: str, chain: list[dict], **names) -> GraphSpec:
    """The accountability chain of ``project`` (rows of :func:`accountability`) as a graph."""
    nodes = [project] + [r["node"] for r in chain if r["role"] != "mandate"]
    nodes = list(dict.fromkeys(n for n in nodes if n in g))
    keep = set(nodes)
    preds = set(GOVERNANCE_EDGES) | {"projectLeader", "decidedBy", "memberOf"}  # board members
    edges = sorted(
        {
            (u, v, d["predicate"])
            for u in nodes
            for _, v, d in g.out_edges(u, data=True)
            if v in keep and d["predicate"] in preds
        }
    )
    for r in chain:  # the mandate's decider decided over the project
        if r["role"] == "mandate_decided_by" and r["node"] in keep:
            edges.append((project, r["node"], "mandateDecidedBy"))
    return spec_from(
        g, nodes, edges, starts=[project], level=governance_levels(nodes, edges), **names
    )


def scenario_spec(
    g: nx.MultiDiGraph, start: str, paths: Iterable[Sequence[str]], **names
) -> GraphSpec:
    """The graph of a slip: how the delay travels along each path (node after node) to each
    late project and milestone."""
    edges, level = [], {start: 0}
    for path in paths:
        for i, (a, b) in enumerate(zip(path, path[1:], strict=False)):
            edges.append((a, b, "atRisk" if kind(g, b) == "Milestone" else "delays"))  # a delays b
            level[b] = min(level.get(b, 99), i + 1)
    edges = list(dict.fromkeys(edges))
    nodes = list(dict.fromkeys([start] + [x for e in edges for x in e[:2]]))
    return spec_from(g, nodes, edges, starts=[start], level=level, **names)


def why_spec(
    g: nx.MultiDiGraph, start: str, links: Iterable[Sequence[tuple[str, str, str]]], **names
) -> GraphSpec:
    """The start and what it reaches, drawn along each row's why-path (``(from, to, relation)``
    hops), every node at the depth it is first reached."""
    edges, level = [], {start: 0}
    for hops in links:
        for i, (a, b, rel) in enumerate(hops):
            edges.append((a, b, rel))
            level[b] = min(level.get(b, 99), i + 1)
            level.setdefault(a, i)
    edges = list(dict.fromkeys(edges))
    nodes = list(dict.fromkeys([start] + [x for e in edges for x in e[:2]]))
    return spec_from(g, nodes, edges, starts=[start], level=level, **names)


def trace_spec(g: nx.MultiDiGraph, tr: Trace, **names: dict[str, str]) -> GraphSpec:
    """A traceability answer drawn top-down: SDG, local goals, plans and actions, projects."""
    ups = [(u, v) for u, v, _ in tr.edges]
    return spec_from(g, tr.nodes, tr.edges, starts=[tr.start], level=levels(tr.nodes, ups), **names)
