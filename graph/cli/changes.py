"""``kg changes``: the audit trail of edits made in the app (graph/changes.py), newest first."""

from __future__ import annotations

import argparse


def cmd_changes(args: argparse.Namespace) -> str:
    from graph import edits
    from graph.answers.history import edit_log
    from graph.cli.common import UserError, show, store_for

    store = store_for(args)
    full = args.format == "json"  # before/after are objects: only JSON shows them whole
    try:
        answer = edit_log(store, args.dataset, args.key, args.lang, args.limit, full)
    except edits.EditError as e:
        raise UserError(e.en, e.nb) from None
    return show(answer, args.format, args.lang)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "changes",
        parents=[common],
        help="list the change sets of edits (who, when, why) / vis endringslogg",
    )
    p.add_argument("--dataset", help="dataset name (default: the only one in the store)")
    p.add_argument("--key", help="only the changes of this record (id, e.g. D7)")
    p.add_argument(
        "--limit", type=int, default=1000, help="at most this many (default %(default)s)"
    )
    p.set_defaults(run=cmd_changes)
