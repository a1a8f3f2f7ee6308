"""Drawing: a :class:`graph.render.GraphSpec` from nodes and links of the networkx view
(:func:`spec_from`), with tooltips and parallel edges merged into one.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.render import GEdge, GNode, GraphSpec
from graph.views.common import Link, _date_text, _short, kind, name, source_text, source_title


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


def spec_from(g: nx.MultiDiGraph, nodes: Iterable[str], links: Iterable[Link | tuple], *,
              starts: Iterable[str] = (), level: dict[str, int] | None = None,
              kind_names: dict[str, str] | None = None, relation_names: dict[str, str] | None = None) -> GraphSpec:  # fmt: skip
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
        spec.nodes.append(GNode(n, _short(name(g, n)), k, _tooltip(g, n, kind_names.get(k, k)),
                                (level or {}).get(n), n in starts))  # fmt: skip
    present = {x.id for x in spec.nodes}
    for k in links:
        if isinstance(k, Link):
            u, v, pred = k.source, k.target, k.predicate
            rel = relation_names.get(k.type or "", "") or relation_names.get(pred, pred)
            lines = [f"{name(g, u)} → {rel} → {name(g, v)}"]
            if k.criticality:
                lines.append(relation_names.get("criticality", "criticality") + ": " +
                             relation_names.get(k.criticality, k.criticality))  # fmt: skip
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
                lines.append(relation_names.get(k.certainty, k.certainty)
                             + (f": {k.certainty_reason}" if k.certainty_reason else ""))  # fmt: skip
            spec.edges.append(GEdge(u, v, rel, "\n".join(lines),
                                    dashes=(k.type in ("refers_to", "guided_by") or k.certainty == "interpreted"),
                                    width=3 if k.criticality == "primary" else 1.5 if k.criticality == "high" else 1))  # fmt: skip
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
