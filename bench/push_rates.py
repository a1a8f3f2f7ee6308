"""How fast `kg push` copies a synthetic graph to a Neo4j and to a SPARQL server.

    python3 bench/push_rates.py [--scale 10k 100k 1m] [--pushes 3] [--targets neo4j sparql]
                                [--batch-size 1000] [--tx-rows 10000]

For each scale it starts its own Neo4j (tools/neo4j/run.sh, with its default 60 s transaction
timeout) and Oxigraph server in a temporary folder, as the tests do (never a server someone else
uses), loads the synthetic dataset of that scale into an in-memory store, and times the first
push (empty, freshly started server) and then ``--pushes`` re-sync pushes to each. Prints the
seconds, triples per second and the median re-sync as JSON, and for Neo4j where the time went
(reading and mapping the source on the client, nodes, relationships, removal and the final
``:KgMeta``), from the push's own progress messages. docs/scaling.md quotes the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bench.run import dataset  # noqa: E402
from graph.load import load  # noqa: E402
from graph.push import BATCH_ROWS, TX_ROWS, push  # noqa: E402
from graph.store import open_store  # noqa: E402

PHASES = ("map", "nodes", "relationships", "remove")


class Phases:
    """Seconds per phase of one Neo4j push, from its progress messages: a message reports work
    that has just ended, so the time since the previous message goes to the phase it names."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.out = dict.fromkeys(PHASES, 0.0)

    def __call__(self, en: str, nb: str) -> None:
        word = en.split(" ", 1)[0]
        if "triples →" in en or word == "reading":
            phase = "map"
        elif word in ("nodes", "relationships"):
            phase = word
        elif word in ("removing", "removed", "done"):
            phase = "remove"
        else:  # e.g. a retry: its time goes to the phase of the next message
            return
        now = time.perf_counter()
        self.out[phase] += now - self.last
        self.last = now

    def seconds(self, end: float) -> dict[str, float]:
        out = dict(self.out, remove=self.out["remove"] + end - self.last)
        return {k: round(v, 2) for k, v in out.items()}


def timed_pushes(store, target, pushes: int, options: dict, phases: bool) -> dict:
    """The first push and ``pushes`` re-syncs; stops at the first error (e.g. a timeout)."""
    out: dict = {"seconds": [], "phases": []}
    for _ in range(1 + pushes):
        progress = Phases() if phases else (lambda en, nb: None)
        started = time.perf_counter()
        try:
            report = push(store, target, progress, **options)
        except Exception as e:  # e.g. the server's transaction timeout, if a transaction is too big
            out["error"] = f"after {time.perf_counter() - started:.0f} s: {e}"[:300]
            break
        end = time.perf_counter()
        out["seconds"].append(round(end - started, 2))
        if phases:
            out["phases"].append(progress.seconds(end))
            out["transactions"] = report.transactions
        print(f"  {target.name}: {out['seconds'][-1]:.1f} s", file=sys.stderr, flush=True)
    return out


def run_scale(scale: str, args) -> dict:
    from servers import OxigraphServer, new_neo4j

    from graph.remote import SparqlStore

    store = open_store("memory")
    report = load(store, dataset(scale, args.seed))
    triples = report.store_size
    print(f"{scale}: {triples} triples", file=sys.stderr, flush=True)
    out: dict = {"scale": scale, "triples": triples}
    options = {"batch_size": args.batch_size, "tx_rows": args.tx_rows}
    with tempfile.TemporaryDirectory(prefix="kg-push-") as tmp:
        if "neo4j" in args.targets:
            neo = new_neo4j(Path(tmp) / "neo4j")
            try:
                neo.start()
                out["neo4j"] = timed_pushes(store, neo.store(), args.pushes, options, phases=True)
            finally:
                neo.stop()
        if "sparql" in args.targets:
            ox = OxigraphServer(Path(tmp) / "oxigraph" / "data")
            try:
                ox.start()
                target = SparqlStore(ox.query_url, ox.store_url)
                out["sparql"] = timed_pushes(store, target, args.pushes, {}, phases=False)
            finally:
                ox.stop()
    for name in ("neo4j", "sparql"):
        res = out.get(name)
        if not res or not res["seconds"]:
            continue
        res["triples_per_s"] = [round(triples / s) for s in res["seconds"]]
        resync = res["seconds"][1:]
        if resync:
            res["resync_median_s"] = statistics.median(resync)
            res["resync_median_triples_per_s"] = round(triples / statistics.median(resync))
        if res.get("phases") and len(res["phases"]) > 1:
            res["resync_median_phases_s"] = {
                p: round(statistics.median(x[p] for x in res["phases"][1:]), 2) for p in PHASES
            }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", nargs="+", default=["10k", "100k"], help="e.g. 10k 100k 1m")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--pushes", type=int, default=3, help="re-sync pushes after the first one")
    p.add_argument("--targets", nargs="+", default=["neo4j", "sparql"], choices=["neo4j", "sparql"])
    p.add_argument("--batch-size", type=int, default=BATCH_ROWS, help="rows per UNWIND (Neo4j)")
    p.add_argument("--tx-rows", type=int, default=TX_ROWS, help="rows per transaction (Neo4j)")
    args = p.parse_args(argv)
    results = [run_scale(scale, args) for scale in args.scale]
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
