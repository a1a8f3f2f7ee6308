"""Governance: the chart of bodies, projects and people with top-down levels, bodies
left out of it, a project's accountability chain and mandates, and the bodies × projects
RACI matrix.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph import queries
from graph.answers import sure
from graph.answers.common import (
    BIG,
    PROJECT_KINDS,
    _date_text,
    code,
    kind,
    name,
    natural,
    source_text,
)
from graph.certainty import weakest
from graph.store import IRI, Store

GOVERNANCE_EDGES = ("reportsTo", "subOrganizationOf", "steeringBody", "projectOwner", "partOf")


def levels(nodes: Iterable[str], up_edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Rank nodes top-down: a node sits one level below the lowest of the nodes above it.

    ``up_edges`` point from a node to one above it (child → parent). Cycles share a level.

    >>> levels(["a", "b", "c", "d"], [("b", "a"), ("c", "b"), ("c", "a"), ("c", "d")])
    {'a': 0, 'b': 1, 'c': 2, 'd': 1}
    """
    nodes = list(nodes)
    dg: nx.DiGraph[str] = nx.DiGraph()
    dg.add_nodes_from(nodes)
    dg.add_edges_from((p, c) for c, p in up_edges if c in dg and p in dg)
    cond = nx.condensation(dg)
    rank: dict[int, int] = {}
    for comp in nx.topological_sort(cond):
        preds = list(cond.predecessors(comp))
        rank[comp] = 1 + max(rank[p] for p in preds) if preds else 0
    for (
        comp
    ) in cond.nodes:  # a top node sits just above the highest node it is over, not at the very top
        kids = list(cond.successors(comp))
        if not list(cond.predecessors(comp)) and kids:
            rank[comp] = max(0, min(rank[k] for k in kids) - 1)
    return {n: rank[cond.graph["mapping"][n]] for n in nodes}


def governance(
    g: nx.MultiDiGraph[str], with_projects: bool = True, with_people: bool = False
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Bodies and the reporting lines between them; optionally projects (steering, owner,
    part of) and people (members). Returns nodes and (child, parent, predicate) edges."""
    keep = {"GovernanceBody"}
    if with_projects:
        keep |= PROJECT_KINDS
    if with_people:
        keep |= {"Person"}
    preds = set(GOVERNANCE_EDGES) | ({"memberOf", "projectLeader"} if with_people else set())
    edges = []
    for u, v, d in g.edges(data=True):
        if d["predicate"] in preds and kind(g, u) in keep and kind(g, v) in keep:
            if d["predicate"] in ("steeringBody", "projectOwner", "projectLeader"):
                edges.append((u, v, d["predicate"]))  # project → body above it
            else:
                edges.append((u, v, d["predicate"]))
    involved = {x for e in edges for x in e[:2]}
    nodes = sorted(involved, key=lambda n: (kind(g, n) != "GovernanceBody", name(g, n)))
    return nodes, sorted(set(edges))


def unconnected_bodies(g: nx.MultiDiGraph[str]) -> list[str]:
    """Bodies with no reporting line, owner, steering or part-of relation (left out of the chart)."""
    nodes, _ = governance(g, True, False)
    inside = set(nodes)
    return sorted(
        (n for n, d in g.nodes(data=True) if d.get("kind") == "GovernanceBody" and n not in inside),
        key=lambda n: name(g, n),
    )


def governance_levels(
    nodes: Iterable[str], edges: Iterable[tuple[str, str, str]]
) -> dict[str, int]:
    """Levels for a governance chart: whoever is reported to, owns, steers or leads sits above.

    A body that is part of a project but also steers it (a project board) sits above the
    project: a "part of" edge that contradicts a steering edge is left out.
    """
    edges = list(edges)
    strong = {
        (u, v)
        for u, v, p in edges
        if p in ("steeringBody", "projectOwner", "projectLeader", "reportsTo")
    }
    ups = [
        (u, v)
        for u, v, p in edges
        if not (p in ("subOrganizationOf", "memberOf", "partOf") and (v, u) in strong)
    ]
    return levels(nodes, ups)


def accountability(
    store: Store, g: nx.MultiDiGraph[str], project: str, lang: str, stated_only: bool = False
) -> list[dict[str, Any]]:
    """The accountability chain of ``project`` (named query ``accountability``), labelled; each
    row as sure as its surest link to the project or another node of the chain
    (``stated_only`` keeps the stated rows)."""
    res = queries.run(store, "accountability", {"project": IRI(project)}, BIG, lang=lang)
    rows = []
    for r in res.dicts():
        n = r["node"]
        rows.append(
            {
                "role": r["role"],
                "node": n,
                "name": name(g, n),
                "kind": kind(g, n),
                "level": int(r["depth"]) if r.get("depth") is not None else 0,
                "date": _date_text(r.get("date")),
                "member_role": r.get("member_role") or "",
            }
        )
    order = {
        "owner": 0,
        "leader": 1,
        "steering_body": 2,
        "steering_member": 3,
        "mandate": 4,
        "mandate_decided_by": 5,
        "above": 6,
    }
    chain = [project, *(r["node"] for r in rows)]
    for r in rows:
        r["certainty"], r["certainty_reason"] = sure.linked(g, r["node"], chain)
    rows = sure.keep(rows, stated_only)
    rows.sort(key=lambda x: (order.get(x["role"], 9), x["level"], x["name"]))
    return rows


MANDATES = """
SELECT ?m ?decider ?decided ?status ?src ?loc WHERE {
  ?m kg:mandateOf $project .
  OPTIONAL { ?m kg:decidedBy ?decider } OPTIONAL { ?m kg:decidedOn ?decided } OPTIONAL { ?m kg:mandateStatus ?status }
  OPTIONAL { ?m prov:wasDerivedFrom ?src } OPTIONAL { ?m kg:locator ?loc }
}
"""


MANDATE_ITEMS = """
SELECT ?i ?seq ?due ?due_text ?deliverable WHERE {
  ?i kg:itemOf $mandate .
  OPTIONAL { ?i kg:order ?seq } OPTIONAL { ?i kg:dueDate ?due } OPTIONAL { ?i kg:dateText ?due_text }
  BIND(EXISTS { ?i a kg:Deliverable } AS ?deliverable)
}
"""


def mandates(
    store: Store, g: nx.MultiDiGraph[str], project: str, stated_only: bool = False
) -> list[dict[str, Any]]:
    """The mandates of ``project`` with who decided them and their items in order, each
    mandate and item with its certainty (``stated_only`` keeps the stated ones)."""
    out = []
    found = store.query(MANDATES, {"project": IRI(project)}, BIG).rows
    items_of = {m: store.query(MANDATE_ITEMS, {"mandate": IRI(m)}, BIG).rows for m, *_ in found}
    known = sure.lookup(
        store, [m for m, *_ in found] + [i for rows in items_of.values() for i, *_ in rows]
    )
    for m, decider, decided, st, src, loc in found:
        if stated_only and sure.of(known, [m])[0] != sure.STATED:
            continue
        items = []
        for i, seq, due, due_text, deliverable in items_of[m]:
            items.append(
                {
                    "seq": seq,
                    "text": name(g, i),
                    "deliverable": bool(deliverable),
                    "due": _date_text(due) or (due_text or ""),
                }
            )
            sure.grade(items[-1], known, [i])
        items = sure.keep(items, stated_only)
        items.sort(key=lambda x: (x["seq"] is None, x["seq"] or 0, x["text"]))
        out.append(
            {
                "mandate": m,
                "title": name(g, m),
                "decided_by": name(g, decider) if decider else "",
                "decided_on": _date_text(decided),
                "status": st or "",
                "source": source_text(g, src, loc),
                "items": items,
            }
        )
        sure.grade(out[-1], known, [m])
    return sorted(out, key=lambda x: x["title"])


RACI_ROLES = ("owner", "steering", "leader", "reports_to", "group", "mandate", "decides")


def raci(g: nx.MultiDiGraph[str]) -> tuple[list[str], list[str], dict[tuple[str, str], list[str]]]:
    return _raci(g)[0]


def raci_certainty(g: nx.MultiDiGraph[str]) -> dict[tuple[str, str, str], str]:
    """(body, project, role) → how sure the surest link giving that RACI role is."""
    return _raci(g)[1]


def _raci(
    g: nx.MultiDiGraph[str],
) -> tuple[
    tuple[list[str], list[str], dict[tuple[str, str], list[str]]], dict[tuple[str, str, str], str]
]:
    """Bodies × projects: which role each body has for each project.

    Roles: owner (prosjekteier), steering (styringsgruppe/prosjektstyre), leader, reports_to
    (the project reports to the body), group (a body inside the project), mandate (decided
    the project's mandate), decides (a decision or decision point about the project).
    """
    cells: dict[tuple[str, str], set[str]] = defaultdict(set)
    graded: dict[tuple[str, str, str], str] = {}

    def add(body: str, project: str, role: str, *ds: dict[str, Any]) -> None:
        if kind(g, body) == "GovernanceBody" and kind(g, project) in PROJECT_KINDS:
            cells[(body, project)].add(role)
            # a role resting on two links (mandate → decided by) is as sure as the weaker one
            this = weakest(str(x.get("certainty", sure.STATED)) for x in ds)
            prev = graded.get((body, project, role))
            if prev is None or sure.LEVELS.index(this) < sure.LEVELS.index(prev):
                graded[(body, project, role)] = this

    for u, v, d in g.edges(data=True):
        p = d["predicate"]
        if p == "projectOwner":
            add(v, u, "owner", d)
        elif p == "steeringBody":
            add(v, u, "steering", d)
        elif p == "projectLeader":
            add(v, u, "leader", d)
        elif p == "reportsTo":
            add(v, u, "reports_to", d)
        elif p in ("subOrganizationOf", "memberOf"):
            add(u, v, "group", d)
        elif p == "mandateOf":
            for _, b, e in g.out_edges(u, data=True):
                if e["predicate"] == "decidedBy":
                    add(b, v, "mandate", d, e)
        elif p == "about" and kind(g, u) in ("Decision", "DecisionPoint"):
            for _, b, e in g.out_edges(u, data=True):
                if e["predicate"] == "decidedBy":
                    add(b, v, "decides", d, e)
    bodies = sorted({b for b, _ in cells}, key=lambda b: name(g, b).lower())
    projects = sorted(
        {p for _, p in cells}, key=lambda p: (kind(g, p) != "Program", natural(code(g, p)))
    )
    roles = {k: [r for r in RACI_ROLES if r in v] for k, v in cells.items()}
    return (bodies, projects, roles), graded
