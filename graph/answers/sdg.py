"""SDG traceability: goals and targets in use, goals × projects coverage, traces from an SDG
down to projects and from a project up to the SDGs, the ``gap_*`` queries and interactions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import queries, served
from graph.answers import sure
from graph.answers.common import (
    BIG,
    PROJECT_KINDS,
    SDG_KINDS,
    _date_text,
    code,
    find_node,
    kind,
    name,
    natural,
)
from graph.answers.named import gaps as named_gaps
from graph.store import IRI, Result, Store


def sdg_goals(g: nx.MultiDiGraph[str]) -> list[str]:
    return sorted(
        (n for n, d in g.nodes(data=True) if d.get("kind") == "SDGGoal"),
        key=lambda n: int(g.nodes[n].get("code") or 0),
    )


def sdg_linked(g: nx.MultiDiGraph[str]) -> list[str]:
    """SDG goals and targets that a local goal points at, in code order."""
    hit = {
        v
        for u, v, d in g.edges(data=True)
        if d["predicate"] == "broadMatch" and kind(g, v) in SDG_KINDS
    }
    return sorted(hit, key=lambda n: natural(str(g.nodes[n].get("code"))))


def _goal_of(g: nx.MultiDiGraph[str], n: str) -> str | None:
    cur = n
    for _ in range(3):
        if kind(g, cur) == "SDGGoal":
            return cur
        ups = [v for _, v, d in g.out_edges(cur, data=True) if d["predicate"] == "broader"]
        if not ups:
            return None
        cur = ups[0]
    return cur if kind(g, cur) == "SDGGoal" else None


def project_local_goals(g: nx.MultiDiGraph[str], project: str) -> set[str]:
    """Local goals a project owns or serves through its actions and plans."""
    out = set()
    for u, _, d in g.in_edges(project, data=True):
        if d["predicate"] == "goalOwner" and kind(g, u) == "LocalGoal":
            out.add(u)
        if d["predicate"] in ("actionOf", "responsibleProject"):
            out |= {v for _, v, e in g.out_edges(u, data=True) if e["predicate"] == "servesGoal"}
    for lg in list(out):  # a sub-goal serves its broader goal's SDG links too
        out |= {
            v
            for _, v, e in g.out_edges(lg, data=True)
            if e["predicate"] == "broader" and kind(g, v) == "LocalGoal"
        }
    return out


def coverage(g: nx.MultiDiGraph[str]) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """17 goals × projects: how many SDG links (through local goals) each project has per goal."""
    cells: Counter[tuple[str, str]] = Counter()
    for p, d in g.nodes(data=True):
        if d.get("kind") not in PROJECT_KINDS:
            continue
        for lg in project_local_goals(g, p):
            for _, t, e in g.out_edges(lg, data=True):
                if e["predicate"] == "broadMatch":
                    goal = _goal_of(g, t)
                    if goal:
                        cells[(goal, p)] += 1
    top = {p for p, d in g.nodes(data=True) if d.get("kind") in ("Program", "Project")} | {
        p for _, p in cells
    }
    projects = sorted(
        top,
        key=lambda p: (
            kind(g, p) != "Program",
            not g.nodes[p].get("notation"),
            natural(code(g, p)),
        ),
    )
    return sdg_goals(g), projects, dict(cells)


def relabel(g: nx.MultiDiGraph[str], result: Result) -> list[dict[str, Any]]:
    """Result rows with IRIs replaced by names from the graph (in its language)."""
    return [
        {c: (name(g, v) if isinstance(v, IRI) else v) for c, v in row.items()}
        for row in result.dicts()
    ]


@dataclass
class Trace:
    """A traceability answer: table rows, and the edges between the things in them."""

    rows: list[dict[str, Any]]
    edges: list[tuple[str, str, str]]
    start: str

    @property
    def nodes(self) -> list[str]:
        return list(dict.fromkeys([self.start] + [x for e in self.edges for x in e[:2]]))


KPI_VALUES = """
SELECT ?area ?y ?mt ?val ?vt WHERE {
  ?m kg:kpi $kpi ; kg:year ?y ; kg:measurementType ?mt ; kg:refArea/dct:identifier ?area .
  OPTIONAL { ?m kg:value ?val } OPTIONAL { ?m kg:valueText ?vt }
}
"""


def kpi_values(store: Store, kpi: str) -> str:
    """A KPI's values as "area year type=value; ...", as the named query ``trace_down`` joins them."""
    res = store.query(KPI_VALUES, {"kpi": IRI(kpi)}, BIG)
    shown = {
        f"{a} {y} {mt}={val if val is not None else (vt or '?')}" for a, y, mt, val, vt in res.rows
    }
    return "; ".join(sorted(shown))


AS_WRITTEN = """
SELECT ?c WHERE { ?tp a kg:TargetPriority ; kg:target $t ; kg:localGoal $lg ; kg:codeAsWritten ?c }
"""


def code_as_written(store: Store, target: str, local_goal: str, official: str | None) -> str:
    """The code the document wrote for ``target`` (3.9a for 3.a), when it differs; else ""."""
    rows = store.query(AS_WRITTEN, {"t": IRI(target), "lg": IRI(local_goal)}, BIG).rows
    written = sorted({str(c) for (c,) in rows if c is not None and str(c) != (official or "")})
    return ", ".join(written)


def trace_rows(store: Store, g: nx.MultiDiGraph[str], sdg: str) -> list[dict[str, Any]]:
    """The rows of :func:`graph.served.trace` with each KPI's ``values`` from the store, whether
    the row serves the target (``served``), and the document's own code (``code_as_written``).

    The walk runs on the networkx view (milliseconds at national scale); only the KPI values, the
    codes as written and the significance of each local goal come from the store, one anchored
    lookup each. The app and ``kg trace`` both use this.
    """
    found = served.trace(g, store, sdg)
    values = {k: kpi_values(store, k) for k in sorted({r["kpi"] for r in found if r["kpi"]})}
    written = {
        (t, lg): code_as_written(store, t, lg, g.nodes[t].get("code"))
        for t, lg in sorted({(r["target"], r["local_goal"]) for r in found})
    }
    return [
        {
            **r,
            "values": values.get(r["kpi"], ""),
            "code_as_written": written[(r["target"], r["local_goal"])],
        }
        for r in found
    ]


def trace_down(
    store: Store, g: nx.MultiDiGraph[str], sdg: str, lang: str, stated_only: bool = False
) -> Trace:
    """Goal or target → local goals → plans and actions → projects → KPIs with values; each row
    as sure as its least sure link (the UN hierarchy above the target is not the row's claim);
    ``stated_only`` keeps the rows whose every link the documents state."""
    rows, seen, edges = [], set(), []
    for r in trace_rows(store, g, sdg):
        t, lg, step, p, kpi = r["target"], r["local_goal"], r["step"], r["project"], r["kpi"]
        certainty, why = sure.along(g, [t, lg, step, p], [kpi, step or lg] if kpi else [])
        if stated_only and certainty != sure.STATED:
            continue
        if t != sdg:
            edges.append((t, sdg, "broader"))
        edges.append((lg, t, "broadMatch"))
        if step:
            edges.append((step, lg, "servesGoal"))
            if p:
                edges.append((p, step, "responsible"))
        elif p:
            edges.append((p, lg, "goalOwner"))
        if kpi:
            edges.append((kpi, step or lg, "measures"))
        key = (t, lg, step, p, kpi)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "target": code(g, t),
                "code_as_written": r["code_as_written"],
                "local_goal": name(g, lg),
                "step": name(g, step) if step else "",
                "step_kind": kind(g, step) if step else "",
                "project": code(g, p) if p else "",
                "served": r["served"],
                "kpi": name(g, kpi) if kpi else "",
                "values": r["values"],
                "certainty": certainty,
                "certainty_reason": why,
            }
        )
    return Trace(rows, list(dict.fromkeys(edges)), sdg)


def trace_up(
    store: Store, g: nx.MultiDiGraph[str], project: str, lang: str, stated_only: bool = False
) -> Trace:
    """Project → its actions and plans → local goals → SDG targets and goals; each row as sure
    as its least sure link below the UN hierarchy (``stated_only``: the stated rows only)."""
    res = queries.run(store, "trace_up", {"project": IRI(project)}, BIG, lang=lang)
    rows, edges = [], []
    for r in res.dicts():
        # a local goal with no UN target still leads to the KPIs that measure it
        t = find_node(g, str(r["target_code"]), SDG_KINDS) if r.get("target_code") else None
        goal = find_node(g, str(r["goal_code"]), {"SDGGoal"}) if r.get("goal_code") else None
        step, lg, kpi = r["step"], r["local_goal"], r.get("kpi")
        certainty, why = sure.along(g, [project, step, lg, t], [kpi, lg] if kpi else [])
        if stated_only and certainty != sure.STATED:
            continue
        if step != project:
            edges.append((project, step, "responsible"))
        edges.append((step, lg, "servesGoal" if step != project else "goalOwner"))
        if t:
            edges.append((lg, t, "broadMatch"))
            if goal and goal != t:
                edges.append((t, goal, "broader"))
        if kpi:
            edges.append((kpi, lg, "measures"))
        rows.append(
            {
                "step": name(g, step),
                "step_kind": kind(g, step),
                "local_goal": name(g, lg),
                "target": name(g, t) if t else (r["target_code"] or ""),
                "code_as_written": r.get("code_as_written") or "",
                "goal": name(g, goal) if goal else (r["goal_code"] or ""),
                "served": r.get("served") == "yes",
                "kpi": name(g, kpi) if kpi else "",
                "values": r.get("values") or "",
                "certainty": certainty,
                "certainty_reason": why,
            }
        )
    return Trace(rows, list(dict.fromkeys(edges)), project)


def gaps(store: Store, g: nx.MultiDiGraph[str], lang: str) -> list[dict[str, Any]]:
    """The gap reports of :func:`graph.answers.named.gaps` (what ``kg gaps`` prints) with
    IRIs as names, for the SDG page."""
    return [
        {
            "name": s.key,
            "title": s.title_in(lang),
            "columns": s.keys,
            "description": (s.notes[0].get(lang) or s.notes[0].get("nb") or "") if s.notes else "",
            "rows": relabel(g, s.result()),
        }
        for s in named_gaps(store, lang).sections
    ]


INTERACTIONS = """
SELECT ?from ?to ?score ?rationale ?assessor ?date WHERE { ?i a kg:Interaction ; kg:interactionFrom ?from ;
  kg:interactionTo ?to ; kg:score ?score . OPTIONAL { ?i kg:rationale ?rationale }
  OPTIONAL { ?i kg:assessor ?assessor } OPTIONAL { ?i kg:date ?date } }
"""


INTERACTION_RECORDS = """
SELECT ?i ?from ?to ?assessor WHERE { ?i a kg:Interaction ; kg:interactionFrom ?from ;
  kg:interactionTo ?to . OPTIONAL { ?i kg:assessor ?assessor } }
"""


def interactions(
    store: Store, g: nx.MultiDiGraph[str], lang: str = "nb", stated_only: bool = False
) -> list[dict[str, Any]]:
    """Target/goal interactions on the −3..+3 scale with the projects behind each side (may be
    none), each as sure as its record (``stated_only`` keeps the stated ones).

    Uses the named query ``interactions`` when the library has it (it also finds the projects
    that serve each side); otherwise reads the interactions directly.
    """
    behind: dict[tuple[Any, ...], list[str]] = {}
    for i, a, b, who in store.query(INTERACTION_RECORDS, None, BIG).rows:
        behind.setdefault((a, b, who), []).append(i)
    known = sure.lookup(store, [i for recs in behind.values() for i in recs])
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    if "interactions" in queries.library():
        rows = queries.run(store, "interactions", {}, BIG, lang=lang).dicts()
    else:
        rows = store.query(INTERACTIONS, None, BIG).dicts()
    for r in rows:
        key = (r["from"], r["to"], r.get("assessor"), _date_text(r.get("date")))
        row = merged.setdefault(
            key,
            {
                "from": name(g, r["from"]),
                "to": name(g, r["to"]),
                "score": int(r["score"]),
                "rationale": r.get("rationale") or "",
                "assessor": r.get("assessor") or "",
                "date": _date_text(r.get("date")),
                "projects_from": set(),
                "projects_to": set(),
            },
        )
        sure.grade(row, known, behind.get((r["from"], r["to"], r.get("assessor")), []))
        for side in ("from", "to"):
            p = r.get(f"project_{side}")
            if p:
                row[f"projects_{side}"].add(code(g, p))
    out = [
        {
            **v,
            "projects_from": ", ".join(sorted(v["projects_from"], key=natural)),
            "projects_to": ", ".join(sorted(v["projects_to"], key=natural)),
        }
        for v in merged.values()
    ]
    out = sure.keep(out, stated_only)
    return sorted(out, key=lambda x: (x["score"], x["from"], x["to"]))
