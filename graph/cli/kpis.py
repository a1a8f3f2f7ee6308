"""``kg kpis``, ``kg budget`` and ``kg risks``: the KPI measurements per municipality, the budget
lines with their sums and the risk register, as the app's KPI page shows them
(:mod:`graph.answers.kpis`)."""

from __future__ import annotations

import argparse

from graph import answers
from graph.cli.common import show, store_for

STATED = "only rows the documents state (no interpretations, no outside facts)"


def cmd_kpis(args: argparse.Namespace) -> str:
    from graph.answers import kpis as K  # networkx and the named queries: only when asked

    store = store_for(args)
    g = answers.graph_for(store, args.lang)
    kpi = K.resolve_kpi(store, g, args.kpi) if args.kpi else None
    answer = K.kpis(store, g, args.lang, kpi, args.stated_only)
    out = show(answer, args.format, args.lang)
    if args.format != "table" or not answer.notes:
        return out  # CSV and JSON stay one table / one document
    nb = args.lang == "nb"
    words = ("Enhet", "måler", "bærekraftsmål") if nb else ("Unit", "measures", "SDG")
    lines = []
    for (
        n
    ) in answer.notes:  # what each KPI measures, under the table as the app shows it over the chart
        parts = [
            f"{words[0]}: {n['unit']}" if n["unit"] else "",
            f"{words[1]}: {n['goals']}" if n["goals"] else "",
            f"{words[2]}: {n['sdgs']}" if n["sdgs"] else "",
        ]
        lines.append(f"{n['kpi']} {n['name']}: " + " · ".join(p for p in parts if p))
    return out + "\n\n" + "\n".join(lines)


def cmd_budget(args: argparse.Namespace) -> str:
    from graph.answers import kpis as K  # networkx and the named queries: only when asked

    store = store_for(args)
    g = answers.graph_for(store, args.lang)
    answer = K.budget(store, g, args.lang, args.stated_only)
    return show(answer, args.format, args.lang, headings=True)


def cmd_risks(args: argparse.Namespace) -> str:
    from graph.answers import kpis as K  # networkx and the named queries: only when asked

    store = store_for(args)
    g = answers.graph_for(store, args.lang)
    return show(K.risks(store, g, args.lang, args.stated_only), args.format, args.lang)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "kpis", parents=[common], help="KPI baselines, measurements and targets per municipality"
    )
    p.add_argument("kpi", nargs="?", help="one KPI by code, e.g. K1 (default: all)")
    p.add_argument("--stated-only", action="store_true", help=STATED)
    p.set_defaults(run=cmd_kpis)
    p = sub.add_parser(
        "budget", parents=[common], help="budget lines per year, kind and municipality, with sums"
    )
    p.add_argument("--stated-only", action="store_true", help=STATED)
    p.set_defaults(run=cmd_budget)
    p = sub.add_parser("risks", parents=[common], help="the risk register")
    p.add_argument("--stated-only", action="store_true", help=STATED)
    p.set_defaults(run=cmd_risks)
