"""``kg impact``, ``kg whatif``, ``kg critical-path`` and ``kg timeline``: renderers of the
answers in graph/answers/scenarios.py (the app's impact page shows the same answers)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, cast

from graph.answers import scenarios as A
from graph.answers.answer import Answer, UserError
from graph.cli.common import show, store_for
from graph.store import Store

if TYPE_CHECKING:
    import networkx as nx

# graph.queries (yaml) and graph.netx (networkx) are imported where they are used: `kg impact`
# answers from the compact view (graph/carryfile.py) without them.


def _graph(store: Store, lang: str) -> nx.MultiDiGraph[str]:
    from graph.netx import to_networkx

    return to_networkx(store, lang)


def _node(store: Store, key: str, param: str) -> str:
    from graph import queries

    return queries.resolve_node(store, key, (), param)


def _compact_impact(store: Store, args: argparse.Namespace) -> Answer | bool:
    """The impact answer from the compact view of the store's generation; else whether the
    networkx view should write one (there is none for this generation and code)."""
    from graph import carryfile

    gen = store.opened if args.backend == "embedded" and not args.stated_only else None
    if gen is None:
        return False
    view = carryfile.open_view(gen, f"netx-{args.lang}-0")
    if view is None:
        return True
    start = carryfile.resolve(store, view, args.node)
    if start is None or start not in view:
        return False  # resolve_node words the error; a node outside the view as before
    effects = A.effects_from(args.effect)
    # The compact view answers what impact() reads of a graph (nodes[n], n in g, the carrying
    # links): it stands in for the networkx view here, and only here.
    g = cast("nx.MultiDiGraph[str]", view)
    return A.impact(g, start, effects, args.all, args.depth, False, args.lang, args.limit)


def cmd_impact(args: argparse.Namespace) -> str:
    if args.limit is not None and args.limit < 0:
        raise UserError(
            f"--limit {args.limit}: give a number of rows, 0 or more",
            f"--limit {args.limit}: oppgi et antall rader, 0 eller flere",
        )
    store = store_for(args)
    answer = _compact_impact(store, args)
    if not isinstance(answer, Answer):
        g = _graph(store, args.lang)
        view, gen = f"netx-{args.lang}-0", store.opened
        if answer and gen is not None:  # none for this generation and code: the next run has one
            from graph.carryfile import path_for, write_for

            if not path_for(gen, view).exists():  # (building the view just wrote it)
                write_for(store, view, g)
        start = _node(store, args.node, "node")
        effects = A.effects_from(args.effect)
        answer = A.impact(
            g, start, effects, args.all, args.depth, args.stated_only, args.lang, args.limit
        )
    return show(answer, args.format, args.lang)


def cmd_whatif(args: argparse.Namespace) -> str:
    store = store_for(args)
    g = _graph(store, args.lang)
    if not args.system and not args.project:
        raise UserError(
            "give a project (and --weeks) or --system",
            "oppgi et prosjekt (og --weeks) eller --system",
        )
    start = _node(store, args.system or args.project, "node")
    as_of, given = A.as_of_for(store, start, args.as_of)
    if args.system:
        answer = A.switch_off(store, g, start, as_of, args.lang, given)
        return show(answer, args.format, args.lang, headings=True)
    return show(A.slip(store, g, start, args.weeks, as_of, given), args.format, args.lang)


def cmd_critical_path(args: argparse.Namespace) -> str:
    store = store_for(args)
    g = _graph(store, args.lang)
    start = _node(store, args.milestone, "milestone")
    return show(A.critical_path(g, start), args.format, args.lang)


def cmd_timeline(args: argparse.Namespace) -> str:
    store = store_for(args)
    g = _graph(store, args.lang)
    start = _node(store, args.slip, "slip") if args.slip else None
    return show(A.timeline(store, g, start, args.weeks), args.format, args.lang)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``kg critical-path MILESTONE`` and ``kg timeline [--slip NODE --weeks N]``."""
    p = sub.add_parser(
        "critical-path",
        parents=[common],
        help="the chain of dependencies that decides a milestone's date",
    )
    p.add_argument("milestone")
    p.set_defaults(run=cmd_critical_path)
    p = sub.add_parser(
        "timeline",
        parents=[common],
        help="projects and milestones with dates and dependency arrows, before/after a slip",
    )
    p.add_argument("--slip", help="a node that slips")
    p.add_argument("--weeks", type=float, default=4.0)
    p.set_defaults(run=cmd_timeline)
