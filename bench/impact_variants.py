"""Time variants of the named SPARQL impact query side by side, on the bench's start sets.

    python3 bench/impact_variants.py --store DIR [--old REV] [--variants DIR] [--repeats 3]

Opens a built embedded store (``kg load`` or bench/run.py's work folder), takes the start sets
bench/worker.py takes (the same seed: random starts, the heaviest hubs per kind, national systems
among them), and runs, start by start, the query of git revision ``--old`` (default HEAD), the
current queries/impact.rq and every ``*.rq`` in ``--variants``, interleaved in rotating order so
all see the same load. Wall and CPU time (time.process_time around the query) per query; the
1-minute load average before and after. Every variant's rows (kind, affected, code, label) must
equal the old query's, in nb and en (``--check``); a difference is printed and makes the exit
code 1. Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.worker import Bench  # noqa: E402
from graph.netx import to_networkx  # noqa: E402
from graph.store import IRI, Limits, open_store  # noqa: E402

BIG = Limits(seconds=600, rows=50_000_000)


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def _summary(wall: list[float], cpu: list[float]) -> dict[str, Any]:
    return {
        "n": len(wall),
        "median_ms": round(statistics.median(wall) * 1000, 3),
        "p95_ms": round(_p95(wall) * 1000, 3),
        "max_ms": round(max(wall) * 1000, 3),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 3),
        "cpu_p95_ms": round(_p95(cpu) * 1000, 3),
    }


def start_sets(g: Any, starts: int, hubs: int, seed: int) -> dict[str, list[str]]:
    """bench/worker.py's start sets for ``g``: random starts, hubs per kind, national systems."""
    b = types.SimpleNamespace(
        g=g, rng=random.Random(seed), args=types.SimpleNamespace(starts=starts, hubs=hubs), out={}
    )
    Bench.starts(b)  # type: ignore[arg-type]
    systems = [n for n in b.hubs if g.nodes[n].get("kind") == "System"]
    return {"random": b.impact_starts, "hubs": b.hubs, "national systems": systems}


def _rows(result: Any) -> list[tuple[str, ...]]:
    return sorted(tuple("" if v is None else str(v) for v in row) for row in result.rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--store", required=True, type=Path)
    p.add_argument("--old", default="HEAD", help="git revision of the reference query")
    p.add_argument("--variants", type=Path, help="folder of further *.rq variants to time")
    p.add_argument("--starts", type=int, default=50)
    p.add_argument("--hubs", type=int, default=50)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--sets", default="random,hubs", help="start sets to time (comma-separated)")
    p.add_argument("--check", action="store_true", help="compare rows with the old query's")
    p.add_argument("--no-current", action="store_true", help="leave queries/impact.rq out")
    p.add_argument(
        "--old-cached",
        action="store_true",
        help="let the old query hit graph/binding.py's cache too (by default it gets a new "
        "comment on every run, so it binds as it did before that cache)",
    )
    args = p.parse_args(argv)

    old = subprocess.run(
        ["git", "show", f"{args.old}:queries/impact.rq"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    texts = {"old": old}
    if not args.no_current:
        texts["current"] = (ROOT / "queries" / "impact.rq").read_text(encoding="utf-8")
    for f in sorted(args.variants.glob("*.rq")) if args.variants else []:
        texts[f.stem] = f.read_text(encoding="utf-8")

    store = open_store("embedded", path=args.store, read_only=True)
    g = to_networkx(store, "nb")
    sets = start_sets(g, args.starts, args.hubs, args.seed)
    out: dict[str, Any] = {
        "store": str(args.store),
        "triples": len(store),
        "load_avg_before": os.getloadavg(),
        "sets": {k: len(v) for k, v in sets.items()},
    }
    store.query(old, {"node": IRI(sets["random"][0]), "lang": "nb"}, BIG)  # warm the caches
    bad = 0
    if args.check:
        checked = 0
        for name, starts in sets.items():
            for n in starts:
                for lang in ("nb", "en"):
                    want = _rows(store.query(old, {"node": IRI(n), "lang": lang}, BIG))
                    for v, text in texts.items():
                        if v == "old":
                            continue
                        got = _rows(store.query(text, {"node": IRI(n), "lang": lang}, BIG))
                        checked += 1
                        if got != want:
                            bad += 1
                            print(
                                f"DIFFERENT {v} {name} {n} {lang}: {len(got)} rows, want "
                                f"{len(want)}; first extra {sorted(set(got) - set(want))[:2]}, "
                                f"first missing {sorted(set(want) - set(got))[:2]}",
                                file=sys.stderr,
                            )
        out["checked"] = {"comparisons": checked, "different": bad}
    timing: dict[str, Any] = {}
    runs = 0
    for name in args.sets.split(","):
        wall: dict[str, list[float]] = {v: [] for v in texts}
        cpu: dict[str, list[float]] = {v: [] for v in texts}
        order = list(texts)
        for _ in range(args.repeats):
            for n in sets[name]:
                order = order[1:] + order[:1]  # rotate: no variant always runs first
                for v in order:
                    params = {"node": IRI(n), "lang": "nb"}
                    text = texts[v]
                    if v == "old" and not args.old_cached:
                        runs += 1
                        text = f"{text}\n# run {runs}\n"
                    c0, w0 = time.process_time(), time.perf_counter()
                    store.query(text, params, BIG)
                    wall[v].append(time.perf_counter() - w0)
                    cpu[v].append(time.process_time() - c0)
        timing[name] = {v: _summary(wall[v], cpu[v]) for v in texts}
    out["timing"] = timing
    out["load_avg_after"] = os.getloadavg()
    print(json.dumps(out, indent=1))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
