"""The dependency explorer: relation families, the walk from start nodes along them
(:func:`explore`), and the explained links as table rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph import analysis
from graph.answers.common import Link, code, name, natural, source_text, source_title

# Relation families a planner can switch on; each is a set of predicates in the networkx view.
RELATIONS: dict[str, tuple[str, ...]] = {
    "depends": ("dependsOn",),
    "structure": ("partOf", "subOrganizationOf"),
    "governance": (
        "steeringBody",
        "projectOwner",
        "projectLeader",
        "reportsTo",
        "mandateOf",
        "decidedBy",
        "memberOf",
    ),
    "concerns": ("concerns", "usesSystem", "hasStakeIn", "operatesFor"),
    "goals": (
        "goalOf",
        "goalOwner",
        "servesGoal",
        "actionOf",
        "responsibleProject",
        "broadMatch",
        "kpiOf",
        "measures",
        "inPlan",
    ),
    "plans": ("milestoneOf", "phaseOf", "itemOf", "marks", "riskOf", "about"),
}


def predicates_for(families: Iterable[str]) -> tuple[str, ...]:
    return tuple(p for f in families for p in RELATIONS.get(f, ()))


@dataclass
class Exploration:
    starts: list[str]
    depth: dict[str, int]  # node → distance from the nearest start
    level: dict[str, int]  # node → column in a left-to-right layout
    links: list[Link]
    reached: dict[str, analysis.Reach] = field(default_factory=dict)

    @property
    def nodes(self) -> list[str]:
        return list(self.depth)


def explore(
    g: nx.MultiDiGraph[str],
    starts: Iterable[str],
    direction: str = "up",
    max_depth: int | None = 1,
    families: Iterable[str] = ("depends",),
    predicates: Iterable[str] | None = None,
) -> Exploration:
    """What ``starts`` depend on (``up``), what depends on them (``down``), or ``both``,
    along the chosen relation families (or explicit ``predicates``), with a path and a
    source for each link."""
    starts = [s for s in starts if s in g]
    preds = tuple(predicates) if predicates else (predicates_for(families) or RELATIONS["depends"])
    depth: dict[str, int] = {s: 0 for s in starts}
    level: dict[str, int] = {s: 0 for s in starts}
    reached: dict[str, analysis.Reach] = {}
    dirs = ("up", "down") if direction == "both" else (direction,)
    for s in starts:
        for d in dirs:
            sign = 1 if d == "up" else -1
            for r in analysis.closure(g, s, d, preds, max_depth):
                if r.node not in depth or r.depth < depth[r.node]:
                    depth[r.node] = r.depth
                    level[r.node] = sign * r.depth
                    reached[r.node] = r
    wanted = set(preds)
    links: list[Link] = []
    seen = set()
    for u in depth:
        for _, v, key, data in g.out_edges(u, keys=True, data=True):
            if v not in depth or data["predicate"] not in wanted or (u, v, key) in seen:
                continue
            seen.add((u, v, key))
            near, far = (u, v) if depth[u] <= depth[v] else (v, u)
            path = reached[near].path if near in reached else (near,)
            if far not in path:  # from a start to the nearer end, then across the link
                path = path + (far,)
            doc, loc = data.get("source"), data.get("locator")
            if doc is None and g.nodes[u].get("source"):
                doc, loc = g.nodes[u]["source"]
            links.append(
                Link(
                    u,
                    v,
                    data["predicate"],
                    data.get("type"),
                    data.get("criticality"),
                    data.get("rationale"),
                    doc,
                    loc,
                    max(depth[u], depth[v]),
                    tuple(path),
                    data.get("certainty", "stated"),
                    data.get("certainty_reason", ""),
                )
            )
    links.sort(key=lambda k: (k.depth, natural(code(g, k.source)), natural(code(g, k.target))))
    low = min(level.values(), default=0)
    return Exploration(starts, depth, {n: lv - low for n, lv in level.items()}, links, reached)


def path_text(g: nx.MultiDiGraph[str], path: Iterable[str]) -> str:
    return " → ".join(code(g, n) for n in path)


def link_rows(g: nx.MultiDiGraph[str], links: Iterable[Link]) -> list[dict[str, Any]]:
    """Table rows for links: from, relation (predicate and type keys), to, path and source."""
    return [
        {
            "from": name(g, k.source),
            "predicate": k.predicate,
            "type": k.type,
            "to": name(g, k.target),
            "criticality": k.criticality,
            "depth": k.depth,
            "path": path_text(g, k.path),
            "rationale": k.rationale or "",
            "source": source_text(g, k.document, k.locator),
            "document": source_title(g, k.document),
            "certainty": k.certainty,
        }
        for k in links
    ]
