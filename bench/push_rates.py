"""How fast `kg push` copies a synthetic graph to a Neo4j and to a SPARQL server.

    python3 bench/push_rates.py [--scale 100k] [--pushes 2]

Starts its own Neo4j (tools/neo4j/run.sh) and Oxigraph server in a temporary folder, as the
tests do (never a server someone else uses), loads the synthetic dataset of ``--scale`` into an
in-memory store, and times the first push (empty server) and a re-sync push to each. Prints
triples per second; docs/scaling.md quotes the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bench.run import dataset  # noqa: E402
from graph.load import load  # noqa: E402
from graph.push import push  # noqa: E402
from graph.store import open_store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", default="100k")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--pushes", type=int, default=2, help="pushes per server (the first to an empty one)"
    )
    args = p.parse_args(argv)
    from servers import OxigraphServer, new_neo4j

    from graph.remote import SparqlStore

    store = open_store("memory")
    report = load(store, dataset(args.scale, args.seed))
    out = {"scale": args.scale, "triples": report.store_size, "neo4j_s": [], "sparql_s": []}
    with tempfile.TemporaryDirectory(prefix="kg-push-") as tmp:
        neo = new_neo4j(Path(tmp) / "neo4j")
        ox = OxigraphServer(Path(tmp) / "oxigraph" / "data")
        try:
            neo.start()
            ox.start()
            targets = {"neo4j_s": neo.store(), "sparql_s": SparqlStore(ox.query_url, ox.store_url)}
            for key, target in targets.items():
                for _ in range(args.pushes):
                    started = time.perf_counter()
                    try:
                        push(store, target)
                    except Exception as e:  # e.g. Neo4j's transaction timeout (60 s by default)
                        spent = time.perf_counter() - started
                        out[key.replace("_s", "_error")] = f"after {spent:.0f} s: {e}"[:300]
                        break
                    out[key].append(round(time.perf_counter() - started, 2))
                    print(f"{key[:-2]}: {out[key][-1]:.1f} s", file=sys.stderr, flush=True)
        finally:
            neo.stop()
            ox.stop()
    for key in ("neo4j_s", "sparql_s"):
        out[key.replace("_s", "_triples_per_s")] = [round(out["triples"] / s) for s in out[key]]
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
