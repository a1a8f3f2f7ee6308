"""Ad-hoc queries stop for real at their time limit (issue 15, item 4)."""

from __future__ import annotations

import contextlib
import os
import resource
import time
from pathlib import Path

import pytest

from graph.cancel import adhoc_query
from graph.load import load
from graph.store import LimitExceeded, Limits, QueryError, open_store

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _children() -> list[int]:
    out: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread may end while we look
            out += [int(p) for p in (task / "children").read_text().split()]
    return out


_BEFORE: set[int] = set()  # children that were there before this module (servers of others)


@pytest.fixture(scope="module", autouse=True)
def _children_before() -> None:
    _BEFORE.update(_children())


def _workers() -> list[str]:
    """Children this module started, other than multiprocessing's idle helpers (the fork server,
    resource tracker): servers that other test modules keep running are not query workers."""
    out = []
    for pid in _children():
        if pid in _BEFORE:
            continue
        with contextlib.suppress(FileNotFoundError):
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            if "forkserver" not in cmd and "resource_tracker" not in cmd:
                out.append(cmd)
    return out


def _cpu(pid: int) -> float:
    """User + system seconds of a process (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def disk_store(tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    store = open_store("embedded", path=tmp_path / "store")
    load(store, mini)
    return open_store("embedded", path=tmp_path / "store", read_only=True)


def test_timed_out_queries_leave_no_cpu_or_memory_in_use(disk_store) -> None:
    adhoc_query(disk_store, "ASK { ?s ?p ?o }")  # warm up: the worker server starts once
    rss_before = _rss_mb()
    for _ in range(3):
        started = time.perf_counter()
        with pytest.raises(LimitExceeded) as e:
            adhoc_query(disk_store, CARTESIAN, limits=Limits(seconds=1.5))
        assert time.perf_counter() - started < 5
        assert "ble stoppet" in e.value.message("nb")
    # Within 5 s the process (all threads) and whatever children it has are idle.
    time.sleep(0.5)
    kids = [k for k in _children() if k not in _BEFORE]  # servers of other modules may work
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    kids_before = {k: _cpu(k) for k in kids if Path(f"/proc/{k}").exists()}
    time.sleep(3)
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    busy = (self_after.ru_utime + self_after.ru_stime) - (
        self_before.ru_utime + self_before.ru_stime
    )
    assert busy < 0.3, f"this process used {busy:.2f} s of CPU in 3 s after the queries"
    for k, cpu in kids_before.items():
        if Path(f"/proc/{k}").exists():
            assert _cpu(k) - cpu < 0.3, f"child {k} still busy"
    # No query worker is left: only the idle fork server that starts them (and its tracker).
    assert _workers() == []
    assert _rss_mb() < rss_before + 30


def test_rows_come_back_within_the_row_limit_and_errors_are_bilingual(disk_store) -> None:
    res = adhoc_query(disk_store, "SELECT ?s WHERE { ?s ?p ?o }", limits=Limits(seconds=30, rows=5))
    assert len(res.rows) == 5 and res.truncated
    with pytest.raises(QueryError) as e:
        adhoc_query(disk_store, "SELEC ?s WHERE {}")
    assert e.value.message("en").startswith("malformed query: ")
    assert e.value.message("nb").startswith("feil i spørringen: ")
    with pytest.raises(QueryError) as e:
        adhoc_query(disk_store, "DELETE WHERE { ?s ?p ?o }")
    assert e.value.message("nb").startswith("avvist: DELETE ville endret grafen")


def test_memory_store_queries_are_cancelled_too(mini: Path) -> None:
    store = open_store("memory")
    load(store, mini)
    with pytest.raises(LimitExceeded):
        adhoc_query(store, CARTESIAN, limits=Limits(seconds=1))
    assert adhoc_query(store, "ASK { ?s ?p ?o }").boolean is True
    time.sleep(0.3)
    assert _workers() == []  # the killed fork is reaped


def test_a_program_read_from_stdin_can_run_cancellable_queries(disk_store, tmp_path: Path) -> None:
    """The worker must not re-run the caller's main program (here: stdin, which has no file)."""
    import subprocess
    import sys

    from conftest import ROOT

    program = (
        "from graph.cancel import adhoc_query\nfrom graph.store import open_store\n"
        f"s = open_store('embedded', path={str(disk_store.root)!r}, read_only=True)\n"
        "print('answer', adhoc_query(s, 'ASK { ?s ?p ?o }').boolean)\n"
    )
    out = subprocess.run(
        [sys.executable, "-"],
        input=program,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert out.stdout.strip() == "answer True", out.stderr
    assert "Traceback" not in out.stderr
