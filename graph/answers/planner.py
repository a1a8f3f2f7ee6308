"""One function per planner question, each returning an :class:`~graph.answers.answer.Answer`.

``kg deps|who|trace|gaps`` print these answers and the app's pages show the same rows (the
app's governance and SDG pages call the builders these answers are made from:
:func:`~graph.answers.governing.accountability`, :func:`~graph.answers.sdg.trace_rows`).
Impact, what-if, critical path and timeline are in :mod:`graph.answers.scenarios`. Every function takes the store, the labelled networkx
view (:func:`~graph.answers.common.graph_for`) and IRIs already resolved by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import analysis
from graph.answers import sure
from graph.answers.answer import Answer, Step, cols
from graph.answers.common import BIG, code, handle, handle_path, kind, name, source_text
from graph.answers.governing import accountability
from graph.answers.named import named
from graph.answers.sdg import trace_rows
from graph.certainty import path_certainty
from graph.store import IRI


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


def reach_rows(g: nx.MultiDiGraph[str], reaches: Iterable[analysis.Reach]) -> list[ImpactRow]:
    rows = []
    for r in reaches:
        last = r.steps[-1] if r.steps else None
        rows.append(
            ImpactRow(
                r.node,
                handle(g, r.node),
                name(g, r.node),
                kind(g, r.node),
                r.depth,
                handle_path(g, r.path),
                last.predicate if last else "",
                last.type if last else None,
                (last.rationale or "") if last else "",
                source_text(g, last.document, last.locator) if last else "",
                path_certainty(g, list(r.path)),
            )
        )
    return rows


REACH = cols(
    ("code", "kode", "code"),
    ("label", "navn", "label"),
    ("depth", "dybde", "depth"),
    ("path", "sti", "path"),
    ("type", "type", "type"),
    ("rationale", "begrunnelse", "rationale"),
    ("source", "kilde", "source"),
    ("certainty", "sikkerhet", "certainty"),
)


def _reach(
    rows: Iterable[ImpactRow], **extra: str
) -> tuple[list[dict[str, Any]], list[list[Step]]]:
    out, why = [], []
    for r in rows:
        out.append(
            {
                "code": r.code,
                "label": r.name,
                "depth": r.depth,
                "path": r.path,
                "type": r.type or "",
                "rationale": r.rationale,
                "source": r.source,
                "certainty": r.certainty,
                "node": r.node,
                "kind": r.kind,
                "predicate": r.predicate,
                **extra,
            }
        )
        hops = r.path.split(" → ")
        before = hops[-2] if len(hops) > 1 else ""
        why.append([Step(before, r.code, r.predicate, r.type, r.rationale, r.source)])
    return out, why


def deps(
    g: nx.MultiDiGraph[str],
    project: str,
    reverse: bool = False,
    depth: int | None = None,
    kinds: Iterable[str] = (),
) -> Answer:
    """What ``project`` depends on (or, ``reverse``, what depends on it), with path and source.

    ``kinds`` keeps only nodes of those kinds (case-insensitive; ``project`` covers every kind
    of project)."""
    reaches = analysis.closure(g, project, "down" if reverse else "up", max_depth=depth)
    wanted = {k.strip().lower() for k in kinds if k.strip()}
    if wanted:

        def base(k: str) -> str:
            return "project" if k in analysis.PROJECT_KINDS else k.lower()

        reaches = [r for r in reaches if base(kind(g, r.node)) in wanted]
    rows, why = _reach(reach_rows(g, reaches))
    title = {
        "nb": f"Hva {code(g, project)} avhenger av",
        "en": f"What {code(g, project)} depends on",
    }
    if reverse:
        title = {
            "nb": f"Hva som avhenger av {code(g, project)}",
            "en": f"What depends on {code(g, project)}",
        }
    return Answer("deps", title, REACH, rows, why=why)


WHO = cols(
    ("role", "rolle", "role"),
    ("node", "node", "node"),
    ("code", "kode", "code"),
    ("label", "navn", "label"),
    ("depth", "nivå", "depth"),
    ("date", "dato", "date"),
) + [sure.CERTAINTY]


def who(
    store: Any, g: nx.MultiDiGraph[str], project: str, lang: str, stated_only: bool = False
) -> Answer:
    """The accountability chain of ``project``: owner, leader, steering body, mandate and who
    decided it, and the bodies above it with their level (named query ``accountability``);
    each row as sure as its link into the chain (``stated_only`` keeps the stated ones)."""
    rows = [
        {
            **r,
            "node": IRI(r["node"]),
            "code": _handle(g, r["node"]),
            "label": r["name"],
            "depth": r["level"],
        }
        for r in accountability(store, g, project, lang, stated_only)
    ]
    title = {"nb": f"Hvem styrer {code(g, project)}", "en": f"Who governs {code(g, project)}"}
    return Answer("who", title, WHO, rows)


def _handle(g: nx.MultiDiGraph[str], n: str) -> str:
    """A node's identifier in the data (``ragnar-husum``, ``A4``): what ``kg`` accepts back."""
    d = g.nodes[n] if n in g else {}
    return str(d.get("notation") or d.get("id") or n.rstrip("/").rsplit("/", 1)[-1])


TRACE = cols(
    ("target", "delmål", "target"),
    ("target_code", "delmålskode", "target code"),
    ("code_as_written", "kode i dokumentet", "code as written"),
    ("local_goal", "lokalt mål", "local goal"),
    ("local_goal_label", "lokalt mål (navn)", "local goal (label)"),
    ("step", "tiltak/plan", "action/plan"),
    ("step_label", "tiltak/plan (navn)", "action/plan (label)"),
    ("project", "prosjekt", "project"),
    ("project_code", "prosjektkode", "project code"),
    ("served", "betjent", "served"),
    ("kpi", "KPI", "KPI"),
    ("kpi_label", "KPI (navn)", "KPI (label)"),
    ("values", "verdier", "values"),
    ("certainty", "sikkerhet", "certainty"),
)


def trace_down(store: Any, g: nx.MultiDiGraph[str], sdg: str, stated_only: bool = False) -> Answer:
    """SDG goal or target → local goals → plans and actions → projects → KPIs with values.

    The walk runs on the networkx view; the rows and columns are those of the named query
    ``trace_down`` (``kg run trace_down`` runs that one)."""

    def label(n: str | None) -> Any:
        return g.nodes[n].get("label") if n else None

    def code_(n: str | None) -> Any:
        return g.nodes[n].get("code") if n else None

    rows = [
        {
            "target": r["target"],
            "target_code": code_(r["target"]),
            "code_as_written": r["code_as_written"] or None,
            "local_goal": r["local_goal"],
            "local_goal_label": label(r["local_goal"]),
            "step": r["step"],
            "step_label": label(r["step"]),
            "project": r["project"],
            "project_code": code_(r["project"]),
            "served": "yes" if r["served"] else "no",
            "kpi": r["kpi"],
            "kpi_label": label(r["kpi"]),
            "values": r["values"],
            # as sure as its least sure link below the UN hierarchy (graph/answers/sure.py)
            **dict(
                zip(
                    ("certainty", "certainty_reason"),
                    sure.along(
                        g,
                        [r["target"], r["local_goal"], r["step"], r["project"]],
                        [r["kpi"], r["step"] or r["local_goal"]] if r["kpi"] else [],
                    ),
                    strict=True,
                )
            ),
        }
        for r in trace_rows(store, g, sdg)
    ]
    rows = sure.keep(rows, stated_only)
    rows.sort(
        key=lambda r: (
            str(r["target_code"]),
            str(r["local_goal_label"]),
            str(r["step_label"] or ""),
            str(r["project_code"] or ""),
        )
    )
    title = {"nb": "Sporing nedover", "en": "Trace down"}
    return Answer("trace_down", title, TRACE, rows)


def trace_up(
    store: Any,
    project: str,
    lang: str,
    g: nx.MultiDiGraph[str] | None = None,
    stated_only: bool = False,
) -> Answer:
    """Project → its actions and plans → local goals → SDG targets and goals (named query);
    with the networkx view ``g``, each row also says how sure it is (its least sure link
    below the UN hierarchy) and ``stated_only`` keeps the stated rows."""
    answer = named(store, "trace_up", {"project": IRI(project)}, lang, BIG)
    if g is None:
        return answer
    from graph.answers.common import SDG_KINDS, find_node

    for r in answer.rows:
        t = find_node(g, str(r["target_code"]), SDG_KINDS) if r.get("target_code") else None
        hops = [project, r.get("step"), r.get("local_goal"), t]
        kpi = [r.get("kpi"), r.get("local_goal")] if r.get("kpi") else []
        r["certainty"], r["certainty_reason"] = sure.along(g, hops, kpi)
    answer.rows = sure.keep(answer.rows, stated_only)
    answer.columns = [*answer.columns, sure.CERTAINTY]
    return answer
