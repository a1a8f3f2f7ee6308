"""``kg changes``: the audit trail of edits made in the app (graph/changes.py), newest first."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.store import Store


def _edited_store(args: argparse.Namespace) -> Store:
    """The store the edits are read from: on Neo4j the RDF beside the graph (the change sets
    are RDF; the property graph does not hold them)."""
    from graph.cli.common import store_for

    if getattr(args, "backend", None) == "neo4j":
        from graph.config import backend_options
        from graph.shared import open_shared

        return open_shared("neo4j", **backend_options("neo4j"))
    return store_for(args)


def cmd_changes(args: argparse.Namespace) -> str:
    from graph import edits
    from graph.answers.history import edit_log
    from graph.cli.common import UserError, show

    store = _edited_store(args)
    full = args.format == "json"  # before/after are objects: only JSON shows them whole
    try:
        answer = edit_log(store, args.dataset, args.key, args.lang, args.limit, full)
    except edits.EditError as e:
        raise UserError(e.en, e.nb) from None
    return show(answer, args.format, args.lang)


def cmd_export_csv(args: argparse.Namespace) -> str:
    from graph import csvexport, edits
    from graph.cli.common import UserError

    store = _edited_store(args)
    try:
        rep = csvexport.export_csv(store, args.folder, args.out, args.dataset)
    except edits.EditError as e:
        raise UserError(e.en, e.nb) from None
    files = ", ".join(rep.files) or "—"
    if args.lang == "nb":
        return (
            f"Skrev endringene til {rep.folder}: {rep.changed} endret, {rep.added} lagt til, "
            f"{rep.removed} fjernet ({files})."
        )
    return (
        f"Wrote the edits to {rep.folder}: {rep.changed} changed, {rep.added} added, "
        f"{rep.removed} removed ({files})."
    )


def check_load(store: object, args: argparse.Namespace) -> object:
    """Refuse a ``kg load`` that would replace edits the folder does not hold; else what
    :func:`after_load` needs to keep the audit trail of the edits it does hold."""
    from graph import csvexport
    from graph.cli.common import UserError
    from graph.store import Store

    if getattr(args, "discard_edits", False) or not isinstance(store, Store):
        return None
    check = csvexport.check_load(store, args.path)
    lost = check.lost
    if not lost:
        return check
    names = ", ".join(lost[:10]) + (f" (+{len(lost) - 10})" if len(lost) > 10 else "")
    raise UserError(
        f"the store holds edits made in the app that {args.path} does not have and a load would "
        f"lose: {names}. Write them to the folder first with `kg export-csv {args.path}`, "
        "or load anyway with --discard-edits. Nothing was changed.",
        f"lageret har endringer gjort i appen som {args.path} ikke har, og som ville gått tapt "
        f"ved lasting: {names}. Skriv dem til mappen først med `kg export-csv {args.path}`, "
        "eller last likevel med --discard-edits. Ingenting er endret.",
    )


def after_load(store: object, check: object) -> None:
    """Put the change sets back after a load that held every edit (the history stays)."""
    from graph import csvexport
    from graph.store import Store

    if isinstance(check, csvexport.LoadCheck) and isinstance(store, Store):
        csvexport.keep_trail(store, check)


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

    p = sub.add_parser(
        "export-csv",
        parents=[common],
        help="write the edits made in the app back to the dataset's CSV folder "
        "/ skriv endringene tilbake til CSV-mappen",
    )
    p.add_argument(
        "folder", type=Path, help="the dataset's CSV folder (the one it was loaded from)"
    )
    p.add_argument("--out", type=Path, help="write a copy here instead (a new or empty folder)")
    p.add_argument("--dataset", help="dataset name (default: the folder's manifest)")
    p.set_defaults(run=cmd_export_csv)
