"""The benchmark suite: `make bench` or `python3 bench/run.py`.

    python3 bench/run.py                   # scales 10k, 100k and 1m (about 10 minutes)
    python3 bench/run.py --smoke           # only 10k, quickly (CI)
    python3 bench/run.py --scales 100k,5m  # choose; 5m only when asked for

Per scale it generates the synthetic national dataset (graph/synth.py, cached in
bench/.cache/), then runs bench/worker.py in a fresh process (its peak memory is that scale's
alone) and prints one table; the full figures go to bench/results/<time>.json and
bench/results/latest.json. Times are medians (and p95) over random start nodes; rdflib's
in-memory store runs the same quads and queries in the same process as the reference, and
the last table gives our figures as ratios to it (below 1: faster than rdflib).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import fresh  # noqa: E402
from graph import synth  # noqa: E402

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results"
DEFAULT_SCALES = ("10k", "100k", "1m")
# What the product aims at on the 2-core machine, at 1 million triples (docs/scaling.md);
# each figure must be at most its limit.
TARGETS = [
    # issue 16's goals (1M preset, this machine)
    ("kg load as documented, until the app's views are ready", "cli_load_s", "<=", 10.0, "s"),
    ("fresh process: kg impact X end to end (median)", "cli_impact_s", "<=", 0.5, "s"),
    ("impact with why-paths, random starts, median", "impact_nx_median_ms", "<=", 0.5, "ms"),
    ("impact with why-paths, random starts, p95", "impact_nx_p95_ms", "<=", 10.0, "ms"),
    (
        "impact with why-paths from the 50 heaviest hubs per kind, median",
        "impact_hubs_median_ms",
        "<=",
        10.0,
        "ms",
    ),
    (
        "impact with why-paths from the 50 heaviest hubs per kind, p95",
        "impact_hubs_p95_ms",
        "<=",
        30.0,
        "ms",
    ),
    (
        "named SPARQL impact within 10x of networkx (median ratio)",
        "impact_sparql_vs_nx",
        "<=",
        10.0,
        "x",
    ),
    (
        "named SPARQL impact at least 10x faster than rdflib (ours / rdflib, median)",
        "impact_sparql_vs_rdflib",
        "<=",
        0.1,
        "x",
    ),
    ("peak memory", "peak_mb", "<=", 1000.0, "MB"),
    ("slowest app page (server side, cached graph)", "page_max_ms", "<=", 1000.0, "ms"),
    (
        "app warm-up once per store generation (first page after start)",
        "warmup_ms",
        "<=",
        1000.0,
        "ms",
    ),
    # the earlier targets (docs/scaling.md)
    ("load 1M triples from CSV, until live", "load_s", "<=", 10.0, "s"),
    ("open a built graph (store + cached view)", "open_view_ms", "<=", 1000.0, "ms"),
    ("trace one target (networkx + values, median)", "trace_nx_median_ms", "<=", 50.0, "ms"),
    ("slowest gap report (named queries)", "gap_max_ms", "<=", 2000.0, "ms"),
]


def dataset(scale: str, seed: int) -> Path:
    """The synthetic dataset of ``scale``, generated once per generator version and seed."""
    version = synth.version()
    folder = CACHE / f"data-{scale}-s{seed}-{version}"
    if not (folder / "manifest.yaml").exists():
        for old in CACHE.glob(f"data-{scale}-s{seed}-*"):
            import shutil

            shutil.rmtree(old, ignore_errors=True)
        started = time.perf_counter()
        synth.generate_preset(folder, scale, seed)
        print(
            f"generated {scale} in {time.perf_counter() - started:.1f} s: {folder}", file=sys.stderr
        )
    return folder


def run_scale(scale: str, args) -> dict:
    data = dataset(scale, args.seed)
    work = CACHE / f"work-{scale}"
    out = CACHE / f"result-{scale}.json"
    out.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        str(HERE / "worker.py"),
        "--data",
        str(data),
        "--work",
        str(work),
        "--out",
        str(out),
        "--scale",
        scale,
        "--seed",
        str(args.seed),
        "--starts",
        str(args.starts),
        "--budget",
        str(args.budget),
    ]
    if args.no_rdflib:
        cmd.append("--no-rdflib")
    if args.only:
        cmd += ["--only", args.only]
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    print(f"== {scale}", file=sys.stderr, flush=True)
    try:
        subprocess.run(cmd, check=False, timeout=args.timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"scale": scale, "error": f"worker timed out after {args.timeout} s"}
    if not out.exists():
        return {"scale": scale, "error": "the worker wrote no result (see its output above)"}
    result = json.loads(out.read_text(encoding="utf-8"))
    result["load_avg"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    if not args.no_fresh:  # the commands as users run them, each in a new process
        print(f"== {scale}: kg load and kg impact in fresh processes", file=sys.stderr, flush=True)
        result["fresh"] = fresh.measure(
            data, work, _project_ids(data, 3), args.repeats, rdflib=not args.no_rdflib
        )
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["data"] = str(data.relative_to(ROOT))
    return result


def key_figures(r: dict) -> dict:
    """The figures the targets and the table use, from one scale's result."""
    g = lambda *path: _get(r, *path)  # noqa: E731
    gaps = [
        v.get("median_ms") for v in (r.get("gaps") or {}).values() if v.get("median_ms") is not None
    ]
    timed_out = [n for n, v in (r.get("gaps") or {}).items() if v.get("timeout_s")]
    pages = (r.get("pages") or {}).get("pages") or {}
    per_page = {k: v for k, v in pages.items() if not v.get("once_per_generation")}
    worst = max(per_page.items(), key=lambda kv: kv[1]["median_ms_sum"], default=(None, {}))
    stopped = {k: v["stopped_after_s"] for k, v in per_page.items() if v.get("stopped_after_s")}
    if stopped:  # a builder passed its time limit: that page is slower than anything timed
        page, names = next(iter(stopped.items()))
        worst = (f"{page} ({', '.join(names)})", {"median_ms_sum": f">{max(names.values()):g} s"})
    warmup = sum(v["median_ms_sum"] for v in pages.values() if v.get("once_per_generation")) or None
    named = g("trace", "named_sparql")
    return {
        "triples": g("load", "triples"),
        "load_s": g("load", "seconds"),
        "read_s": g("load", "read_validate_s"),
        "write_s": g("load", "write_s"),
        "compact_s": g("load", "compact_s"),
        "records_per_s": g("load", "records_per_s"),
        "triples_per_s": g("load", "triples_per_s"),
        "open_ms": g("open", "store", "median_ms"),
        "open_view_ms": g("open", "store_and_view", "median_ms"),
        "view_build_s": g("view", "build_s"),
        "impact_sparql_median_ms": g("impact", "named_sparql", "median_ms"),
        "impact_sparql_p95_ms": g("impact", "named_sparql", "p95_ms"),
        "impact_nx_median_ms": g("impact", "networkx", "median_ms"),
        "impact_nx_p95_ms": g("impact", "networkx", "p95_ms"),
        "impact_hubs_median_ms": g("impact", "networkx_hubs", "median_ms"),
        "impact_hubs_p95_ms": g("impact", "networkx_hubs", "p95_ms"),
        "impact_nx_cpu_median_ms": g("impact", "networkx", "cpu_median_ms"),
        "impact_nx_cpu_p95_ms": g("impact", "networkx", "cpu_p95_ms"),
        "impact_nx_load": g("impact", "networkx", "load_avg"),
        "impact_hubs_cpu_median_ms": g("impact", "networkx_hubs", "cpu_median_ms"),
        "impact_hubs_cpu_p95_ms": g("impact", "networkx_hubs", "cpu_p95_ms"),
        "impact_hubs_load": g("impact", "networkx_hubs", "load_avg"),
        "impact_systems_median_ms": g("impact", "hubs_by_kind", "System", "median_ms"),
        "impact_systems_p95_ms": g("impact", "hubs_by_kind", "System", "p95_ms"),
        "impact_systems_cpu_p95_ms": g("impact", "hubs_by_kind", "System", "cpu_p95_ms"),
        "impact_sparql_cpu_median_ms": g("impact", "named_sparql", "cpu_median_ms"),
        "impact_sparql_load": g("impact", "named_sparql", "load_avg"),
        "slip_cpu_median_ms": g("whatif", "slip_8_weeks", "cpu_median_ms"),
        "switch_off_cpu_p95_ms": g("whatif", "switch_off_system", "cpu_p95_ms"),
        "trace_named_ms": (named or {}).get("median_ms")
        or (f">{named['timeout_s']:g} s" if named and named.get("timeout_s") else None),
        "trace_named_p95_ms": g("trace", "named_sparql", "p95_ms"),
        "trace_nx_median_ms": g("trace", "networkx_plus_values", "median_ms"),
        "trace_nx_p95_ms": g("trace", "networkx_plus_values", "p95_ms"),
        "gap_max_ms": f">{r['gaps'][timed_out[0]]['timeout_s']:g} s"
        if timed_out
        else (max(gaps) if gaps else None),
        "status_ms": g("pages", "builders", "status", "median_ms"),
        "slip_median_ms": g("whatif", "slip_8_weeks", "median_ms"),
        "slip_p95_ms": g("whatif", "slip_8_weeks", "p95_ms"),
        "switch_off_p95_ms": g("whatif", "switch_off_system", "p95_ms"),
        "page_max_ms": worst[1].get("median_ms_sum"),
        "page_max": worst[0],
        "graph_for_ms": g("pages", "builders", "graph_for", "median_ms"),
        "warmup_ms": warmup,
        "quality_ms": g("pages", "builders", "quality", "median_ms"),
        "peak_mb": g("peak_mb", "ours"),
        "peak_load_mb": g("peak_mb", "load"),
        "peak_view_mb": g("peak_mb", "view"),
        "cli_load_s": g("fresh", "kg_load", "wall_s"),
        "cli_load_cpu_s": g("fresh", "kg_load", "cpu_s"),
        "cli_load_avg": "/".join(f"{x:.1f}" for x in g("fresh", "kg_load", "load_avg") or [])
        or None,
        "ref_ox_load_s": g("fresh", "raw_pyoxigraph_load", "wall_s"),
        "ref_ox_load_cpu_s": g("fresh", "raw_pyoxigraph_load", "cpu_s"),
        "ref_ox_load_avg": _avg(g("fresh", "raw_pyoxigraph_load", "load_avg")),
        "ref_rdflib_load_s": g("fresh", "rdflib_load", "wall_s"),
        "ref_rdflib_load_cpu_s": g("fresh", "rdflib_load", "cpu_s"),
        "ref_rdflib_load_avg": _avg(g("fresh", "rdflib_load", "load_avg")),
        "cli_load_vs_ox": _ratio(
            g("fresh", "kg_load", "wall_s"), g("fresh", "raw_pyoxigraph_load", "wall_s")
        ),
        "rdflib_vs_cli_load": _ratio(
            g("fresh", "rdflib_load", "wall_s"), g("fresh", "kg_load", "wall_s")
        ),
        "cli_impact_avg": _avg(g("fresh", "load_avg_impact")),
        "cli_impact_s": g("fresh", "kg_impact_median_s"),
        "cli_impact_cpu_s": g("fresh", "kg_impact_median_cpu_s"),
        "impact_sparql_vs_nx": round(
            g("impact", "named_sparql", "median_ms") / g("impact", "networkx", "median_ms"), 1
        )
        if g("impact", "named_sparql", "median_ms") and g("impact", "networkx", "median_ms")
        else None,
        "impact_sparql_vs_rdflib": g("ratios", "impact_named_sparql_median"),
        "ref_rdflib_impact_ms": g("rdflib", "impact_named_sparql", "median_ms"),
        "impact_nx_cpu": _pair(
            g("impact", "networkx", "cpu_median_ms"), g("impact", "networkx", "cpu_p95_ms")
        ),
        "impact_hubs_page_median_ms": g("impact", "networkx_hubs_first_page", "median_ms"),
        "impact_hubs_page_p95_ms": g("impact", "networkx_hubs_first_page", "p95_ms"),
        "impact_hubs_page_cpu_p95_ms": g("impact", "networkx_hubs_first_page", "cpu_p95_ms"),
        "impact_hubs_page_load": g("impact", "networkx_hubs_first_page", "load_avg"),
        "impact_hubs_page": _pair(
            g("impact", "networkx_hubs_first_page", "median_ms"),
            g("impact", "networkx_hubs_first_page", "p95_ms"),
        ),
        "impact_hubs_cpu": _pair(
            g("impact", "networkx_hubs", "cpu_median_ms"),
            g("impact", "networkx_hubs", "cpu_p95_ms"),
        ),
        "impact_systems": _pair(
            g("impact", "hubs_by_kind", "System", "median_ms"),
            g("impact", "hubs_by_kind", "System", "p95_ms"),
        ),
        "load_avg": "/".join(f"{x:.1f}" for x in r.get("load_avg") or []) or None,
    }


def _pair(a, b) -> str | None:
    """Two figures as ``a / b`` (median / p95), or None when the first is missing."""
    return f"{_fmt(a, 2)} / {_fmt(b, 2)}" if isinstance(a, int | float) else None


def _avg(pair) -> str | None:
    """A load average before/after as text (1.2/3.4)."""
    return "/".join(f"{x:.1f}" for x in pair) if pair else None


def _ratio(a, b) -> float | None:
    return (
        round(a / b, 2) if isinstance(a, int | float) and isinstance(b, int | float) and b else None
    )


def _get(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def _fmt(v, digits: int = 1) -> str:
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}".replace(",", " ")
    if abs(v) >= 100:
        return f"{v:,.0f}".replace(",", " ")
    return f"{v:.{digits}f}" if abs(v) >= 1 else f"{v:.{max(digits, 2)}f}"


def table(rows: list[list[str]], head: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]

    def line(r: list) -> str:
        cells = enumerate(zip(r, widths, strict=True))
        return "  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in cells)

    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def exponent(results: list[dict], key: str) -> float | None:
    """Least-squares slope of log(key) against log(triples): 1.0 is linear growth."""
    pts = [
        (math.log(k["triples"]), math.log(k[key]))
        for k in map(key_figures, results)
        if k.get("triples") and isinstance(k.get(key), int | float) and k[key] > 0
    ]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sxx, 2) if sxx else None


# What the growth table follows from one scale to the next (issue 16: 100k -> 1M -> 5M -> 10M).
GROWTH = (
    ("kg load as documented (s)", "cli_load_s"),
    ("load until live (s)", "load_s"),
    ("views prepared after a load (s)", "view_build_s"),
    ("open store + cached view (ms)", "open_view_ms"),
    ("kg impact, fresh process (s)", "cli_impact_s"),
    ("impact from hubs p95 (ms)", "impact_hubs_p95_ms"),
    ("slowest app page (ms)", "page_max_ms"),
    ("peak memory (MB)", "peak_mb"),
)


def growth(results: list[dict]) -> str | None:
    """Growth exponents from each scale to the next (log-log slope; 1 = linear), per measure."""
    figs = sorted(
        ((r["scale"], key_figures(r)) for r in results), key=lambda x: x[1].get("triples") or 0
    )
    if len(figs) < 2:
        return None
    pairs = list(zip(figs, figs[1:], strict=False))
    rows = []
    for label, key in GROWTH:
        cells = []
        for (_, a), (_, b) in pairs:
            x, y, ta, tb = a.get(key), b.get(key), a.get("triples"), b.get("triples")
            ok = all(isinstance(v, int | float) and v > 0 for v in (x, y, ta, tb)) and ta != tb
            cells.append(f"{math.log(y / x) / math.log(tb / ta):.2f}" if ok else "–")
        rows.append([label, *cells])
    head = ["growth exponent (1 = linear)"] + [f"{a} -> {b}" for (a, _), (b, _) in pairs]
    return table(rows, head)


def _goal_rows(f: dict, big: dict | None, one: dict | None) -> list[tuple]:
    """issue 16's goals: (goal, key, limit, unit, CPU, load average) at 1M, then at 10M."""
    rows = [
        (
            "kg load as documented, until views ready",
            f.get("cli_load_s"),
            10.0,
            "s",
            f.get("cli_load_cpu_s"),
            f.get("cli_load_avg"),
        ),
        (
            "fresh process: kg impact X end to end",
            f.get("cli_impact_s"),
            0.5,
            "s",
            f.get("cli_impact_cpu_s"),
            f.get("cli_impact_avg"),
        ),
        (
            "impact with why-paths, random starts, p50",
            f.get("impact_nx_median_ms"),
            0.5,
            "ms",
            f.get("impact_nx_cpu_median_ms"),
            f.get("impact_nx_load"),
        ),
        (
            "impact with why-paths, random starts, p95",
            f.get("impact_nx_p95_ms"),
            10.0,
            "ms",
            f.get("impact_nx_cpu_p95_ms"),
            f.get("impact_nx_load"),
        ),
        (
            "impact from the 50 heaviest hubs per kind, p50",
            f.get("impact_hubs_median_ms"),
            10.0,
            "ms",
            f.get("impact_hubs_cpu_median_ms"),
            f.get("impact_hubs_load"),
        ),
        (
            "impact from the 50 heaviest hubs per kind, p95",
            f.get("impact_hubs_p95_ms"),
            30.0,
            "ms",
            f.get("impact_hubs_cpu_p95_ms"),
            f.get("impact_hubs_load"),
        ),
        (
            "  of which national systems, p95",
            f.get("impact_systems_p95_ms"),
            30.0,
            "ms",
            f.get("impact_systems_cpu_p95_ms"),
            f.get("impact_hubs_load"),
        ),
        (
            "  hubs, first page (25 rows) + counts, p95",
            f.get("impact_hubs_page_p95_ms"),
            30.0,
            "ms",
            f.get("impact_hubs_page_cpu_p95_ms"),
            f.get("impact_hubs_page_load"),
        ),
        (
            "named SPARQL impact / networkx answer (median)",
            f.get("impact_sparql_vs_nx"),
            10.0,
            "x",
            None,
            f.get("impact_sparql_load"),
        ),
        (
            "named SPARQL impact / rdflib same query (median)",
            f.get("impact_sparql_vs_rdflib"),
            0.1,
            "x",
            None,
            f.get("impact_sparql_load"),
        ),
        ("slowest app page, server side", f.get("page_max_ms"), 1000.0, "ms", None, None),
        ("first app page after start (warm-up)", f.get("warmup_ms"), 1000.0, "ms", None, None),
        ("peak memory at 1M", f.get("peak_mb"), 1000.0, "MB", None, None),
    ]
    if big is not None:
        rows += [
            (
                "10M: kg load until views ready",
                big.get("cli_load_s"),
                180.0,
                "s",
                big.get("cli_load_cpu_s"),
                big.get("cli_load_avg"),
            ),
            ("10M: peak memory", big.get("peak_mb"), 6000.0, "MB", None, None),
        ]
        for label, key in (
            ("10M: impact from hubs p95, within 2x of 1M", "impact_hubs_p95_ms"),
            ("10M: impact random p95, within 2x of 1M", "impact_nx_p95_ms"),
            ("10M: slowest app page, within 2x of 1M", "page_max_ms"),
        ):
            a, b = big.get(key), (one or {}).get(key)
            lim = 2.0 * b if isinstance(b, int | float) else None
            rows.append((label, a, lim, "ms", None, None))
    return rows


def goals(results: list[dict]) -> str:
    """issue 16's goals table: met / not met per goal with the measured figure, its CPU time
    and the load average beside it (at the scale nearest 1M; the 10M goals when a scale of
    8M or more ran)."""
    figs = [key_figures(r) for r in results]
    one = next((f for f in figs if 500_000 <= (f.get("triples") or 0) <= 2_000_000), None)
    big = next((f for f in figs if (f.get("triples") or 0) >= 8_000_000), None)
    if one is None and big is None:
        return "goals (issue 16): need a scale near 1M (--scales 1m)"
    rows = []
    for label, v, limit, unit, cpu, load in _goal_rows(one or {}, big, one):
        if not isinstance(v, int | float) or limit is None:
            verdict = "not measured"
        else:
            verdict = "met" if v <= limit else "NOT met"
        rows.append(
            [
                label,
                f"<= {_fmt(limit)} {unit}" if limit is not None else "–",
                _fmt(v, 3),
                _fmt(cpu, 2),
                load if isinstance(load, str) else _fmt(load),
                verdict,
            ]
        )
    scale = (one or big or {}).get("triples")
    head = [
        f"goal (issue 16; {_fmt(scale)} triples)",
        "target",
        "measured",
        "CPU",
        "load avg",
        "verdict",
    ]
    return table(rows, head)


def _project_ids(data: Path, n: int) -> list[str]:
    """The first ``n`` project ids of the dataset (start nodes for ``kg impact``)."""
    import csv

    with open(data / "projects.csv", encoding="utf-8") as f:
        return [row["id"] for row, _ in zip(csv.DictReader(f), range(n), strict=False)]


def report(results: list[dict]) -> str:
    ok = [r for r in results if "error" not in r and r.get("load")]
    out = []
    scales = [r["scale"] for r in ok]
    figures = [key_figures(r) for r in ok]
    rows = [
        ("triples", "triples", 0),
        ("load, until live (s)", "load_s", 2),
        ("  read + validate (s)", "read_s", 2),
        ("  build, write + snapshot (s)", "write_s", 2),
        ("  then compaction (s)", "compact_s", 2),
        ("  records/s", "records_per_s", 0),
        ("  triples/s", "triples_per_s", 0),
        ("open store (ms)", "open_ms", 1),
        ("open store + cached view (ms)", "open_view_ms", 1),
        ("views prepared after a load (s)", "view_build_s", 2),
        ("impact SPARQL median (ms)", "impact_sparql_median_ms", 2),
        ("impact SPARQL p95 (ms)", "impact_sparql_p95_ms", 2),
        ("impact networkx median (ms)", "impact_nx_median_ms", 3),
        ("impact networkx p95 (ms)", "impact_nx_p95_ms", 2),
        ("  its CPU median / p95 (ms)", "impact_nx_cpu", 2),
        ("impact from hubs median (ms)", "impact_hubs_median_ms", 2),
        ("impact from hubs p95 (ms)", "impact_hubs_p95_ms", 2),
        ("  its CPU median / p95 (ms)", "impact_hubs_cpu", 2),
        ("  national systems (hubs of kind System) median / p95 (ms)", "impact_systems", 2),
        ("  first page (25 rows) + counts, median / p95 (ms)", "impact_hubs_page", 2),
        ("trace named SPARQL median (ms)", "trace_named_ms", 1),
        ("trace named SPARQL p95 (ms)", "trace_named_p95_ms", 1),
        ("trace networkx+values median (ms)", "trace_nx_median_ms", 2),
        ("trace networkx+values p95 (ms)", "trace_nx_p95_ms", 2),
        ("slowest gap report (ms)", "gap_max_ms", 1),
        ("status overview page builder (ms)", "status_ms", 0),
        ("what-if slip median (ms)", "slip_median_ms", 2),
        ("what-if slip p95 (ms)", "slip_p95_ms", 2),
        ("what-if switch-off p95 (ms)", "switch_off_p95_ms", 2),
        ("app warm-up per generation (ms)", "warmup_ms", 0),
        ("  of which graph_for (ms)", "graph_for_ms", 0),
        ("  of which quality/SHACL (ms)", "quality_ms", 0),
        ("slowest page (ms)", "page_max_ms", 0),
        ("  which page", "page_max", 0),
        ("peak memory (MB)", "peak_mb", 0),
        ("  after load (MB)", "peak_load_mb", 0),
        ("  after view (MB)", "peak_view_mb", 0),
        ("kg load as documented, fresh process (s)", "cli_load_s", 2),
        ("  its CPU time (s)", "cli_load_cpu_s", 2),
        ("  load average before/after", "cli_load_avg", 0),
        ("raw pyoxigraph bulk_load, same quads, fresh process (s)", "ref_ox_load_s", 2),
        ("  its CPU time (s)", "ref_ox_load_cpu_s", 2),
        ("  load average before/after", "ref_ox_load_avg", 0),
        ("rdflib Dataset.parse, same quads, fresh process (s)", "ref_rdflib_load_s", 2),
        ("  its CPU time (s)", "ref_rdflib_load_cpu_s", 2),
        ("  load average before/after", "ref_rdflib_load_avg", 0),
        ("kg load / raw pyoxigraph (wall)", "cli_load_vs_ox", 2),
        ("rdflib / kg load (wall)", "rdflib_vs_cli_load", 2),
        ("kg impact, fresh process, median (s)", "cli_impact_s", 3),
        ("  its CPU time (s)", "cli_impact_cpu_s", 3),
        ("  load average first/last run", "cli_impact_avg", 0),
        ("load average before/after the worker", "load_avg", 0),
    ]
    out.append(
        table(
            [[label] + [_fmt(f.get(key), d) for f in figures] for label, key, d in rows],
            ["measure (embedded store)"] + scales,
        )
    )
    sections = [n for r in ok for n in (r.get("sections") or {})]
    if sections:

        def sec(r, n):
            v = (r.get("sections") or {}).get(n)
            if not v:
                return "–"
            return f"{_fmt(v['wall_s'])} / {_fmt(v['cpu_s'])} / {v['load_avg']:.1f}"

        names = list(dict.fromkeys(sections))
        out.append("")
        out.append(
            table(
                [[n] + [sec(r, n) for r in ok] for n in names],
                ["worker section: wall s / CPU s / load average"] + scales,
            )
        )
    gap_names = sorted({n for r in ok for n in (r.get("gaps") or {})})
    if gap_names:

        def cell(r, section, n):
            v = _get(r, section, n) or {}
            t = f">{v['timeout_s']:g} s" if v.get("timeout_s") else _fmt(v.get("median_ms"))
            return f"{t} ({_fmt(v.get('rows'))} rows)" if v else "–"

        rows = [[n] + [cell(r, "gaps", n) for r in ok] for n in gap_names]
        out.append("")
        out.append(table(rows, ["named query, median ms (rows)"] + scales))
    ref_rows = []
    for label, path in [
        ("rdflib load (s)", ("rdflib", "load_s")),
        ("rdflib impact SPARQL median (ms)", ("rdflib", "impact_named_sparql", "median_ms")),
        ("rdflib peak extra (MB)", ("rdflib", "rdflib_extra_mb")),
        ("ratio load", ("ratios", "load")),
        ("ratio impact SPARQL median", ("ratios", "impact_named_sparql_median")),
        ("ratio impact networkx median", ("ratios", "impact_networkx_median")),
        ("ratio trace named SPARQL median", ("ratios", "trace_named_sparql_median")),
    ] + [(f"ratio {n}", ("ratios", n)) for n in gap_names]:
        ref_rows.append([label] + [_fmt(_get(r, *path), 3) for r in ok])
    if any(_get(r, "rdflib") for r in ok):
        out.append("")
        out.append(table(ref_rows, ["vs rdflib in-memory (ours / rdflib)"] + scales))
    exps = {
        k: exponent(ok, k)
        for k in ("load_s", "cli_load_s", "peak_mb", "peak_load_mb", "view_build_s")
    }
    out.append("")
    out.append(
        "growth exponent (log-log slope over the scales; 1 = linear): "
        + ", ".join(f"{k} {v}" for k, v in exps.items() if v is not None)
    )
    steps = growth(ok)
    if steps:
        out.append("")
        out.append(steps)
    out.append("")
    out.append(goals(ok))
    one = next(
        (f for f in figures if f.get("triples") and 500_000 <= f["triples"] <= 2_000_000), None
    )
    if one:
        out.append("")
        out.append(f"targets at {_fmt(one['triples'])} triples:")
        for label, key, op, limit, unit in TARGETS:
            v = one.get(key)
            if not isinstance(v, int | float):  # a section left out (--only) or failed
                out.append(f"  not measured  {label} (target {op} {limit:g} {unit})")
                continue
            # One rule with the goals table above: a figure equal to its limit meets it (the
            # issue writes each goal as "<= limit").
            met = v <= limit if op == "<=" else v >= limit
            out.append(
                f"  {'met           ' if met else 'NOT met       '}{label}: {_fmt(v)} {unit} "
                f"(target {op} {limit:g} {unit})"
            )
    for r in results:
        for n in r.get("notes", []):
            out.append(f"note ({r['scale']}): {n}")
        if "error" in r:
            out.append(f"error ({r['scale']}): {r['error']}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--smoke", action="store_true", help="only the 10k scale, quickly")
    p.add_argument(
        "--scales",
        help=f"comma-separated, from {', '.join(synth.PRESETS)} (default {','.join(DEFAULT_SCALES)})",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--starts", type=int, default=50, help="random start nodes per query (at least 50 for p95)"
    )
    p.add_argument(
        "--budget",
        type=float,
        default=60,
        help="seconds a slow series may take before it stops early",
    )
    p.add_argument("--timeout", type=float, default=1800, help="seconds one scale may take")
    p.add_argument("--no-rdflib", action="store_true", help="leave out the rdflib reference")
    p.add_argument(
        "--no-fresh", action="store_true", help="leave out kg load / kg impact in fresh processes"
    )
    p.add_argument(
        "--only",
        help="sections to run besides load and the view: impact,whatif,pages,gaps,trace,reference",
    )
    p.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="interleaved repeats of the fresh-process loads and kg impact (default 3)",
    )
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument(
        "--doc",
        type=Path,
        help="also write the results into this Markdown file (docs/scaling.md), between its "
        "bench markers",
    )
    args = p.parse_args(argv)
    scales = (
        ["10k"] if args.smoke else (args.scales.split(",") if args.scales else list(DEFAULT_SCALES))
    )
    unknown = [s for s in scales if s not in synth.PRESETS]
    if unknown:
        p.error(f"unknown scale(s) {', '.join(unknown)}; known: {', '.join(synth.PRESETS)}")
    if args.smoke:
        args.budget = min(args.budget, 10)
    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = [run_scale(s, args) for s in scales]
    text = report(results)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    doc = {
        "started": stamp,
        "seconds": round(time.perf_counter() - started, 1),
        "argv": sys.argv[1:],
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average": os.getloadavg(),
        },
        "results": results,
        "figures": {r["scale"]: key_figures(r) for r in results if r.get("load")},
        "table": text,
    }
    for name in (f"bench-{stamp}.json", "latest.json"):
        (args.out / name).write_text(json.dumps(doc, indent=1, default=str), encoding="utf-8")
    print(f"\nwrote {args.out / f'bench-{stamp}.json'} ({doc['seconds']:.0f} s)")
    if args.doc:
        from bench import doc as docfile

        out_dir = args.out.resolve()
        shown = out_dir.relative_to(ROOT) if out_dir.is_relative_to(ROOT) else out_dir
        docfile.write(args.doc, doc, str(shown))
        print(f"wrote the results into {args.doc}")
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
