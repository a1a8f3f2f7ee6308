"""Trace from an SDG target down to local goals, steps, projects and KPIs with their values,
over the networkx view plus one anchored SPARQL query for the values.

This is the analysis-path counterpart of queries/trace_down.rq: the same rows (target, local
goal, step, project, KPI, values), found by walking the cached networkx view instead of
letting the SPARQL planner join the whole graph. The benchmark times it next to the named
query; docs/scaling.md explains why.
"""

from __future__ import annotations

from graph.store import IRI, Limits

VALUES = """
SELECT ?kpi ?area ?y ?mt ?val ?vt WHERE {
  VALUES ?kpi { %s }
  ?m kg:kpi ?kpi ; kg:year ?y ; kg:measurementType ?mt ; kg:refArea/dct:identifier ?area .
  OPTIONAL { ?m kg:value ?val } OPTIONAL { ?m kg:valueText ?vt }
}
"""


def _in(g, node: str, predicate: str) -> list[str]:
    return sorted({u for u, _, d in g.in_edges(node, data=True) if d["predicate"] == predicate})


def _out(g, node: str, *predicates: str) -> list[str]:
    return sorted({v for _, v, d in g.out_edges(node, data=True) if d["predicate"] in predicates})


def trace_down(store, g, sdg: str) -> list[dict]:
    """Rows of the trace from ``sdg`` (a goal or target IRI), with KPI values from ``store``."""
    if sdg not in g:
        return []
    targets = [sdg] + _in(g, sdg, "broader")
    rows = []
    for t in targets:
        for lg in _in(g, t, "broadMatch"):
            owners = [p for p in _out(g, lg, "goalOwner") if g.nodes[p].get("kind") in PROJECTS]
            goal_kpis = _in(g, lg, "measures")
            steps = _in(g, lg, "servesGoal") or [None]
            for step in steps:
                projects = _out(g, step, "actionOf", "responsibleProject") if step else []
                kpis = goal_kpis + (_in(g, step, "measures") if step else [])
                for project in projects or owners or [None]:
                    for kpi in sorted(set(kpis)) or [None]:
                        rows.append({"target": t, "local_goal": lg, "step": step, "project": project,
                                     "kpi": kpi, "values": []})  # fmt: skip
    wanted = sorted({r["kpi"] for r in rows if r["kpi"]})
    if wanted:
        text = VALUES % " ".join(f"<{k}>" for k in wanted)
        values: dict[str, list[str]] = {}
        for kpi, area, y, mt, val, vt in store.query(
            text, None, Limits(seconds=60, rows=10**6)
        ).rows:
            shown = val if val is not None else (vt or "?")
            values.setdefault(kpi, []).append(f"{area} {y} {mt}={shown}")
        for r in rows:
            if r["kpi"]:
                r["values"] = sorted(values.get(r["kpi"], []))
    return rows


PROJECTS = {"Program", "Project", "SubProject", "Study", "Task"}

__all__ = ["IRI", "trace_down"]
