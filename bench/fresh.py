"""Fresh-process measurements: the commands as a user runs them, one process each.

``kg load DIR`` as the documentation tells users (the data live *and* the app's views ready)
and a one-shot ``kg impact X`` on the built store, each in a new Python process, with wall
time, the CPU time of the process and its children, and the load average before and after:
on a shared machine a wall time means little without the load beside it.

Beside our load, in the same run and interleaved with it (ours, raw pyoxigraph, rdflib, then
again), two references load the same quads (the dataset's N-Quads, written once to a file):
raw pyoxigraph (``Store.bulk_load`` of the file into an on-disk store: the floor of any load
into Oxigraph) and rdflib (``Dataset.parse`` in memory). Medians of ``repeats`` runs.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The references, each a whole program run in a new process: argv[1] the N-Quads file,
# argv[2] a folder to work in; they print the number of quads loaded.
RAW_PYOXIGRAPH = """
import sys, pyoxigraph as ox
s = ox.Store(sys.argv[2])
s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
s.flush()
print(len(s))
"""
RDFLIB = """
import sys, rdflib
ds = rdflib.Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
print(len(ds))
"""


def _run(argv: list[str], timeout: float) -> dict[str, Any]:
    """Run ``argv`` in a new process: wall s, CPU s (it and its children), load average, rc."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before_load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        done = subprocess.run(
            argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
        rc, text = done.returncode, (done.stderr or done.stdout)
    except subprocess.TimeoutExpired:
        rc, text = -1, f"timed out after {timeout:g} s"
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "rc": rc,
        "load_avg": [round(before_load, 2), round(os.getloadavg()[0], 2)],
    }
    if rc:
        out["error"] = text[-400:]
    return out


def run(cmd: list[str], timeout: float = 1800) -> dict[str, Any]:
    """Run ``python3 -m graph.cli *cmd`` in a new process: wall s, CPU s, load average, rc."""
    return _run([sys.executable, "-m", "graph.cli", *cmd], timeout)


def reference(program: str, nquads: Path, work: Path, timeout: float = 1800) -> dict[str, Any]:
    """One reference program (:data:`RAW_PYOXIGRAPH`, :data:`RDFLIB`) in a new process."""
    shutil.rmtree(work, ignore_errors=True)
    out = _run([sys.executable, "-c", program, str(nquads), str(work)], timeout)
    shutil.rmtree(work, ignore_errors=True)
    return out


def nquads_file(data: Path, work: Path) -> Path:
    """The dataset's quads as one N-Quads file (what our load writes to the store)."""
    sys.path.insert(0, str(ROOT))
    from loaders.dataset import read_dataset

    path = work / "reference.nq"
    work.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        for chunk in read_dataset(data).nquads():
            f.write(chunk)
    return path


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The run with the median wall time among those that succeeded (else the first)."""
    ok = sorted((r for r in runs if not r["rc"]), key=lambda r: r["wall_s"])
    return ok[len(ok) // 2] if ok else (runs[0] if runs else None)


def measure(
    data: Path,
    work: Path,
    starts: list[str],
    repeats: int = 3,
    references: bool = True,
    rdflib: bool = True,
) -> dict[str, Any]:
    """``kg load`` as documented, raw pyoxigraph and rdflib loads, ``repeats`` times interleaved;
    then ``kg impact`` from each start, ``repeats`` times interleaved (start 1, 2, 3, 1, ...)."""
    store = work / "cli-store"
    nq = nquads_file(data, work) if references else None
    loads: dict[str, list[dict[str, Any]]] = {"kg_load": [], "raw_pyoxigraph": [], "rdflib": []}
    for _ in range(repeats):
        shutil.rmtree(store, ignore_errors=True)
        loads["kg_load"].append(run(["load", str(data), "--store", str(store)]))
        if nq is not None:
            loads["raw_pyoxigraph"].append(reference(RAW_PYOXIGRAPH, nq, work / "ref-ox"))
            if rdflib:
                loads["rdflib"].append(reference(RDFLIB, nq, work / "ref-rdflib"))
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
    if nq is not None:
        nq.unlink(missing_ok=True)
    return {
        "repeats": repeats,
        "kg_load": median_run(loads["kg_load"]),
        "kg_load_runs": loads["kg_load"],
        "raw_pyoxigraph_load": median_run(loads["raw_pyoxigraph"]),
        "raw_pyoxigraph_runs": loads["raw_pyoxigraph"],
        "rdflib_load": median_run(loads["rdflib"]),
        "rdflib_runs": loads["rdflib"],
        "kg_impact": impact,
        "kg_impact_median_s": mid(walls),
        "kg_impact_median_cpu_s": mid(cpus),
        "load_avg_impact": [impact[0]["load_avg"][0], impact[-1]["load_avg"][1]]
        if impact
        else None,
    }
