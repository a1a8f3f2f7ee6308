"""The ``kg`` sub-commands that answer planners' questions: deps, impact, trace, gaps, whatif,
who, queries and run. Each resolves its arguments, asks :mod:`graph.answers` and prints the
answer as a table, CSV or JSON; the app shows the same answers."""

from __future__ import annotations

import argparse

from graph import answers
from graph.cli import impact
from graph.cli.common import UserError, params, show, store_for
from graph.output import render
from graph.store import Result, Store


def _node(store: Store, key: str, kinds: tuple[str, ...] = ()) -> str:
    from graph import queries  # yaml: loaded only by the commands that name a node or a query

    return queries.resolve_node(store, key, kinds, "node")


def cmd_deps(args: argparse.Namespace) -> str:
    from graph.answers import planner  # networkx: loaded only by the commands that walk the graph

    store = store_for(args)
    g = answers.graph_for(store, args.lang)
    if args.stated_only:  # only the facts the documents state
        from graph.certainty import stated_only

        g = stated_only(g)
    kinds = args.kind.split(",") if args.kind else ()
    start = _node(store, args.project)  # any kind: a deliverable, a system, a body ...
    answer = planner.deps(g, start, args.reverse, args.depth, kinds)
    return show(answer, args.format, args.lang)


def cmd_who(args: argparse.Namespace) -> str:
    from graph.answers import planner  # networkx: loaded only by the commands that walk the graph

    store = store_for(args)
    g = answers.graph_for(store, args.lang)
    from graph import queries

    project = queries.resolve_node(store, args.project, ("projects",), "project", "accountability")
    answer = planner.who(store, g, project, args.lang, args.stated_only)
    return show(answer, args.format, args.lang)


def cmd_trace(args: argparse.Namespace) -> str:
    from graph import queries
    from graph.answers import (  # networkx: loaded only by the commands that walk the graph
        planner,
    )

    store = store_for(args)
    if args.project:
        project = queries.resolve_node(store, args.project, ("projects",), "project", "trace_up")
        g = answers.graph_for(store, args.lang)
        answer = planner.trace_up(store, project, args.lang, g, args.stated_only)
        return show(answer, args.format, args.lang)
    g = answers.graph_for(store, args.lang)
    target = _node(store, args.sdg or "11", ("sdg",))
    answer = planner.trace_down(store, g, target, args.stated_only)
    return show(answer, args.format, args.lang)


def cmd_gaps(args: argparse.Namespace) -> str:
    from graph.answers import named  # networkx: loaded only by the commands that walk the graph

    return show(named.gaps(store_for(args), args.lang), args.format, args.lang, headings=True)


def cmd_conflicts(args: argparse.Namespace) -> str:
    from graph.answers import conflicts

    answer = conflicts.conflicts(store_for(args), args.lang, args.stated_only)
    return show(answer, args.format, args.lang)


def cmd_queries(args: argparse.Namespace) -> str:
    from graph import queries

    rows = [
        (
            q.name,
            q.title.get(args.lang, ""),
            ", ".join(
                f"{p.name}:{p.type}" + (f"={p.default}" if p.default is not None else "")
                for p in q.params
            ),
            "sparql" + (" cypher" if q.cypher else ""),
        )
        for q in queries.library().values()
    ]
    return render(Result(["name", "title", "params", "languages"], rows), args.format)


def cmd_run(args: argparse.Namespace) -> str:
    from graph.answers import named  # networkx: loaded only by the commands that walk the graph

    if not args.name:
        raise UserError(
            "give a query name (see 'kg queries')", "oppgi navnet på en spørring (se 'kg queries')"
        )
    answer = named.named(store_for(args), args.name, params(args.param), args.lang)
    return show(answer, args.format, args.lang)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
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
    p.add_argument("--all", action="store_true", help="also the rows left out as too weak")
    p.add_argument("--effect", help="schedule, service, accountability (default: all)")
    p.add_argument("--stated-only", action="store_true", help="only facts the documents state")
    p.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="only the first N ranked rows, with the count of all (default: every row)",
    )
    p.set_defaults(run=impact.cmd_impact)

    p = sub.add_parser(
        "whatif", parents=[common], help="'A2 slips 8 weeks' or 'Gerica is switched off'"
    )
    p.add_argument("project", nargs="?")
    p.add_argument("--weeks", type=float, default=4.0)
    p.add_argument("--system", help="a system that is switched off")
    p.add_argument(
        "--as-of",
        help="milestones before this date have passed (default: the dataset's status date)",
    )
    p.set_defaults(run=impact.cmd_whatif)

    impact.register(sub, common)  # critical-path, timeline

    p = sub.add_parser("who", parents=[common], help="the accountability chain of a project")
    p.add_argument("project")
    p.add_argument("--stated-only", action="store_true", help="only facts the documents state")
    p.set_defaults(run=cmd_who)

    p = sub.add_parser(
        "trace", parents=[common], help="SDG traceability: --sdg 11 (down) or --project AP1 (up)"
    )
    p.add_argument("--sdg")
    p.add_argument("--project")
    p.add_argument("--stated-only", action="store_true", help="only facts the documents state")
    p.set_defaults(run=cmd_trace)

    p = sub.add_parser("gaps", parents=[common], help="the gap reports")
    p.set_defaults(run=cmd_gaps)

    p = sub.add_parser(
        "conflicts", parents=[common], help="where the documents disagree, and what the graph uses"
    )
    p.add_argument("--stated-only", action="store_true", help="only readings the documents state")
    p.set_defaults(run=cmd_conflicts)

    p = sub.add_parser("queries", parents=[common], help="list the named queries")
    p.set_defaults(run=cmd_queries)

    p = sub.add_parser("run", parents=[common], help="run a named query: kg run NAME --param k=v")
    p.add_argument("name", nargs="?")
    p.add_argument("--param", "-p", action="append")
    p.set_defaults(run=cmd_run)
