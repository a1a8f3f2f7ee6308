"""The ``kg`` sub-commands for municipal files and change over time.

kg import pp FILE --municipality "Nye Vestby" [--date D] [--mapping M] [--dry-run]
kg import register FILE --municipality "Nye Vestby" [...]
kg import suggest FILE [--importer pp|register]      unknown columns + a draft mapping file
kg snapshots [--dataset D]                            the dated snapshots kept
kg diff A B [--dataset D]                             what changed (A, B: dates, latest, previous, .nq)
kg status-history [--dataset D] [--project P]         each project's status per snapshot date
kg as-of DATE QUERY [-p NAME=VALUE]                   a named query or SPARQL on the graph as of DATE
kg export-pp -o FILE.xlsx [--dataset D] [--as-of DATE]
kg export-archimate -o FOLDER [--dataset D] [--prefix P] [--as-of DATE]
kg export-rdf --to turtle|jsonld -o FILE [--dataset D] [--as-of DATE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from graph.cli.common import UserError, params, progress_printer, show, store_for, write_output
from graph.output import render
from graph.store import Limits, Result, Store, default_path, open_store


def _given(text: str | None) -> dt.date | None:
    """--date of kg import: 2018-03-31, 2018-03 (the month's last day) or 31.03.2018; exit 1 if not."""
    from loaders.importing import given_date

    if text is None:
        return None
    try:
        return given_date(text)
    except ValueError:
        raise UserError(
            f"--date '{text}' is not a date: write 2018-03-31, 2018-03 or 31.03.2018",
            f"--date '{text}' er ikke en dato: skriv 2018-03-31, 2018-03 eller 31.03.2018",
        ) from None


def _root(args: argparse.Namespace) -> Path:
    from graph import snapshots  # pyoxigraph and the store: loaded by the commands that use them

    return snapshots.root_for(args.store or default_path())


def cmd_import(args: argparse.Namespace) -> str:
    # openpyxl and the importers, loaded only by this command (start-up of the others)
    from graph.imports import import_file, suggest_mapping
    from loaders.spreadsheet import slug

    if args.importer == "suggest":
        s = suggest_mapping(args.file, args.kind, args.mapping)
        if args.format == "json":  # one JSON document, the draft mapping inside it
            import json

            return json.dumps(s.as_dict(), ensure_ascii=False, indent=2)
        rows = [(c.sheet or "", c.column, ", ".join(c.candidates)) for c in s.columns]
        rows += [
            (s.sheet or "", f"{f} = {v}", ", ".join(c)) for f, vs in s.values.items() for v, c in vs
        ]
        head = (
            "Ukjente kolonner og verdier" if args.lang == "nb" else "Unknown columns and values"
        ) + f" ({s.importer}):"
        table = (
            render(Result(["sheet", "column", "suggestions"], rows), args.format) if rows else "–"
        )
        draft = "Utkast til kolonnefil:" if args.lang == "nb" else "Draft mapping file:"
        both = "".join(
            (
                "\nKolonnene {} ville alle gi feltet {}"
                if args.lang == "nb"
                else "\nThe columns {} would all feed the field {}"
            ).format(", ".join(cs), f)
            for f, cs in s.conflicts.items()
        )
        return f"{head}\n{table}{both}\n\n{draft}\n{s.yaml()}"

    # The workspace lives beside the store folder whatever the backend, so a Neo4j or SPARQL
    # store keeps its history between runs too; a dry run reads it and writes nothing.
    dataset = args.dataset or slug(args.municipality)
    workspace = args.workspace or Path(args.store or default_path()).parent / "imports" / dataset
    if args.dry_run:
        store = open_store("memory")
    else:
        store = store_for(args, write=True)
    rep = import_file(
        store,
        args.file,
        args.importer,
        args.municipality,
        dataset=dataset,
        date=_given(args.date),
        mapping=args.mapping,
        workspace=workspace,
        dry_run=args.dry_run,
        snapshot_root=_root(args),
        progress=progress_printer(args.lang),
    )
    # The app shows the same answer (views/importer.py); JSON keeps ImportReport.as_dict's keys.
    from graph.answers.imports import import_report

    return show(import_report(rep, args.lang), args.format, args.lang, headings=True)


def cmd_snapshots(args: argparse.Namespace) -> str:
    from graph.answers.history import snapshot_list

    # paths under the current folder are shown relative (shorter, and stable)
    answer = snapshot_list(_root(args), args.dataset, args.lang, here=Path.cwd())
    return show(answer, args.format, args.lang)


def cmd_diff(args: argparse.Namespace) -> str:
    # loaded only by this command (start-up of the others)
    from graph.answers.history import changes_between

    answer = changes_between(_root(args), args.a, args.b, args.dataset, args.lang)
    if args.format == "json":  # one document: the headline's facts before the rows
        body = json.loads(show(answer, "json", args.lang))
        return json.dumps(
            {**answer.facts, **{k: v for k, v in body.items() if k not in answer.facts}},
            ensure_ascii=False,
            indent=2,
        )
    if args.format == "csv":  # one table, like every -f csv output
        return show(answer, "csv", args.lang)
    return answer.title_in(args.lang) + "\n" + show(answer, args.format, args.lang)


def cmd_status_history(args: argparse.Namespace) -> str:
    from graph.answers.history import datasets, status_strip

    root = _root(args)
    known = datasets(root)
    name = args.dataset or (next(iter(known)) if len(known) == 1 else None)
    if name is None or name not in known:
        raise UserError(
            f"no snapshots of '{name}' in {root} (known: {', '.join(known) or 'none'})"
            if name
            else f"snapshots of several datasets ({', '.join(known)}): choose one with --dataset"
            if known
            else f"no snapshots in {root}; load or import first",
            f"ingen øyeblikksbilder av '{name}' i {root} (kjente: {', '.join(known) or 'ingen'})"
            if name
            else f"øyeblikksbilder av flere datasett ({', '.join(known)}): velg ett med --dataset"
            if known
            else f"ingen øyeblikksbilder i {root}; last eller importer først",
        )
    return show(status_strip(root, name, args.lang, args.project), args.format, args.lang)


def _store(args: argparse.Namespace) -> Store:
    """The store to export from: the live one, or the snapshots as of --as-of."""
    if getattr(args, "as_of", None):
        from graph import snapshots

        return snapshots.as_of(_root(args), args.as_of)
    return store_for(args)


def cmd_as_of(args: argparse.Namespace) -> str:
    # loaded only by this command (start-up of the others)
    from graph import queries, snapshots

    store = snapshots.as_of(_root(args), args.date)
    text = args.query
    if text in queries.library():
        res = queries.run(
            store, text, params(args.param), Limits(seconds=args.timeout), lang=args.lang
        )
    else:
        if Path(text).is_file():
            text = Path(text).read_text(encoding="utf-8")
        res = store.query(text, params(args.param), Limits(seconds=args.timeout))
    when = ", ".join(f"{k} {v}" for k, v in sorted(store.as_of.items()))
    sys.stderr.write(
        f"Grafen per {args.date} ({when})\n"
        if args.lang == "nb"
        else f"The graph as of {args.date} ({when})\n"
    )
    return render(res, args.format)


def cmd_export_pp(args: argparse.Namespace) -> str:
    # loaded only by this command (start-up of the others)
    from graph.exports import export_portfolio

    n = export_portfolio(_store(args), args.output, args.dataset)
    if args.format == "json":
        import json

        return json.dumps({"projects": n, "file": str(args.output)})
    return (
        f"Skrev {n} prosjekter til {args.output}"
        if args.lang == "nb"
        else f"Wrote {n} projects to {args.output}"
    )


def cmd_export_archimate(args: argparse.Namespace) -> str:
    # loaded only by this command (start-up of the others)
    from graph import archimate
    from graph.exports import quads_of

    counts = archimate.write(
        quads_of(_store(args), args.dataset, sdg=True),
        args.output,
        args.prefix,
        args.dataset or "Kommunegraf",
    )
    c = counts
    if args.format == "json":
        import json

        return json.dumps({**c, "folder": str(args.output)})
    if args.lang == "nb":
        return f"Skrev {c['elements']} elementer, {c['relations']} relasjoner og {c['properties']} egenskaper til {args.output}"
    return f"Wrote {c['elements']} elements, {c['relations']} relations and {c['properties']} properties to {args.output}"


def cmd_export_rdf(args: argparse.Namespace) -> str:
    # loaded only by this command (start-up of the others)
    from graph.exports import export_rdf

    data = export_rdf(_store(args), args.to, args.dataset)
    return write_output(args, data)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "import", parents=[common], help="import a Prosjektportalen export or an ICT register"
    )
    kinds = p.add_subparsers(dest="importer", required=True)
    for name, text in (
        ("pp", "a Prosjektportalen portfolio export (XLSX/CSV)"),
        ("register", "an ICT system register: system list and/or evaluation list"),
    ):
        q = kinds.add_parser(name, parents=[common], help=text)
        q.add_argument("file", type=Path)
        q.add_argument("--municipality", "-m", required=True, help='whose data, e.g. "Nye Vestby"')
        q.add_argument("--dataset", help="dataset name (default: from the municipality)")
        q.add_argument(
            "--date",
            help="export date: 2018-03-31, 2018-03 or 31.03.2018 (default: the file's "
            "latest report date, else a date in the file name, else today)",
        )
        q.add_argument(
            "--mapping", type=Path, help="a column/value mapping file (docs/importers.md)"
        )
        q.add_argument(
            "--workspace",
            type=Path,
            help="where earlier imports are kept (default .kg/imports/DATASET)",
        )
        q.add_argument("--dry-run", action="store_true", help="check only; change nothing")
        q.set_defaults(run=cmd_import)
    q = kinds.add_parser(
        "suggest", parents=[common], help="list unknown columns and draft a mapping file"
    )
    q.add_argument("file", type=Path)
    q.add_argument("--importer", dest="kind", choices=["pp", "register"])
    q.add_argument("--mapping", type=Path)
    q.set_defaults(run=cmd_import)

    p = sub.add_parser(
        "snapshots", parents=[common], help="list the dated snapshots / list øyeblikksbilder"
    )
    p.add_argument("--dataset")
    p.set_defaults(run=cmd_snapshots)

    p = sub.add_parser(
        "diff", parents=[common], help="what changed between two snapshots / hva er endret"
    )
    p.add_argument("a", help="date (YYYY-MM-DD), previous, latest or a .nq file")
    p.add_argument("b", nargs="?", default="latest")
    p.add_argument("--dataset")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser(
        "status-history",
        parents=[common],
        help="each project's status per snapshot date / status over tid per prosjekt",
    )
    p.add_argument("--dataset")
    p.add_argument("--project", help="one project's rows only (its code, e.g. DV-1)")
    p.set_defaults(run=cmd_status_history)

    p = sub.add_parser(
        "as-of", parents=[common], help="run a named query or SPARQL on the graph as of a date"
    )
    p.add_argument(
        "date", help="YYYY-MM-DD"
    )  # checked by snapshots.as_of: exit 1, not argparse's 2
    p.add_argument("query", help="a named query (see 'kg queries'), SPARQL text or a file")
    p.add_argument("--param", "-p", action="append", help="NAME=VALUE")
    p.add_argument("--timeout", type=float, default=Limits().seconds)
    p.set_defaults(run=cmd_as_of)

    for name, fn, text in (
        ("export-pp", cmd_export_pp, "a Prosjektportalen-shaped Excel portfolio"),
        (
            "export-archimate",
            cmd_export_archimate,
            "ArchiMate CSV for Archi (elements, relations, properties)",
        ),
        ("export-rdf", cmd_export_rdf, "one dataset as Turtle or JSON-LD"),
    ):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("--dataset")
        p.add_argument("--as-of", help="export the snapshots as of this date (YYYY-MM-DD)")
        if name == "export-rdf":
            p.add_argument("--to", choices=["turtle", "jsonld", "nquads", "trig"], default="turtle")
            p.add_argument("--output", "-o", type=Path)
        else:
            p.add_argument("--output", "-o", type=Path, required=True)
        if name == "export-archimate":
            p.add_argument(
                "--prefix", default="", help="file name prefix, e.g. vestby- → vestby-elements.csv"
            )
        p.set_defaults(run=fn)


__all__ = ["register"]
