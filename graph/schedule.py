"""Schedules on the networkx view: the chain of dependencies that decides a milestone's date
(:func:`critical_chain`) and the timeline of projects and milestones with their dependency
arrows, before and after a slip (:func:`timeline`).

Both follow only the links that carry a schedule delay (graph/propagation.py), and leave out
programme membership (``partOf``): a project being part of the programme does not decide the
programme's dates, its deliveries do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import networkx as nx

from graph import propagation

SCHEDULE = frozenset({"schedule"})
IGNORED = {"partOf"}  # programme membership: no date travels up it on a critical chain


def _when(g: nx.MultiDiGraph[str], n: str) -> dt.date | None:
    d = g.nodes[n]
    return d.get("date") or d.get("end")


def predecessors(g: nx.MultiDiGraph[str], node: str) -> list[propagation.Hop]:
    """The hops by which a delay reaches ``node`` (what it waits for), strongest first."""
    out = []
    for _, v, d in g.out_edges(node, data=True):  # node depends on v
        r = propagation.rule_for(d["predicate"], d)
        if r and not r.forward and r.effects & SCHEDULE and d["predicate"] not in IGNORED:
            out.append(
                propagation.Hop(
                    v,
                    node,
                    d["predicate"],
                    d.get("type"),
                    ("schedule",),
                    propagation.hop_factor(r, d),
                    d.get("rationale"),
                    d.get("source"),
                    d.get("locator"),
                    d.get("evidence") == "implied",
                )
            )
    for u, _, d in g.in_edges(node, data=True):  # u → node carries forward
        r = propagation.rule_for(d["predicate"], d)
        if r and r.forward and r.effects & SCHEDULE and d["predicate"] not in IGNORED:
            out.append(
                propagation.Hop(
                    u,
                    node,
                    d["predicate"],
                    d.get("type"),
                    ("schedule",),
                    propagation.hop_factor(r, d),
                    d.get("rationale"),
                    d.get("source"),
                    d.get("locator"),
                    d.get("evidence") == "implied",
                )
            )
    best: dict[str, propagation.Hop] = {}
    for h in out:
        if h.frm not in best or h.strength > best[h.frm].strength:
            best[h.frm] = h
    return sorted(best.values(), key=lambda h: (-h.strength, h.frm))


@dataclass(frozen=True)
class Link:
    node: str
    date: dt.date | None
    hop: propagation.Hop | None  # how this node's date reaches the next one in the chain


def critical_chain(g: nx.MultiDiGraph[str], milestone: str) -> list[Link]:
    """The chain that decides ``milestone``'s date, from the first driver to the milestone.

    At each step the driving predecessor is the one that finishes last (a known date or end
    date); among undated ones, the strongest link (a primary dependency first).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("m", date=dt.date(2020, 1, 1)); g.add_node("A4", end=dt.date(2019, 12, 1))
    >>> g.add_node("A2"); g.add_node("prog")
    >>> _ = g.add_edge("m", "A4", predicate="milestoneOf")
    >>> _ = g.add_edge("A4", "A2", predicate="dependsOn", type="depends_on", criticality="primary")
    >>> _ = g.add_edge("A4", "prog", predicate="partOf")
    >>> [link.node for link in critical_chain(g, "m")]
    ['A2', 'A4', 'm']
    """
    chain = [Link(milestone, _when(g, milestone), None)]
    seen = {milestone}
    cur = milestone
    while True:
        preds = [h for h in predecessors(g, cur) if h.frm not in seen]
        if not preds:
            break
        dated = [h for h in preds if _when(g, h.frm)]
        hop = max(dated, key=lambda h: (_when(g, h.frm), h.strength)) if dated else preds[0]
        chain.append(Link(hop.frm, _when(g, hop.frm), hop))
        seen.add(hop.frm)
        cur = hop.frm
    chain.reverse()
    return chain


@dataclass(frozen=True)
class Bar:
    node: str
    kind: str
    start: dt.date | None
    end: dt.date | None  # the date of a milestone
    new_end: dt.date | None  # after the slip, when one is given and it moves
    after: tuple[str, ...]  # what it waits for (dependency arrows), among the timeline's nodes


TIMELINE_KINDS = {"Program", "Project", "SubProject", "Study", "Task", "Milestone"}


def timeline(g: nx.MultiDiGraph[str], delays: dict[str, float] | None = None) -> list[Bar]:
    """Projects and milestones with dates, the schedule links between them, and the new end of
    each one a slip moves (``delays``: node → weeks, from :func:`graph.analysis.slip`)."""
    delays = delays or {}
    nodes = [
        n
        for n, d in g.nodes(data=True)
        if d.get("kind") in TIMELINE_KINDS and (_when(g, n) or d.get("start"))
    ]
    keep = set(nodes)
    out = []
    for n in nodes:
        d = g.nodes[n]
        end = _when(g, n)
        w = delays.get(n)
        new = end + dt.timedelta(weeks=w) if end and w else None
        after = tuple(sorted({h.frm for h in predecessors(g, n) if h.frm in keep}))
        out.append(Bar(n, d.get("kind", "?"), d.get("start"), end, new, after))
    out.sort(
        key=lambda b: (b.start or b.end or dt.date.max, str(g.nodes[b.node].get("code") or b.node))
    )
    return out
