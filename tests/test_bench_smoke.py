"""`python3 bench/run.py --smoke` runs the 10k scale and reports: a table and a JSON file.

No timing is asserted (CI machines differ); only that every section produced figures.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_smoke_bench_prints_the_table_and_writes_json(tmp_path):
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "measure (embedded store)" in done.stdout and "10k" in done.stdout
    for label in (
        "load (s)",
        "impact SPARQL median (ms)",
        "impact networkx p95 (ms)",
        "slowest gap report",
        "peak memory (MB)",
        "vs rdflib in-memory",
        "kg load as documented, fresh process (s)",
        "kg impact, fresh process, median (s)",
        "impact from hubs p95 (ms)",
        "load average before/after the worker",
    ):
        assert label in done.stdout, label
    doc = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert len(list(out.glob("bench-*.json"))) == 1
    (result,) = doc["results"]
    assert result["scale"] == "10k" and 5_000 < result["load"]["triples"] < 20_000
    assert result["impact"]["named_sparql"]["n"] >= 50 and result["impact"]["networkx"]["n"] >= 50
    assert {n for n in result["gaps"]} >= {"gap_actions_without_kpi", "gap_bodies_without_members"}
    assert result["peak_mb"]["ours"] > 0 and result["rdflib"]["load_s"] > 0
    assert doc["figures"]["10k"]["triples"] == result["load"]["triples"]
    fresh = result["fresh"]  # kg load and kg impact as users run them, each a new process
    assert fresh["kg_load"]["rc"] == 0, fresh["kg_load"]
    assert fresh["kg_load"]["cpu_s"] > 0 and len(fresh["kg_load"]["load_avg"]) == 2
    assert len(fresh["kg_impact"]) == 9 and all(r["rc"] == 0 for r in fresh["kg_impact"]), fresh
    assert len(result["load_avg"]) == 2
    assert result["start_nodes"]["hubs"] > 50 and result["impact"]["networkx_hubs"]["n"] > 0
