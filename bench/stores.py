"""Compare embedded store options on load and on SPARQL with property paths.

    python3 bench/stores.py [--repeat 7] [--copies 1]

Candidates: rdflib's in-memory Dataset, rdflib over oxrdflib (pyoxigraph behind rdflib's
API), and pyoxigraph directly (in memory and on disk). Workload: the nye Asker dataset's
quads (``--copies N`` loads N renamed copies for a bigger graph), then queries with property
paths (transitive dependencies, the impact path, reporting lines up to the councils). Prints
the median and spread (min–max) of the repeats, and each figure as a ratio to rdflib's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402

from loaders.dataset import read_dataset  # noqa: E402
from ontology.terms import sparql_prefixes  # noqa: E402

QUERIES = {
    "deps+ (A4)": """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?p dct:identifier "A4" . ?p kg:dependsOn+ ?x }""",
    "impact path (A2)": """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?p dct:identifier "A2" .
        ?p (^kg:dependsOn|kg:partOf|^kg:usesSystem|^kg:concerns|kg:operatesFor|^kg:milestoneOf
            |^kg:steeringBody|^kg:projectOwner|^org:reportsTo|kg:mandateOf)+ ?x }""",
    "reportsTo* all": """SELECT (COUNT(*) AS ?n) WHERE { ?a org:reportsTo+ ?b }""",
    "label scan": """SELECT (COUNT(*) AS ?n) WHERE { ?s skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), "ikt")) }""",
}


def nquads(copies: int) -> bytes:
    ds = read_dataset(ROOT / "data" / "nye-asker")
    store = ox.Store()
    store.extend(ds.quads)
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    if copies == 1:
        return data
    base = b"https://data.kommunegraf.no/nye-asker/"
    return b"".join(data.replace(base, base[:-1] + b"-%d/" % i) for i in range(copies))


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def rdflib_load(data: bytes):
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=data, format="nquads")
    return ds


def oxrdflib_load(data: bytes):
    ds = rdflib.Dataset(store="Oxigraph", default_union=True)
    ds.parse(data=data, format="ox-nquads")
    return ds


def ox_load(data: bytes, path: str | None = None):
    store = ox.Store(path) if path else ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    return store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--copies", type=int, default=1)
    args = ap.parse_args()
    data = nquads(args.copies)
    prefixes = sparql_prefixes()
    lines = data.count(b"\n")
    print(
        f"workload: {lines} quads ({args.copies} cop{'y' if args.copies == 1 else 'ies'} of nye Asker), "
        f"median of {args.repeat} repeats, spread min–max"
    )
    tmp = Path(tempfile.mkdtemp())
    results: dict[str, dict[str, list[float]]] = {}

    def disk_load():
        shutil.rmtree(tmp / "ox", ignore_errors=True)
        ox_load(data, str(tmp / "ox"))

    candidates = {
        "rdflib (memory)": (lambda: rdflib_load(data), None),
        "oxrdflib (rdflib API)": (lambda: oxrdflib_load(data), None),
        "pyoxigraph (memory)": (lambda: ox_load(data), None),
        "pyoxigraph (disk)": (disk_load, None),
    }
    for name, (load, _) in candidates.items():
        results[name] = {"load": timed(load, args.repeat)}
    graphs = {
        "rdflib (memory)": rdflib_load(data),
        "oxrdflib (rdflib API)": oxrdflib_load(data),
        "pyoxigraph (memory)": ox_load(data),
    }
    disk_load()
    results["pyoxigraph (disk)"]["open"] = timed(
        lambda: ox.Store.read_only(str(tmp / "ox")), args.repeat
    )
    graphs["pyoxigraph (disk)"] = ox.Store.read_only(str(tmp / "ox"))
    for name, g in graphs.items():
        for qname, q in QUERIES.items():
            text = prefixes + q
            if isinstance(g, ox.Store):
                run = lambda g=g, text=text: list(g.query(text, use_default_graph_as_union=True))  # noqa: E731
            else:
                run = lambda g=g, text=text: list(g.query(text))  # noqa: E731
            results[name][qname] = timed(run, args.repeat)
    ref = results["rdflib (memory)"]
    ops = ["load"] + list(QUERIES)
    print(f"{'store':24} " + " ".join(f"{op:>22}" for op in ops))
    for name, r in results.items():
        cells = []
        for op in ops:
            xs = r.get(op)
            if not xs:
                cells.append(f"{'-':>22}")
                continue
            med = statistics.median(xs)
            ratio = med / statistics.median(ref[op])
            cells.append(f"{med * 1000:9.1f} ms ×{ratio:5.2f}".rjust(22))
        print(f"{name:24} " + " ".join(cells))
    for name, r in results.items():
        spread = ", ".join(
            f"{op} {min(xs) * 1000:.1f}–{max(xs) * 1000:.1f}" for op, xs in r.items()
        )
        print(f"  spread {name}: {spread} ms")
    if "open" in results["pyoxigraph (disk)"]:
        print(
            f"open persisted pyoxigraph store: {statistics.median(results['pyoxigraph (disk)']['open']) * 1000:.1f} ms"
        )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
