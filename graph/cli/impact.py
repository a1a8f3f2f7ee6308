"""``kg impact``, ``kg whatif``, ``kg critical-path`` and ``kg timeline``: renderers of the
answers in graph/answers/scenarios.py (the app's impact page shows the same answers)."""

from __future__ import annotations

import argparse

from graph import queries
from graph.answers import scenarios as A
from graph.answers.answer import UserError
from graph.cli.common import show, store_for
from graph.netx import to_networkx


def cmd_impact(args: argparse.Namespace) -> str:
    store = store_for(args)
    g = to_networkx(store, args.lang)
    start = queries.resolve_node(store, args.node, (), "node")
    effects = A.effects_from(args.effect)
    answer = A.impact(g, start, effects, args.all, args.depth, args.stated_only, args.lang)
    return show(answer, args.format, args.lang)


def cmd_whatif(args: argparse.Namespace) -> str:
    store = store_for(args)
    g = to_networkx(store, args.lang)
    if not args.system and not args.project:
        raise UserError(
            "give a project (and --weeks) or --system",
            "oppgi et prosjekt (og --weeks) eller --system",
        )
    start = queries.resolve_node(store, args.system or args.project, (), "node")
    as_of, given = A.as_of_for(store, start, args.as_of)
    if args.system:
        answer = A.switch_off(store, g, start, as_of, args.lang, given)
        return show(answer, args.format, args.lang, headings=True)
    return show(A.slip(store, g, start, args.weeks, as_of, given), args.format, args.lang)


def cmd_critical_path(args: argparse.Namespace) -> str:
    store = store_for(args)
    g = to_networkx(store, args.lang)
    start = queries.resolve_node(store, args.milestone, (), "milestone")
    return show(A.critical_path(g, start), args.format, args.lang)


def cmd_timeline(args: argparse.Namespace) -> str:
    store = store_for(args)
    g = to_networkx(store, args.lang)
    start = queries.resolve_node(store, args.slip, (), "slip") if args.slip else None
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
