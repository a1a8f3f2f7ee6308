"""One definition of when a UN SDG goal or target is *served*, and the downward trace built on it.

A goal or target is served when a **step** serves a **local goal** that localises it
(``skos:broadMatch``), where

* the step is an action (``kg:Action``) or a plan with a responsible project, and
* the local goal is not only a statement of a whole goal's municipal significance
  (``kg:goalType "significance"``: «Kommunal betydning» in the Vesentlighetsmatrisen says why a
  goal matters, it is not a plan for its targets; an action serving that statement serves the
  goal as a whole, not each target listed beside it).

A project that owns a local goal (``kg:goalOwner``) is shown in the traces but does not by
itself serve it. The named queries ``trace_down``, ``trace_up`` (column ``served``) and
``gap_targets_without_project`` (the prioritised targets that are not served) spell the same
rule in SPARQL and Cypher; tests/test_served.py checks that all of them agree for every
prioritised target.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.store import IRI, Store

PROJECT_KINDS = {"Program", "Project", "SubProject", "Study", "Task"}
SIGNIFICANCE = 'ASK { $lg kg:goalType "significance" }'


def _ins(g: nx.MultiDiGraph[str], node: str, predicate: str) -> list[str]:
    return sorted({u for u, _, d in g.in_edges(node, data=True) if d["predicate"] == predicate})


def _outs(g: nx.MultiDiGraph[str], node: str, *predicates: str) -> list[str]:
    return sorted({v for _, v, d in g.out_edges(node, data=True) if d["predicate"] in predicates})


def is_significance(store: Store, local_goal: str) -> bool:
    """Whether ``local_goal`` only states a goal's municipal significance (one anchored lookup)."""
    return bool(store.query(SIGNIFICANCE, {"lg": IRI(local_goal)}).boolean)


def step_serves(g: nx.MultiDiGraph[str], step: str | None, significance: bool) -> bool:
    """Whether ``step`` serves its local goal in the sense above (``significance``: the goal's)."""
    if step is None or significance or step not in g:
        return False
    return g.nodes[step].get("kind") == "Action" or bool(_outs(g, step, "responsibleProject"))


def trace(g: nx.MultiDiGraph[str], store: Store, sdg: str) -> list[dict[str, Any]]:
    """Rows from an SDG goal or target down: target, local goal, step, project, KPI, ``served``.

    A step's project is the one it belongs to or is run by. A project that owns the local goal
    gets a row of its own (no step) unless it already is a step's project, so a project found
    going up (``trace_up``) is found going down too. The KPIs are those of the local goal and
    of the step.
    """
    if sdg not in g:
        return []
    rows: list[dict[str, Any]] = []
    for t in [sdg] + _ins(g, sdg, "broader"):
        for lg in _ins(g, t, "broadMatch"):
            significance = is_significance(store, lg)
            goal_kpis = _ins(g, lg, "measures")
            steps = _ins(g, lg, "servesGoal")
            step_projects: set[str] = set()
            for step in steps:
                projects = _outs(g, step, "actionOf", "responsibleProject")
                step_projects |= set(projects)
                kpis = sorted(set(goal_kpis) | set(_ins(g, step, "measures")))
                served = step_serves(g, step, significance)
                for project in projects or (None,):
                    for kpi in kpis or (None,):
                        rows.append(
                            {
                                "target": t,
                                "local_goal": lg,
                                "step": step,
                                "project": project,
                                "kpi": kpi,
                                "served": served,
                            }
                        )
            owners = [
                p
                for p in _outs(g, lg, "goalOwner")
                if g.nodes[p].get("kind") in PROJECT_KINDS and p not in step_projects
            ]
            for project in owners or ([] if steps else (None,)):
                for kpi in goal_kpis or (None,):
                    rows.append(
                        {
                            "target": t,
                            "local_goal": lg,
                            "step": None,
                            "project": project,
                            "kpi": kpi,
                            "served": False,
                        }
                    )
    return rows


def served_targets(rows: list[dict[str, Any]]) -> set[str]:
    """The goals and targets a trace finds served."""
    return {r["target"] for r in rows if r["served"]}
