"""Analysis as pure functions over the networkx view (:func:`graph.netx.to_networkx`).

Every answer says why: a :class:`Reach` carries the path from the start and the edges along
it, with the rationale and source of each qualified step. The impact model lists, for each
relation, which end depends on the other (:data:`IMPACT_EDGES`).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:  # imported where used: graph.propagation loads the ontology's rules
    from graph.propagation import Hop

# predicate → True when the subject depends on the object (so impact flows object → subject),
# False when the object depends on the subject (impact flows subject → object).
IMPACT_EDGES: dict[str, bool] = {
    "dependsOn": True,
    "usesSystem": True,
    "concerns": True,
    "hasStakeIn": True,
    "chosenSystem": True,
    "broadMatch": True,
    "servesGoal": True,
    "actionOf": True,
    "responsibleProject": True,
    "measures": True,
    "kpiOf": True,
    "milestoneOf": True,
    "steeringBody": True,
    "projectOwner": True,
    "projectLeader": True,
    "reportsTo": True,
    "goalOf": True,
    "partOf": False,
    "operatesFor": False,
    "mandateOf": False,
}


@dataclass(frozen=True)
class Step:
    """One edge on a path: from → to, its predicate, and the qualifiers of that relation."""

    source: str
    target: str
    predicate: str
    type: str | None = None
    rationale: str | None = None
    document: str | None = None
    locator: str | None = None


@dataclass(frozen=True)
class Reach:
    """A node reached from the start, how far, and the path that explains it."""

    node: str
    depth: int
    path: tuple[str, ...]
    steps: tuple[Step, ...] = field(default=())


def _step(g: nx.MultiDiGraph[str], u: str, v: str, predicates: set[str] | None) -> Step:
    # The step a planner should read: the most critical relation, a plain dependency first.
    rank = {"primary": 0, "high": 1, "normal": 2, None: 2, "low": 3}
    edges = [
        d
        for d in (g.get_edge_data(u, v) or {}).values()
        if predicates is None or d["predicate"] in predicates
    ]
    if len(edges) > 1:
        edges.sort(
            key=lambda d: (
                rank.get(d.get("criticality"), 2),
                d.get("type") != "depends_on",
                str(d.get("relation") or ""),
            )
        )
    d = edges[0] if edges else {}
    return Step(
        u,
        v,
        d.get("predicate", "?"),
        d.get("type"),
        d.get("rationale"),
        d.get("source"),
        d.get("locator"),
    )


def closure(
    g: nx.MultiDiGraph[str],
    start: str,
    direction: str = "up",
    predicates: tuple[str, ...] = ("dependsOn",),
    max_depth: int | None = None,
) -> list[Reach]:
    """Nodes reachable from ``start`` along ``predicates``, nearest first, with shortest paths.

    ``up`` follows edges forward (what ``start`` depends on), ``down`` backward (what depends
    on ``start``).

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("A4", "A2", predicate="dependsOn"); _ = g.add_edge("A2", "A1", predicate="dependsOn")
    >>> [(r.node, r.depth, r.path) for r in closure(g, "A4")]
    [('A2', 1, ('A4', 'A2')), ('A1', 2, ('A4', 'A2', 'A1'))]
    >>> [r.node for r in closure(g, "A1", "down")]
    ['A2', 'A4']
    """
    wanted = set(predicates)
    parent: dict[str, str] = {start: start}
    depth = {start: 0}
    queue = deque([start])
    order = []
    while queue:
        node = queue.popleft()
        if max_depth is not None and depth[node] >= max_depth:
            continue
        edges = g.out_edges(node, data=True) if direction == "up" else g.in_edges(node, data=True)
        for u, v, d in sorted(edges, key=lambda e: (e[0], e[1])):
            if d["predicate"] not in wanted:
                continue
            nxt = v if direction == "up" else u
            if nxt not in depth:
                depth[nxt] = depth[node] + 1
                parent[nxt] = node
                queue.append(nxt)
                order.append(nxt)
    out = []
    for node in order:
        path = [node]
        while path[-1] != start:
            path.append(parent[path[-1]])
        path.reverse()
        steps = tuple(
            _step(g, a, b, wanted) if direction == "up" else _step(g, b, a, wanted)
            for a, b in zip(path, path[1:], strict=False)
        )
        out.append(Reach(node, depth[node], tuple(path), steps))
    return out


def impact(
    g: nx.MultiDiGraph[str], node: str, max_depth: int | None = None
) -> dict[str, list[Reach]]:
    """Everything a change in ``node`` (any kind) reaches along links that carry an effect
    (:mod:`graph.propagation`), grouped by kind, each with its strongest path, ranked.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("gerica", kind="System"); g.add_node("asker", kind="Organization")
    >>> g.add_node("A4", kind="Project")
    >>> _ = g.add_edge("asker", "gerica", predicate="usesSystem")
    >>> _ = g.add_edge("A4", "gerica", predicate="concerns")
    >>> {k: [r.node for r in v] for k, v in impact(g, "gerica").items()}
    {'Organization': ['asker'], 'Project': ['A4']}
    """
    from graph.propagation import propagate

    answer = propagate(g, node, min_strength=0.0, max_depth=max_depth)
    groups: dict[str, list[Reach]] = {}
    for r in answer.rows:
        steps = tuple(
            Step(h.frm, h.to, h.predicate, h.type, h.rationale, h.document, h.locator)
            for h in r.hops
        )
        groups.setdefault(r.kind, []).append(Reach(r.node, r.depth, r.path, steps))
    return dict(sorted(groups.items()))


def cycles(g: nx.MultiDiGraph[str], predicate: str = "dependsOn") -> list[list[str]]:
    """Simple cycles among ``predicate`` edges (e.g. dependsOn or reportsTo), each listed once.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("A", "B", predicate="dependsOn"); _ = g.add_edge("B", "A", predicate="dependsOn")
    >>> cycles(g)
    [['A', 'B']]
    """
    sub = nx.DiGraph((u, v) for u, v, d in g.edges(data=True) if d["predicate"] == predicate)
    return sorted(sorted(c) for c in nx.simple_cycles(sub))


def phases(g: nx.MultiDiGraph[str], predicate: str = "dependsOn") -> list[list[str]]:
    """Groups of nodes that can proceed together: phase 1 depends on nothing, phase 2 only on
    phase 1, and so on. Nodes in a cycle share a phase.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("A4", "A2", predicate="dependsOn"); _ = g.add_edge("A2", "A1", predicate="dependsOn")
    >>> phases(g)
    [['A1'], ['A2'], ['A4']]
    """
    sub = nx.DiGraph((v, u) for u, v, d in g.edges(data=True) if d["predicate"] == predicate)
    cond = nx.condensation(sub)
    return [
        sorted(n for c in gen for n in cond.nodes[c]["members"])
        for gen in nx.topological_generations(cond)
    ]


def critical_path(g: nx.MultiDiGraph[str], predicate: str = "dependsOn") -> tuple[list[str], int]:
    """The longest chain of dependencies weighted by duration in days (start/end dates known).

    Nodes without both dates count zero days. Cycles are broken by condensation.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("A", start=dt.date(2017, 1, 1), end=dt.date(2017, 3, 1))
    >>> g.add_node("B", start=dt.date(2017, 3, 1), end=dt.date(2017, 4, 1))
    >>> _ = g.add_edge("B", "A", predicate="dependsOn")
    >>> critical_path(g)
    (['A', 'B'], 90)
    """

    def days(n: str) -> int:
        d = g.nodes[n]
        s, e = d.get("start"), d.get("end")
        return (e - s).days if isinstance(s, dt.date) and isinstance(e, dt.date) and e >= s else 0

    from graph.propagation import rule_for

    # Only dependencies that carry a delay (not "reports via", "cooperates", ...): a chain through
    # the programme's reporting is not what decides a date (graph/schedule.py has the chain to one
    # milestone).
    sub = nx.DiGraph(
        (v, u)
        for u, v, d in g.edges(data=True)
        if d["predicate"] == predicate
        and (
            predicate != "dependsOn" or "schedule" in getattr(rule_for(predicate, d), "effects", ())
        )
    )
    sub.remove_edges_from(
        [(u, v) for c in nx.simple_cycles(sub) for u, v in zip(c, c[1:] + c[:1], strict=True)]
    )
    best: dict[str, tuple[int, list[str]]] = {}
    for n in nx.topological_sort(sub):
        prev = max((best[p] for p in sub.predecessors(n)), default=(0, []), key=lambda t: t[0])
        best[n] = (prev[0] + days(n), prev[1] + [n])
    if not best:
        return [], 0
    total, path = max(best.values(), key=lambda t: (t[0], len(t[1])))
    return path, total


# A slip travels along dependencies about delivery, into things that have a schedule; a body
# does not slip, and "cooperates with" or "is guided by" carries no date.
SCHEDULE_TYPES = {
    None,
    "depends_on",
    "waits_for",
    "precedes",
    "feeds",
    "supplies",
    "continues",
    "requested_by",
}
SCHEDULED_KINDS = {
    None,
    "Project",
    "Program",
    "SubProject",
    "Study",
    "Task",
    "Deliverable",
    "MandateItem",
    "Plan",
    "Action",
}


DONE = (
    "done",
    "ferdig",
    "gjennomført",
    "levert",
    "lansert",
    "completed",
    "decided",
    "vedtatt",
    "besluttet",
)
NOT_MILESTONES = {"meeting"}  # a meeting or presentation is not a date that can slip


def _schedule_steps(g: nx.MultiDiGraph[str], node: str) -> list[tuple[str, Hop]]:
    from graph.propagation import _steps

    return _steps(g, node, frozenset({"schedule"}))


def _open(milestone: dict[str, Any], as_of: dt.date | None) -> bool:
    """Not yet passed (on or after ``as_of``), not marked done or decided, not a meeting."""
    if milestone.get("mtype") in NOT_MILESTONES:
        return False
    date = milestone.get("date")
    if isinstance(date, dt.date) and as_of is not None and date < as_of:
        return False
    return not str(milestone.get("status") or "").lower().startswith(DONE)


def _carries_schedule(g: nx.MultiDiGraph[str], reach: Reach) -> bool:
    """Whether a delay could travel along this path: only through scheduled things and
    delivery-type dependencies, not up into a programme or through a body."""
    for step in reach.steps:
        if step.predicate == "partOf" or (
            step.predicate == "dependsOn" and step.type not in SCHEDULE_TYPES
        ):
            return False
    return all(
        g.nodes[n].get("kind") in SCHEDULED_KINDS | {"System", "Milestone"} for n in reach.path[1:]
    )


@dataclass
class Delay:
    node: str
    weeks: float
    path: tuple[str, ...]
    assumed: bool  # no end date known: the full delay is assumed to carry over


@dataclass
class WhatIf:
    delays: list[Delay]
    milestones: list[dict[str, Any]]
    affected: dict[str, list[Reach]]


def slip(
    g: nx.MultiDiGraph[str], project: str, weeks: float, as_of: dt.date | None = None
) -> WhatIf:
    """ "Project X slips N weeks": how much each dependent slips, and which milestones are late.

    A dependent with an end date absorbs the slack it has after the delayed end of what it
    depends on; one without dates inherits the whole delay (marked ``assumed``). Milestones of
    a delayed project, or of the programme a delayed project is part of, are at risk by the
    delay of that project, unless they lie before ``as_of`` (already passed).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("A2", kind="Project"); g.add_node("A4", kind="Project", end=dt.date(2020, 1, 1))
    >>> g.add_node("m", kind="Milestone", label="Lansering", date=dt.date(2020, 1, 1))
    >>> _ = g.add_edge("A4", "A2", predicate="dependsOn"); _ = g.add_edge("m", "A4", predicate="milestoneOf")
    >>> r = slip(g, "A2", 8)
    >>> [(d.node, d.weeks) for d in r.delays], [(m["milestone"], m["late_weeks"]) for m in r.milestones]
    ([('A2', 8), ('A4', 8)], [('m', 8)])
    """
    nodes = g.nodes

    def end_of(n: str) -> dt.date | None:
        return nodes[n].get("end") if n in nodes else None

    delays: dict[str, tuple[float, tuple[str, ...], bool]] = {project: (weeks, (project,), False)}
    # Longest-delay propagation in breadth-first order; a node is revisited if it gets a larger delay.
    queue = deque([project])
    while queue:
        cur = queue.popleft()
        w, path, _ = delays[cur]
        # The links that carry a delay, as ontology/kg.ttl declares them (graph/propagation.py).
        succ = [nxt for nxt, _hop in _schedule_steps(g, cur)]
        for nxt in sorted(set(succ)):
            if nxt in path or g.nodes[nxt].get("kind") not in SCHEDULED_KINDS:
                continue
            up_end, own_end = end_of(cur), end_of(nxt)
            lag = 0.0
            for _, e in (g.get_edge_data(nxt, cur) or {}).items():
                lag = max(lag, e.get("lag_weeks") or 0.0)
            if isinstance(up_end, dt.date) and isinstance(own_end, dt.date):
                new_up = up_end + dt.timedelta(weeks=w + lag)
                carried = max(0.0, (new_up - own_end).days / 7) if new_up > own_end else 0.0
                assumed = False
            else:
                carried, assumed = w, True
            if carried > 0 and carried > delays.get(nxt, (0, (), False))[0]:
                delays[nxt] = (round(carried, 1), path + (nxt,), assumed)
                queue.append(nxt)
    out = [Delay(n, w, p, a) for n, (w, p, a) in delays.items()]
    out.sort(key=lambda d: (len(d.path), d.node))
    milestones: list[dict[str, Any]] = []
    # Only milestones of a delayed node can be late: look them up from those nodes, not from
    # every node of the graph (the sort below fixes the order).
    candidates = {
        u
        for owner in delays
        if owner in nodes
        for u, _, d in g.in_edges(owner, data=True)
        if d["predicate"] in ("milestoneOf", "marks")
    }
    for m in candidates:
        data = nodes[m]
        if data.get("kind") != "Milestone":
            continue
        for _, owner, d in g.out_edges(m, data=True):
            date = data.get("date")
            if not _open(data, as_of):
                continue
            if d["predicate"] in ("milestoneOf", "marks") and owner in delays:
                w, path, assumed = delays[owner]
                milestones.append(
                    {
                        "milestone": m,
                        "label": data.get("label"),
                        "date": date,
                        "owner": owner,
                        "late_weeks": w,
                        "new_date": date + dt.timedelta(weeks=w)
                        if isinstance(date, dt.date)
                        else None,
                        "path": path,
                        "assumed": assumed,
                    }
                )

    # a milestone of a project and of its deliverable: the larger delay; of equal delays, the
    # milestone's own deliverable or project before the programme, then by IRI (never the order
    # a backend returned the edges in)
    def rank(found: dict[str, Any]) -> tuple[float, bool, str]:
        own = nodes[found["owner"]].get("kind") != "Program"
        return (found["late_weeks"], own, str(found["owner"]))

    worst: dict[str, dict[str, Any]] = {}
    for found in milestones:
        ms = found["milestone"]
        if ms not in worst or rank(found) > rank(worst[ms]):
            worst[ms] = found
    milestones = sorted(worst.values(), key=lambda x: (str(x["date"]), x["milestone"]))
    return WhatIf(out, milestones, impact(g, project))


def switch_off(g: nx.MultiDiGraph[str], system: str, as_of: dt.date | None = None) -> WhatIf:
    """ "System Y is switched off": everything that depends on it, and the milestones of the
    projects among them (at risk, by an unknown amount)."""
    affected = impact(g, system)
    hit = {r.node for rs in affected.values() for r in rs}
    milestones = []
    for r in affected.get("Milestone", []):
        data = g.nodes[r.node]
        if not _carries_schedule(g, r) or not _open(data, as_of):
            continue  # e.g. via a programme (partOf), a body or a mere cooperation; or passed
        milestones.append(
            {
                "milestone": r.node,
                "label": data.get("label"),
                "date": data.get("date"),
                "owner": r.path[-2] if len(r.path) > 1 else None,
                "late_weeks": None,
                "new_date": None,
                "path": r.path,
                "assumed": True,
            }
        )
    delays = [Delay(n, 0.0, (), True) for n in sorted(hit) if g.nodes[n].get("kind") == "Project"]
    return WhatIf(delays, milestones, affected)


def centrality(
    g: nx.MultiDiGraph[str], predicate: str = "dependsOn"
) -> list[tuple[str, int, float]]:
    """Rank nodes by how many others depend on them, directly or not, then by betweenness.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("A4", "A2", predicate="dependsOn"); _ = g.add_edge("A1", "A2", predicate="dependsOn")
    >>> centrality(g)[0][:2]
    ('A2', 2)
    """
    sub = nx.DiGraph((u, v) for u, v, d in g.edges(data=True) if d["predicate"] == predicate)
    between = nx.betweenness_centrality(sub) if sub.number_of_nodes() else {}
    ranked = [(n, len(nx.ancestors(sub, n)), round(between.get(n, 0.0), 4)) for n in sub.nodes]
    return sorted(ranked, key=lambda t: (-t[1], -t[2], t[0]))


# How a project serves a goal or target: project ← actionOf/responsibleProject ← action/plan
# → servesGoal → local goal → broadMatch → target → broader → goal (and a local goal's owner).
SERVES_UP = {"actionOf": "out", "responsibleProject": "out", "goalOwner": "out"}
SERVES_DOWN = {"broadMatch": "in", "servesGoal": "in", "broader": "in"}


def serving_projects(g: nx.MultiDiGraph[str], node: str) -> set[str]:
    """Projects that serve ``node`` (an SDG goal or target, or a local goal) through their
    actions, plans or the local goals they own.

    >>> g = nx.MultiDiGraph()
    >>> for n, k in [("T", "SDGTarget"), ("lg", "LocalGoal"), ("a", "Action"), ("P", "Project")]:
    ...     g.add_node(n, kind=k)
    >>> _ = g.add_edge("lg", "T", predicate="broadMatch"); _ = g.add_edge("a", "lg", predicate="servesGoal")
    >>> _ = g.add_edge("a", "P", predicate="actionOf")
    >>> serving_projects(g, "T")
    {'P'}
    """
    seen, queue, out = {node}, deque([node]), set()
    while queue:
        cur = queue.popleft()
        nexts = [
            u for u, _, d in g.in_edges(cur, data=True) if SERVES_DOWN.get(d["predicate"]) == "in"
        ]
        nexts += [
            v for _, v, d in g.out_edges(cur, data=True) if SERVES_UP.get(d["predicate"]) == "out"
        ]
        for n in nexts:
            if n in seen:
                continue
            seen.add(n)
            if g.nodes[n].get("kind") in {"Project", "Program", "SubProject"}:
                out.add(n)
            else:
                queue.append(n)
    return out


@dataclass(frozen=True)
class Interplay:
    """Two projects linked by an SDG interaction: the score and the interaction behind it."""

    project_a: str
    project_b: str
    score: int
    source_node: str
    target_node: str
    rationale: str | None
    assessor: str | None


def interplays(g: nx.MultiDiGraph[str]) -> list[Interplay]:
    """Propagate target/goal interactions (Nilsson −3..+3) to the projects that serve each side;
    negative scores are trade-offs between those projects, most severe first.

    >>> g = nx.MultiDiGraph()
    >>> for n, k in [("T1", "SDGTarget"), ("T2", "SDGTarget"), ("P1", "Project"), ("P2", "Project")]:
    ...     g.add_node(n, kind=k)
    >>> _ = g.add_edge("T1", "P1", predicate="goalOwner"); _ = g.add_edge("T2", "P2", predicate="goalOwner")
    >>> _ = g.add_edge("T1", "T2", predicate="interactsWith", score=-2, rationale="land use")
    >>> [(i.project_a, i.project_b, i.score) for i in interplays(g)]
    [('P1', 'P2', -2)]
    """
    out = []
    for a, b, d in g.edges(data=True):
        if d["predicate"] != "interactsWith":
            continue
        for pa in sorted(serving_projects(g, a)):
            for pb in sorted(serving_projects(g, b)):
                if pa != pb:
                    out.append(
                        Interplay(
                            pa,
                            pb,
                            int(d.get("score", 0)),
                            a,
                            b,
                            d.get("rationale"),
                            d.get("assessor"),
                        )
                    )
    return sorted(out, key=lambda i: (i.score, i.project_a, i.project_b))


PROJECT_KINDS = {"Program", "Project", "SubProject", "Study", "Task"}  # a project and its kinds
