"""The ``kg`` sub-commands for building and inspecting the graph (load, validate, stats, query, export)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from graph.output import render
from graph.store import Limits, Result, default_path, open_store
from graph.terms import PREFIXES
from loaders.errors import LoadError


class UserError(Exception):
    def __init__(self, en: str, nb: str):
        self.en, self.nb = en, nb
        super().__init__(en)

    def message(self, lang: str) -> str:
        return self.nb if lang == "nb" else self.en


def store_for(args, write: bool = False):
    """The store the command works on, from --backend/--store or the environment."""
    if args.backend == "embedded":
        path = args.store or default_path()
        if not write and not (Path(path) / "current").exists():
            raise UserError(f"no graph in {path} yet: run 'kg load data/nye-asker' first",
                            f"ingen graf i {path} ennå: kjør 'kg load data/nye-asker' først")  # fmt: skip
        return open_store("embedded", path=path, read_only=not write)
    from graph.config import backend_options

    return open_store(args.backend, **backend_options(args.backend))


def progress_printer(lang: str):
    def report(en: str, nb: str) -> None:
        sys.stderr.write(f"… {nb if lang == 'nb' else en}\n")
        sys.stderr.flush()

    return report


def cmd_load(args) -> str:
    from graph.load import load

    store = store_for(args, write=True)
    say = progress_printer(args.lang)
    try:
        rep = load(store, args.path, say)
    except LoadError as e:  # a Prosjektportalen export or register: point to kg import
        from graph.imports import add_import_hint

        raise add_import_hint(e, args.path) from None
    if args.warm and getattr(store, "opened", None) is not None:
        from graph.views import prepare  # the app's view, kept beside the new generation

        started = time.perf_counter()
        say("preparing the app's graph view", "forbereder grafvisningen til appen")
        prepare(store, args.lang)
        say(
            f"view ready in {time.perf_counter() - started:.1f} s",
            f"visningen er klar på {time.perf_counter() - started:.1f} s",
        )
    if args.lang == "nb":
        packed = f", komprimert på {rep.compacting:.1f} s til" if rep.compacting else ""
        return (f"Lastet '{rep.name}': {rep.records} poster, {rep.quads} tripler "
                f"(i bruk etter {rep.seconds:.1f} s{packed}).")  # fmt: skip
    packed = f", compacted in {rep.compacting:.1f} s more" if rep.compacting else ""
    return (f"Loaded '{rep.name}': {rep.records} records, {rep.quads} triples "
            f"(live after {rep.seconds:.1f} s{packed}).")  # fmt: skip


def cmd_validate(args) -> str:
    from graph.validate import to_rdflib, validate_graph
    from loaders.dataset import read_dataset

    if args.path:
        ds = read_dataset(args.path)  # CSV-level problems raise LoadError with file/row/column
        import pyoxigraph as ox

        tmp = ox.Store()
        tmp.extend(ds.quads)
        data = to_rdflib(tmp.dump(format=ox.RdfFormat.N_QUADS))
    else:
        data = to_rdflib(store_for(args).dump())
    violations = validate_graph(data)
    if not violations:
        return "Ingen brudd på SHACL-reglene." if args.lang == "nb" else "No SHACL violations."
    args.exit_code = 1
    rows = [(v.file, v.row, v.focus, v.path, v.message, v.value) for v in violations]
    head = ["file", "row", "focus", "path", "message", "value"]
    return render(Result(head, rows), args.format) + (
        f"\n{len(violations)} brudd" if args.lang == "nb" else f"\n{len(violations)} violations"
    )


STATS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?count) WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), STR(kg:)))
  BIND(STRAFTER(STR(?c), STR(kg:)) AS ?class) } GROUP BY ?class ORDER BY DESC(?count) ?class
"""


def cmd_stats(args) -> str:
    store = store_for(args)
    res = store.query(STATS)
    total = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    head = (f"Tripler: {total}, navngitte grafer: {len(store.graphs())}" if args.lang == "nb"
            else f"Triples: {total}, named graphs: {len(store.graphs())}")  # fmt: skip
    return head + "\n" + render(res, args.format)


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(
                f"parameter '{pair}' must be NAME=VALUE", f"parameteren '{pair}' må være NAVN=VERDI"
            )
        out[key] = value
    return out


def cmd_query(args) -> str:
    text = (
        Path(args.query).read_text(encoding="utf-8") if Path(args.query).is_file() else args.query
    )
    if text.strip() == "-":
        text = sys.stdin.read()
    limits = Limits(seconds=args.timeout, rows=args.limit)
    store = store_for(args)
    res = store.query(text, _params(args.param), limits)
    out = render(res, args.format)
    if res.truncated:
        sys.stderr.write(f"Svaret ble kuttet ved {limits.rows} rader (--limit).\n" if args.lang == "nb"
                         else f"The answer was cut at {limits.rows} rows (--limit).\n")  # fmt: skip
    return out


EXPORTS = {"turtle": ("TURTLE", ".ttl"), "ntriples": ("N_TRIPLES", ".nt"), "nquads": ("N_QUADS", ".nq"),
           "trig": ("TRIG", ".trig"), "jsonld": ("JSON_LD", ".jsonld"), "graphml": (None, ".graphml")}  # fmt: skip


def cmd_export(args) -> str:
    import pyoxigraph as ox

    store = store_for(args)
    fmt, _ = EXPORTS[args.to]
    if fmt is None:
        import networkx as nx

        from graph.netx import to_networkx

        g = to_networkx(store, args.lang)
        for d in [d for _, _, d in g.edges(data=True)] + [d for _, d in g.nodes(data=True)]:
            for k, v in list(d.items()):  # GraphML takes only plain values
                if v is None:
                    del d[k]
                elif type(v) not in (str, int, float, bool):  # IRI and dates are subclasses/objects
                    d[k] = str(v)
        data = "\n".join(nx.generate_graphml(g)).encode()
    elif fmt in ("N_QUADS", "TRIG"):
        data = store.dump(getattr(ox.RdfFormat, fmt))
    else:
        union = ox.Store()
        union.extend(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store.quads()
        )
        data = union.dump(
            format=getattr(ox.RdfFormat, fmt),
            from_graph=ox.DefaultGraph(),
            **({"prefixes": PREFIXES} if fmt == "TURTLE" else {}),
        )
    return write_output(args, data)


def write_output(args, data: bytes) -> str:
    """Write an export to ``--output``, or to standard output when none is given."""
    if args.output:
        Path(args.output).write_bytes(data)
        return f"Skrev {args.output}" if args.lang == "nb" else f"Wrote {args.output}"
    sys.stdout.buffer.write(data)
    return ""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "load",
        parents=[common],
        help="load a dataset (folder, .xlsx, .yaml or RDF file) / last et datasett",
    )
    p.add_argument("path", type=Path)
    p.add_argument("--no-warm", dest="warm", action="store_false",
                   help="do not build the app's graph view now (the app then builds it on first use)")  # fmt: skip
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
    p.add_argument("--to", choices=sorted(EXPORTS), default="turtle")
    p.add_argument("--output", "-o", type=Path)
    p.set_defaults(run=cmd_export)

    from graph import analysis_commands, import_commands, push_commands, synth_commands

    analysis_commands.register(sub, common)
    push_commands.register(sub, common)
    import_commands.register(sub, common)
    synth_commands.register(sub, common)
