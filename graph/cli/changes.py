"""``kg changes``: the audit trail of edits made in the app (graph/changes.py), newest first."""

from __future__ import annotations

import argparse

from graph.output import render
from graph.store import Result


def cmd_changes(args: argparse.Namespace) -> str:
    from graph import changes, edits
    from graph.cli.common import UserError, store_for

    if args.backend == "neo4j":  # the change sets are RDF: read them from the RDF beside the graph
        from graph.config import backend_options
        from graph.shared import open_shared

        store = open_shared("neo4j", **backend_options("neo4j"))
    else:
        store = store_for(args)
    try:
        ds = edits.dataset(store, args.dataset)
    except edits.EditError as e:
        raise UserError(e.en, e.nb) from None
    rows = changes.changes(store, ds.base, limit=args.limit)
    if args.key:
        rows = [c for c in rows if c.key == args.key]
    full = args.format == "json"  # before/after are objects: only JSON shows them whole
    cols = ["id", "when", "who", "action", "kind", "key", "reason", "undoes"]
    cols += ["before", "after"] if full else []
    out = [tuple(c.as_dict()[k] for k in cols) for c in rows]
    return render(Result(cols, out), args.format)


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
