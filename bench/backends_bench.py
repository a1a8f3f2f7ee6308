"""Push time and the named questions on each backend for the nye Asker graph, side by side.

    python3 bench/backends_bench.py [--repeats 7] [--pushes 3]

Starts its own Neo4j (tools/neo4j/run.sh) and Oxigraph server in a temporary folder (as the
tests do), loads data/nye-asker into the embedded store in memory, pushes it to both servers and
times every named question on every backend: the median of ``--repeats`` runs after one
untimed warm-up run. The SPARQL endpoint is timed twice: with the standard dataset parameters
(``default-graph-uri`` per graph, what the store sends by default) and with Oxigraph's own union
default graph (``dataset="server"``). Prints one table; times in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from servers import OxigraphServer, new_neo4j  # noqa: E402

from graph import queries  # noqa: E402
from graph.load import load  # noqa: E402
from graph.push import push  # noqa: E402
from graph.remote import SparqlStore  # noqa: E402
from graph.store import Limits, open_store  # noqa: E402


def median_ms(fn, repeats: int) -> float:
    fn()  # warm-up: plans, caches, JIT
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--pushes", type=int, default=3)
    p.add_argument("--dataset", type=Path, default=ROOT / "data" / "nye-asker")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        embedded = open_store("memory")
        started = time.perf_counter()
        report = load(embedded, args.dataset)
        load_ms = (time.perf_counter() - started) * 1000
        print(
            f"dataset {report.name}: {report.records} records, {report.quads} triples",
            file=sys.stderr,
        )
        neo = new_neo4j(Path(tmp) / "neo4j")
        ox = OxigraphServer(Path(tmp) / "oxigraph" / "data")
        try:
            neo.start()
            ox.start()
            neo4j_store = neo.store()
            sparql = SparqlStore(ox.query_url, ox.store_url)
            union = SparqlStore(ox.query_url + "?union-default-graph", dataset="server")
            started = time.perf_counter()
            push(embedded, neo4j_store)
            first_push = (time.perf_counter() - started) * 1000
            pushes = {
                "neo4j": median_ms(lambda: push(embedded, neo4j_store), args.pushes),
                "sparql": median_ms(lambda: push(embedded, sparql), args.pushes),
            }
            backends = {
                "embedded": embedded,
                "neo4j": neo4j_store,
                "sparql": sparql,
                "sparql-udg": union,
            }
            limits = Limits(seconds=120, rows=1_000_000)
            rows = []
            for name, q in queries.library().items():
                cells, counts = [], set()
                for store in backends.values():
                    if store.language == "cypher" and not q.cypher:
                        cells.append(None)
                        continue
                    counts.add(len(queries.run(store, name, limits=limits).rows))
                    cells.append(
                        median_ms(
                            lambda s=store, n=name: queries.run(s, n, limits=limits), args.repeats
                        )
                    )
                rows.append((name, cells, "/".join(map(str, sorted(counts)))))
        finally:
            neo.stop()
            ox.stop()

    head = ["question", *backends, "rows"]
    print(
        f"\nmedian of {args.repeats} runs after a warm-up, ms (nye Asker: {report.quads} triples)\n"
    )
    print(f"{head[0]:<30}" + "".join(f"{h:>12}" for h in head[1:]))
    print(
        f"{'load / push':<30}{load_ms:>12.0f}{pushes['neo4j']:>12.0f}{pushes['sparql']:>12.0f}{'':>12}{'':>12}"
    )
    for name, cells, count in rows:
        shown = "".join(f"{'–':>12}" if c is None else f"{c:>12.1f}" for c in cells)
        print(f"{name:<30}{shown}{count:>12}")
    total = [sum(r[1][i] for r in rows if r[1][i] is not None) for i in range(len(backends))]
    print(f"{'all questions':<30}" + "".join(f"{t:>12.1f}" for t in total))
    print(
        f"\nfirst push to a fresh Neo4j (cold JVM, query plans): {first_push:.0f} ms; later pushes re-sync "
        f"(MERGE + removal) in batches of transactions. 'sparql' sends default-graph-uri/named-graph-uri per graph "
        f"(standard); 'sparql-udg' uses Oxigraph's union default graph."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
