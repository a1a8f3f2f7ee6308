"""The ``kg`` sub-commands that answer planners' questions: deps, impact, trace, gaps, whatif,
who, queries and run. Each prints a table, CSV or JSON, and every answer names its path and
sources."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from graph import analysis, queries
from graph.certainty import path_certainty, stated_only
from graph.commands import UserError, _params, store_for
from graph.netx import reference_date, to_networkx
from graph.output import render, short
from graph.store import Limits, Result

GAPS = ("gap_targets_without_project", "gap_projects_without_goal", "gap_actions_without_kpi",
        "gap_kpis_without_measurement", "gap_bodies_without_members")  # fmt: skip


def _label(g, n: str) -> str:
    d = g.nodes[n] if n in g else {}
    return str(d.get("code") or d.get("label") or short(n))


def _path_text(g, path) -> str:
    return " → ".join(_label(g, n) for n in path)


def _reach_rows(g, reaches) -> list[tuple]:
    rows = []
    for r in reaches:
        last = r.steps[-1] if r.steps else None
        src = " ".join(x for x in (last.document.rsplit("/", 1)[-1] if last and last.document else "",
                                   last.locator if last else "") if x)  # fmt: skip
        rows.append((_label(g, r.node), g.nodes[r.node].get("label", ""), r.depth, _path_text(g, r.path),
                     last.type if last else "", (last.rationale or "") if last else "", src,
                     path_certainty(g, r.path)))  # fmt: skip
    return rows


def _view(args):
    """The store and its networkx view; with --stated-only, only the facts the documents state."""
    store = store_for(args)
    g = to_networkx(store, args.lang)
    return store, (stated_only(g) if getattr(args, "stated_only", False) else g)


PROJECT_KINDS = {"Program", "SubProject", "Study", "Task"}


def _base_kind(kind: str) -> str:
    return "Project" if kind in PROJECT_KINDS else kind


def _node(store, key: str, kinds: tuple[str, ...] = ()) -> str:
    return queries.resolve_node(store, key, kinds, "node")


def cmd_deps(args) -> str:
    store, g = _view(args)
    start = _node(store, args.project, ("projects",))
    reaches = analysis.closure(g, start, "down" if args.reverse else "up", max_depth=args.depth)
    if args.kind:
        kinds = {k.strip().lower() for k in args.kind.split(",")}
        reaches = [r for r in reaches if _base_kind(g.nodes[r.node].get("kind", "")).lower() in kinds]
    head = ["code", "label", "depth", "path", "type", "rationale", "source", "certainty"]
    return render(Result(head, _reach_rows(g, reaches)), args.format)


def cmd_impact(args) -> str:
    store, g = _view(args)
    groups = analysis.impact(g, _node(store, args.node), args.depth)
    rows = [(kind, *row) for kind, rs in groups.items() for row in _reach_rows(g, rs)]
    head = ["kind", "code", "label", "depth", "path", "type", "rationale", "source", "certainty"]
    return render(Result(head, rows), args.format)


def cmd_whatif(args) -> str:
    store = store_for(args)
    g = to_networkx(store, args.lang)
    if not args.system and not args.project:
        raise UserError(
            "give a project (and --weeks) or --system",
            "oppgi et prosjekt (og --weeks) eller --system",
        )
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else reference_date(store)
    if args.system:
        result = analysis.switch_off(g, _node(store, args.system, ("systems",)), as_of)
    else:
        result = analysis.slip(g, _node(store, args.project, ("projects",)), args.weeks, as_of)
    lines = []
    rows = [(_label(g, d.node), g.nodes[d.node].get("label", ""), d.weeks, _path_text(g, d.path),
             "ja" if d.assumed and args.lang == "nb" else ("yes" if d.assumed else "")) for d in result.delays]  # fmt: skip
    lines.append(
        render(Result(["code", "label", "delay_weeks", "path", "assumed"], rows), args.format)
    )
    ms = [(m["label"] or short(m["milestone"]), m["date"], m["late_weeks"], m["new_date"],
           _path_text(g, m["path"])) for m in result.milestones]  # fmt: skip
    lines.append(
        render(Result(["milestone", "date", "late_weeks", "new_date", "path"], ms), args.format)
    )
    return "\n\n".join(lines)


def cmd_who(args) -> str:
    return _run(args, "accountability", {"project": args.project})


def cmd_trace(args) -> str:
    if args.project:
        return _run(args, "trace_up", {"project": args.project})
    # The walk on the networkx view, as the app does (milliseconds at national scale); the rows
    # and columns are those of the named query trace_down (`kg run trace_down` runs that one).
    from graph.views.sdg import trace_rows

    store = store_for(args)
    g = to_networkx(store, args.lang)
    found = trace_rows(store, g, _node(store, args.sdg or "11", ("sdg",)))
    label = lambda n: g.nodes[n].get("label") if n else None  # noqa: E731
    code = lambda n: g.nodes[n].get("code") if n else None  # noqa: E731
    rows = sorted(
        ((r["target"], code(r["target"]), r["code_as_written"] or None, r["local_goal"], label(r["local_goal"]),
          r["step"], label(r["step"]), r["project"], code(r["project"]), "yes" if r["served"] else "no",
          r["kpi"], label(r["kpi"]), r["values"])
         for r in found),
        key=lambda row: (str(row[1]), str(row[4]), str(row[6] or ""), str(row[8] or "")),
    )  # fmt: skip
    return render(Result(TRACE_COLUMNS, rows), args.format)


TRACE_COLUMNS = ["target", "target_code", "code_as_written", "local_goal", "local_goal_label", "step",
                 "step_label", "project", "project_code", "served", "kpi", "kpi_label", "values"]  # fmt: skip


def cmd_gaps(args) -> str:
    parts = []
    for name in GAPS:
        q = queries.get(name)
        res = queries.run(store_for(args), name, {}, lang=args.lang)
        if args.format == "table":
            parts.append(
                f"## {q.title.get(args.lang, name)} ({len(res.rows)})\n" + render(res, "table")
            )
        elif args.format == "json":  # one JSON document: the reports by name
            parts.append(f"{json.dumps(name)}: {render(res, 'json')}")
        else:
            parts.append(render(res, args.format))
    if args.format == "json":
        return "{" + ",\n".join(parts) + "}"
    return "\n\n".join(parts)


def cmd_conflicts(args) -> str:
    from graph import conflicts

    found = conflicts.conflicts(store_for(args))
    return render(Result(conflicts.COLUMNS, conflicts.rows(found)), args.format)


def cmd_queries(args) -> str:
    rows = [(q.name, q.title.get(args.lang, ""), ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default
             is not None else "") for p in q.params), "sparql" + (" cypher" if q.cypher else ""))
            for q in queries.library().values()]  # fmt: skip
    return render(Result(["name", "title", "params", "languages"], rows), args.format)


def _run(args, name: str, params: dict) -> str:
    store = store_for(args)
    res = queries.run(store, name, params, Limits(), lang=args.lang)
    return render(res, args.format)


def cmd_run(args) -> str:
    if not args.name:
        raise UserError(
            "give a query name (see 'kg queries')", "oppgi navnet på en spørring (se 'kg queries')"
        )
    return _run(args, args.name, _params(args.param))


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "deps",
        parents=[common],
        help="what a project depends on (or, with --reverse, what depends on it)",
    )
    p.add_argument("project")
    p.add_argument("--reverse", action="store_true", help="dependents instead of dependencies")
    p.add_argument("--depth", type=int, help="max depth")
    p.add_argument("--kind", help="only these kinds, e.g. Project or Project,System")
    p.add_argument("--stated-only", action="store_true", help="only facts the documents state")
    p.set_defaults(run=cmd_deps)

    p = sub.add_parser(
        "impact",
        parents=[common],
        help="everything that depends on a node of any kind, grouped by kind",
    )
    p.add_argument("node")
    p.add_argument("--depth", type=int)
    p.add_argument("--stated-only", action="store_true", help="only facts the documents state")
    p.set_defaults(run=cmd_impact)

    p = sub.add_parser(
        "whatif", parents=[common], help="'A2 slips 8 weeks' or 'Gerica is switched off'"
    )
    p.add_argument("project", nargs="?")
    p.add_argument("--weeks", type=float, default=4.0)
    p.add_argument("--system", help="a system that is switched off")
    p.add_argument(
        "--as-of", help="milestones before this date have passed (default: newest status report)"
    )
    p.set_defaults(run=cmd_whatif)

    p = sub.add_parser("who", parents=[common], help="the accountability chain of a project")
    p.add_argument("project")
    p.set_defaults(run=cmd_who)

    p = sub.add_parser(
        "trace", parents=[common], help="SDG traceability: --sdg 11 (down) or --project AP1 (up)"
    )
    p.add_argument("--sdg")
    p.add_argument("--project")
    p.set_defaults(run=cmd_trace)

    p = sub.add_parser("gaps", parents=[common], help="the gap reports")
    p.set_defaults(run=cmd_gaps)

    p = sub.add_parser(
        "conflicts", parents=[common], help="where the documents disagree, and what the graph uses"
    )
    p.set_defaults(run=cmd_conflicts)

    p = sub.add_parser("queries", parents=[common], help="list the named queries")
    p.set_defaults(run=cmd_queries)

    p = sub.add_parser("run", parents=[common], help="run a named query: kg run NAME --param k=v")
    p.add_argument("name", nargs="?")
    p.add_argument("--param", "-p", action="append")
    p.set_defaults(run=cmd_run)
