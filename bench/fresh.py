"""Fresh-process measurements: the commands as a user runs them, one process each.

``kg load DIR`` as the documentation tells users (the data live *and* the app's views ready)
and a one-shot ``kg impact X`` on the built store, each in a new Python process, with wall
time, the CPU time of the process and its children, and the load average before and after:
on a shared machine a wall time means little without the load beside it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], timeout: float = 1800) -> dict[str, Any]:
    """Run ``python3 -m graph.cli *cmd`` in a new process: wall s, CPU s, load average, rc."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before_load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", *cmd],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "rc": done.returncode,
        "load_avg": [round(before_load, 2), round(os.getloadavg()[0], 2)],
    }
    if done.returncode:
        out["error"] = (done.stderr or done.stdout)[-400:]
    return out


def measure(data: Path, work: Path, starts: list[str], repeats: int = 3) -> dict[str, Any]:
    """``kg load`` as documented (once), then ``kg impact`` from each start, ``repeats`` times
    interleaved (start 1, 2, 3, 1, 2, 3, ...)."""
    store = work / "cli-store"
    import shutil

    shutil.rmtree(store, ignore_errors=True)
    load = run(["load", str(data), "--store", str(store)])
    impact: list[dict[str, Any]] = []
    for _ in range(repeats):
        for s in starts:
            impact.append(
                {"start": s, **run(["impact", s, "--store", str(store), "-f", "json"], 120)}
            )
    walls = sorted(r["wall_s"] for r in impact if not r["rc"])
    cpus = sorted(r["cpu_s"] for r in impact if not r["rc"])
    mid = lambda v: v[len(v) // 2] if v else None  # noqa: E731
    shutil.rmtree(store, ignore_errors=True)
    return {
        "kg_load": load,
        "kg_impact": impact,
        "kg_impact_median_s": mid(walls),
        "kg_impact_median_cpu_s": mid(cpus),
    }
