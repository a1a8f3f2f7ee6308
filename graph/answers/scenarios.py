"""Impact and what-if: what depends on a node (:func:`impact`), a project that slips
(:func:`slip`) or a system switched off (:func:`switch_off`) as a :class:`Scenario`, and the
graphs that draw them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph import analysis
from graph.answers.common import _date_text, handle, handle_path, kind, name, source_text
from graph.answers.overview import milestone_rows
from graph.certainty import path_certainty
from graph.whatif import who_must_act


@dataclass
class ImpactRow:
    node: str
    code: str
    name: str
    kind: str
    depth: int
    path: str
    predicate: str
    type: str | None
    rationale: str
    source: str
    certainty: str = "stated"  # the weakest along the path (graph/certainty.py)


def reach_rows(g: nx.MultiDiGraph, reaches: Iterable[analysis.Reach]) -> list[ImpactRow]:
    rows = []
    for r in reaches:
        last = r.steps[-1] if r.steps else None
        rows.append(ImpactRow(r.node, handle(g, r.node), name(g, r.node), kind(g, r.node), r.depth, handle_path(g, r.path),
                              last.predicate if last else "", last.type if last else None,
                              (last.rationale or "") if last else "",
                              source_text(g, last.document, last.locator) if last else "",
                              path_certainty(g, list(r.path))))  # fmt: skip
    return rows


def impact(
    g: nx.MultiDiGraph, node: str, max_depth: int | None = None
) -> dict[str, list[ImpactRow]]:
    """Everything that depends on ``node``, grouped by kind, each with its path."""
    return {k: reach_rows(g, rs) for k, rs in analysis.impact(g, node, max_depth).items()}


@dataclass
class Scenario:
    """The answer to a what-if: delays, milestones at risk, and everything affected."""

    start: str
    delays: list[dict]
    milestones: list[dict]
    affected: dict[str, list[ImpactRow]]
    programme_milestones: list[dict]  # the programme's own milestones and whether they are at risk
    reaches: list[analysis.Reach] = field(default_factory=list)


def _milestone_info(store) -> dict[str, tuple[str, str]]:
    return {m: (_date_text(d), str(st or "")) for m, d, _, _, st in milestone_rows(store)}


def _open(date: str, status: str, after: str | None) -> bool:
    """A milestone that can still be late: not marked done and not dated before ``after``."""
    if status.lower().startswith("done"):
        return False
    return not (after and date and date < after[: len(date)])


def _programme_milestones(g: nx.MultiDiGraph, at_risk: dict[str, dict], info: dict[str, tuple[str, str]],
                          after: str | None) -> list[dict]:  # fmt: skip
    out = []
    for m, d in g.nodes(data=True):
        if d.get("kind") != "Milestone":
            continue
        owners = [v for _, v, e in g.out_edges(m, data=True) if e["predicate"] == "milestoneOf"]
        if not any(kind(g, o) == "Program" for o in owners):
            continue
        date, status_ = info.get(m, (_date_text(d.get("date")), ""))
        if not _open(date, status_, after):
            continue
        risk = at_risk.get(m)
        out.append({"milestone": m, "title": name(g, m), "date": date, "at_risk": risk is not None,
                    "late_weeks": risk["late_weeks"] if risk else None, "new_date": risk["new_date"] if risk else "",
                    "path": risk["path"] if risk else ""})  # fmt: skip
    out.sort(key=lambda x: x["date"], reverse=True)
    return out


def _whatif(
    g: nx.MultiDiGraph, store, start: str, w: analysis.WhatIf, after: str | None
) -> Scenario:
    info = _milestone_info(store)
    delays = [{"node": d.node, "code": handle(g, d.node), "name": name(g, d.node), "kind": kind(g, d.node),
               "weeks": d.weeks, "path": handle_path(g, d.path), "nodes": tuple(d.path), "assumed": d.assumed}
              for d in w.delays]  # fmt: skip
    ms = []
    for m in w.milestones:
        date, status_ = info.get(m["milestone"], (_date_text(m["date"]), ""))
        if not _open(date, status_, after):
            continue
        owner = m["owner"]
        act = who_must_act(g, owner) if owner else {}  # owner · board · deciding body, as names
        who = " · ".join("; ".join(act[k]) or "–" for k in ("owner", "board", "decides")) if act else ""
        ms.append({"who": who, "milestone": m["milestone"], "title": name(g, m["milestone"]), "date": date,
                   "owner": name(g, owner) if owner else "", "late_weeks": m["late_weeks"],
                   "new_date": _date_text(m["new_date"]) if m["new_date"] else "", "path": handle_path(g, m["path"]),
                   "nodes": tuple(m["path"]) + (m["milestone"],), "assumed": m["assumed"], "programme": kind(g, owner) == "Program" if owner else False})  # fmt: skip
    ms.sort(key=lambda x: (not x["programme"], x["date"] or "9999"))
    at_risk = {m["milestone"]: m for m in ms}
    affected = {k: reach_rows(g, rs) for k, rs in w.affected.items()}
    reaches = [r for rs in w.affected.values() for r in rs]
    return Scenario(
        start, delays, ms, affected, _programme_milestones(g, at_risk, info, after), reaches
    )


def slip(
    g: nx.MultiDiGraph, store, project: str, weeks: float, after: str | None = None
) -> Scenario:
    """ "``project`` slips ``weeks`` weeks": delays, and the open milestones (not done, not
    before ``after``) that become late."""
    return _whatif(g, store, project, analysis.slip(g, project, weeks), after)


def switch_off(g: nx.MultiDiGraph, store, system: str, after: str | None = None) -> Scenario:
    """ "``system`` is switched off": everything that depends on it and the open milestones at risk."""
    return _whatif(g, store, system, analysis.switch_off(g, system), after)


