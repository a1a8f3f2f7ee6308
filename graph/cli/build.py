"""The ``kg`` sub-commands for building and inspecting the graph (load, validate, stats, query, export)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from graph.cli.common import params, progress_printer, store_for, write_output
from graph.output import render
from graph.store import Capability, Limits, Result, Store
from graph.viewparse import Parsed
from loaders.errors import LoadError


def cmd_load(args: argparse.Namespace) -> str:
    import gc

    from graph.cli.common import Process

    # Millions of objects and no garbage cycles (reference counting frees them): the steps of a
    # load turn the collector off each for itself, and each gc.enable() after one set off a
    # pass over all it had made (~1.5 s at 1M). Off for the whole command instead, back on once
    # the load's objects are gone (the CLI may run inside a longer process: the tests), and
    # left off when the process ends with the command: it then leaves at once, not freeing
    # what the load made (graph.cli.run).
    enabled = gc.isenabled()
    gc.disable()
    done = False
    try:
        out = _load(args)
        done = True
        return out
    finally:
        if done and Process.ends_with_command and args.backend == "embedded":
            # every file the load wrote is closed and its writer dropped; the store is open
            # to read only (a server's driver, by contrast, is closed on the way out)
            Process.leave_at_once = True
        elif enabled:
            gc.enable()


def _load(args: argparse.Namespace) -> str:
    # loaded only by this command (start-up of the others)
    from graph import viewlines
    from graph.answers import viewrows
    from graph.load import load

    if args.no_wait:
        from graph.writelock import set_wait

        set_wait(False)
    store = store_for(args, write=True)
    say = progress_printer(args.lang)
    from graph.cli.changes import after_load, check_load

    edited = check_load(store, args)  # edits made in the app that the folder lacks: refuse
    # A trail to put back means one more write after the load: the views then follow it.
    trail = bool(getattr(edited, "trail", None))
    warm = args.warm and store.supports(Capability.GENERATIONS)

    early: list[viewrows.ViewRows] = []
    answered: list[viewrows.Answered] = []

    def compacted(reader: Store, parsed: Parsed | None) -> None:
        """The status query, on the new generation once compacted (beside ``ahead``)."""
        answered.append(viewrows.ask_ahead(reader, args.lang))

    def ahead(parsed: Parsed) -> None:
        """The networkx view from the load's lines, while the new generation compacts."""
        say("building the app's graph view", "bygger grafvisningen til appen")
        early.append(viewrows.ahead(store, parsed, args.lang))

    def views(parsed: Parsed | None, why: str) -> None:
        """The rest of the app's views, once the new generation is live."""
        if store.opened is None:
            return
        started = time.perf_counter()
        say("preparing the app's graph view", "forbereder grafvisningen til appen")
        # from the kept lines as the load read them (or, without them, as kept beside the
        # generation, else from the store)
        from graph import aside

        # the view's files are written by forked children while the rest is built
        with aside.writing_aside():
            note = viewrows.prepare(
                store,
                None,
                args.lang,
                parsed,
                early.pop() if early else None,
                answered.pop() if answered else None,
            )
        if note:  # say why this took longer than usual
            note = why or note
            say(
                f"the views were read from the store: {note}",
                f"visningene ble lest fra lageret: {viewlines.NB.get(note, note)}",
            )
        say(
            f"view ready in {time.perf_counter() - started:.1f} s",
            f"visningen er klar på {time.perf_counter() - started:.1f} s",
        )

    try:
        rep = load(
            store,
            args.path,
            say,
            foreign=args.foreign_graphs,
            views=views if warm and not trail else None,
            ahead=ahead if warm and not trail else None,
            compacted=compacted if warm and not trail else None,
        )
    except LoadError as e:  # a Prosjektportalen export or register: point to kg import
        from graph.imports import add_import_hint

        raise add_import_hint(e, args.path) from None
    after_load(store, edited)  # the audit trail of edits the folder holds stays
    if warm and trail:  # views of the generation the trail was written to, read from the store
        views(None, "")
    for en, nb in rep.warnings:  # loaded anyway, but worth a look
        sys.stderr.write(f"Advarsel: {nb}\n" if args.lang == "nb" else f"Warning: {en}\n")
    if rep.moved:
        sys.stderr.write(
            f"{rep.moved} kvader ble flyttet fra andre datasetts grafer inn i '{rep.name}'.\n"
            if args.lang == "nb"
            else f"{rep.moved} quads were moved from other datasets' graphs into '{rep.name}'.\n"
        )
    if args.format == "json":  # one document: the report, its warnings in the language chosen
        nb = args.lang == "nb"
        report = {
            "dataset": rep.name,
            "records": rep.records,
            "triples": rep.quads,
            "live_after_s": round(rep.seconds, 3),
            "views_ready_after_s": round(rep.views_seconds, 3),
            "moved_quads": rep.moved,
            "warnings": [w_nb if nb else w_en for w_en, w_nb in rep.warnings],
        }
        return json.dumps(report, ensure_ascii=False)
    if args.lang == "nb":
        ready = f", visningene klare {rep.views_seconds:.1f} s senere" if rep.views_seconds else ""
        return (
            f"Lastet '{rep.name}': {rep.records} poster, {rep.quads} tripler "
            f"(i bruk etter {rep.seconds:.1f} s{ready})."
        )
    ready = f", views ready {rep.views_seconds:.1f} s later" if rep.views_seconds else ""
    return (
        f"Loaded '{rep.name}': {rep.records} records, {rep.quads} triples "
        f"(live after {rep.seconds:.1f} s{ready})."
    )


def cmd_validate(args: argparse.Namespace) -> str:
    # rdflib and pyshacl, loaded only by this command (start-up of the others)
    import pyoxigraph as ox

    from graph.validate import to_rdflib, validate_graph
    from loaders.dataset import read_dataset

    if args.path:
        ds = read_dataset(args.path)  # CSV-level problems raise LoadError with file/row/column
        tmp = ox.Store()
        tmp.extend(ds.quads)
        data = to_rdflib(
            tmp.dump(format=ox.RdfFormat.N_QUADS) or b""
        )  # no output: dump() returns the bytes
    else:
        data = to_rdflib(store_for(args).dump())
    violations = validate_graph(data)
    rows = [(v.file, v.row, v.focus, v.path, v.message, v.value) for v in violations]
    head = ["file", "row", "focus", "path", "message", "value"]
    args.exit_code = 1 if violations else 0
    if args.format == "json":  # one document, also when there is nothing to report
        return render(Result(head, rows), "json")
    if not violations:
        return "Ingen brudd på SHACL-reglene." if args.lang == "nb" else "No SHACL violations."
    return render(Result(head, rows), args.format) + (
        f"\n{len(violations)} brudd" if args.lang == "nb" else f"\n{len(violations)} violations"
    )


STATS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?count) WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), STR(kg:)))
  BIND(STRAFTER(STR(?c), STR(kg:)) AS ?class) } GROUP BY ?class ORDER BY DESC(?count) ?class
"""


def cmd_stats(args: argparse.Namespace) -> str:
    store = store_for(args)
    res = store.query(STATS)
    total = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    head = (
        f"Tripler: {total}, navngitte grafer: {len(store.graphs())}"
        if args.lang == "nb"
        else f"Triples: {total}, named graphs: {len(store.graphs())}"
    )
    if args.format == "json":  # one document: the totals beside the rows
        body = json.loads(render(res, "json"))
        return json.dumps({"triples": total, "named_graphs": len(store.graphs()), **body}, indent=2)
    return head + "\n" + render(res, args.format)


def cmd_query(args: argparse.Namespace) -> str:
    text = (
        Path(args.query).read_text(encoding="utf-8") if Path(args.query).is_file() else args.query
    )
    if text.strip() == "-":
        text = sys.stdin.read()
    limits = Limits(seconds=args.timeout, rows=args.limit)
    store = store_for(args)
    from graph.cancel import adhoc_query  # killed at the time limit, not left running

    res = adhoc_query(store, text, params(args.param), limits)
    out = render(res, args.format)
    if res.truncated:
        sys.stderr.write(
            f"Svaret ble kuttet ved {limits.rows} rader (--limit).\n"
            if args.lang == "nb"
            else f"The answer was cut at {limits.rows} rows (--limit).\n"
        )
    return out


EXPORTS = ("graphml", "jsonld", "nquads", "ntriples", "trig", "turtle")


def cmd_export(args: argparse.Namespace) -> str:
    # loaded only by this command (start-up of the others)
    from graph.answers.data import graphml
    from graph.exports import export_rdf

    store = store_for(args)
    if args.to != "graphml":
        return write_output(args, export_rdf(store, args.to, whole=True))
    return write_output(args, graphml(store, args.lang))


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "load",
        parents=[common],
        help="load a dataset (folder, .xlsx, .yaml, one .csv or an RDF file) / last et datasett",
    )
    p.add_argument("path", type=Path)
    p.add_argument(
        "--no-warm",
        dest="warm",
        action="store_false",
        help="do not build the app's graph view now (the app then builds it on first use)",
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="refuse (exit 1) instead of waiting when another process is writing to the store",
    )
    p.add_argument(
        "--foreign-graphs",
        choices=("refuse", "move"),
        default="refuse",
        help="quads (TriG/N-Quads) naming another dataset's graph: refuse the file (default) "
        "or move them into this dataset's graph",
    )
    p.add_argument(
        "--discard-edits",
        action="store_true",
        help="load even if the store holds edits made in the app that the folder lacks "
        "(they are replaced; see kg export-csv)",
    )
    p.set_defaults(run=cmd_load)

    p = sub.add_parser(
        "validate", parents=[common], help="check the graph (or a dataset) against the SHACL shapes"
    )
    p.add_argument("path", type=Path, nargs="?", help="a dataset to check before loading it")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("stats", parents=[common], help="counts per class / antall per klasse")
    p.set_defaults(run=cmd_stats)

    p = sub.add_parser(
        "query",
        parents=[common],
        help="run a read-only SPARQL query (text or file) / kjør en SPARQL-spørring",
    )
    p.add_argument("query", help="SPARQL text, a file name, or - for standard input")
    p.add_argument("--param", "-p", action="append", help="bind ?NAME to VALUE: NAME=VALUE")
    p.add_argument(
        "--timeout", type=float, default=Limits().seconds, help="seconds (default %(default)s)"
    )
    p.add_argument(
        "--limit", type=int, default=Limits().rows, help="max rows (default %(default)s)"
    )
    p.set_defaults(run=cmd_query)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="export the graph: turtle, ntriples, nquads, trig, jsonld, graphml",
    )
    p.add_argument("--to", choices=EXPORTS, default="turtle")
    p.add_argument("--output", "-o", type=Path)
    p.set_defaults(run=cmd_export)
