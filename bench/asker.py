"""The impact and trace questions on the bundled nye Asker graph, over many start nodes.

    python3 bench/asker.py [--repeat 3]

Impact starts from every project, system, body and organisation; trace from every prioritised
SDG target and its goal. Each is timed both ways a client asks it: the named SPARQL query on the
embedded store, and the networkx analysis on the cached view. Prints median and 95th percentile
in milliseconds, and the spread of the medians over the repeats (the machine's noise).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import analysis, queries  # noqa: E402
from graph.load import load  # noqa: E402
from graph.netx import to_networkx  # noqa: E402
from graph.store import open_store  # noqa: E402

STARTS = """SELECT DISTINCT ?n WHERE { ?n a ?c VALUES ?c { kg:Project kg:System kg:GovernanceBody kg:Organization } }"""
TARGETS = """SELECT DISTINCT ?t WHERE { ?p a kg:TargetPriority ; kg:target ?t }"""


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def series(fn, starts) -> list[float]:
    out = []
    for s in starts:
        t = time.perf_counter()
        fn(s)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store("embedded", path=Path(tmp) / "store")
        load(store, ROOT / "data" / "nye-asker")
        g = to_networkx(store)
        starts = [r[0] for r in store.query(STARTS).rows]
        targets = [r[0] for r in store.query(TARGETS).rows]
        goals = sorted({t.rsplit("/", 1)[-1].split(".")[0] for t in targets})
        cases = {
            "impact, SPARQL (named query)": (
                lambda n: queries.run(store, "impact", {"node": n}),
                starts,
            ),
            "impact, networkx": (lambda n: analysis.impact(g, n), starts),
            "trace down, SPARQL (target)": (
                lambda t: queries.run(store, "trace_down", {"sdg": t}),
                targets,
            ),
            "trace down, SPARQL (goal)": (
                lambda c: queries.run(store, "trace_down", {"sdg": c}),
                goals,
            ),
            "trace up, SPARQL (project)": (
                lambda n: queries.run(store, "trace_up", {"project": n}),
                [s for s in starts if "/project/" in s],
            ),
        }
        print(
            f"nye Asker: {len(store)} triples; {len(starts)} impact starts, {len(targets)} targets, "
            f"{len(goals)} goals; {args.repeat} repeats"
        )
        print(f"{'question':32} {'median ms':>10} {'p95 ms':>8} {'spread of medians':>20}")
        for name, (fn, items) in cases.items():
            runs = [series(fn, items) for _ in range(args.repeat)]
            meds = [statistics.median(r) for r in runs]
            everything = [x for r in runs for x in r]
            print(
                f"{name:32} {statistics.median(everything):10.2f} {p95(everything):8.2f} "
                f"{min(meds):9.2f}–{max(meds):.2f}"
            )


if __name__ == "__main__":
    main()
