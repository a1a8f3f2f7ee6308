"""Two writers at once (issue 15, item 1) and loads confined to their own graphs (item 2)."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest
from conftest import MINI, ROOT, write_dataset

from graph.load import load
from graph.store import open_store
from graph.writelock import StoreBusy, writer_lock
from loaders.errors import LoadError

COUNT = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?prefix)) }"
)


def _load(store_path: str, dataset: str, barrier) -> None:
    os.environ["KG_SNAPSHOTS"] = "0"
    store = open_store("embedded", path=store_path)
    barrier.wait()  # both processes start their write at the same moment
    load(store, dataset)


def _triples(store_path: Path, name: str) -> int:
    store = open_store("embedded", path=store_path, read_only=True)
    res = store.query(COUNT.replace("?prefix", f'"https://example.org/{name}/graph/"'))
    return int(res.rows[0][0])


def test_two_processes_loading_at_once_keep_both_datasets(tmp_path: Path) -> None:
    a = write_dataset(tmp_path / "a", MINI, name="alpha")
    b = write_dataset(tmp_path / "b", MINI, name="beta")
    # forkserver: a clean process forks the writers (a fork of this process, which has used
    # RocksDB already, can hang in the child); preloading keeps each start cheap.
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["graph.load", "graph.embedded", "loaders.dataset"])
    for i in range(20):
        store = tmp_path / f"store{i}"
        barrier = ctx.Barrier(2)
        procs = [ctx.Process(target=_load, args=(str(store), str(d), barrier)) for d in (a, b)]
        # A forkserver child runs the parent's __main__ again; after an AppTest.from_function
        # (tests/test_app_tables.py) that is Streamlit's temporary script, which fails outside
        # Streamlit. The writers need nothing from it (graph/cancel.py starts its workers so).
        with pytest.MonkeyPatch.context() as m:
            m.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
            for p in procs:
                p.start()
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
        # Both datasets are there after every round; without the lock one of them vanished.
        assert _triples(store, "alpha") > 0, f"round {i}: alpha lost"
        assert _triples(store, "beta") > 0, f"round {i}: beta lost"
        assert _triples(store, "alpha") == _triples(store, "beta")


def test_a_second_writer_with_no_wait_is_refused_with_exit_1(tmp_path: Path, mini: Path) -> None:
    store = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_SNAPSHOTS": "0"}
    cmd = [sys.executable, "-m", "graph.cli", "--store", str(store), "load", str(mini), "--no-warm"]
    with writer_lock(store):  # another writer holds the store
        done = subprocess.run(
            [*cmd, "--no-wait", "--lang", "en"], capture_output=True, text=True, env=env
        )
        nb = subprocess.run(
            [*cmd, "--no-wait", "--lang", "nb"], capture_output=True, text=True, env=env
        )
    assert done.returncode == 1, done.stderr
    assert "another process is writing to the store" in done.stderr
    assert "Traceback" not in done.stderr
    assert nb.returncode == 1 and "en annen prosess skriver til lageret" in nb.stderr
    assert not (store / "current").exists()  # the refused load wrote nothing
    # Another thread of this process is another writer too (only the holder's own thread re-enters).
    seen: list[BaseException] = []

    def other() -> None:
        try:
            with writer_lock(store, wait=False):
                pass
        except StoreBusy as e:
            seen.append(e)

    with writer_lock(store):
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert len(seen) == 1
    # Once the lock is free the same command loads.
    ok = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr


def _store_with(tmp_path: Path, mini: Path):
    store = open_store("embedded", path=tmp_path / "store")
    old = os.environ.get("KG_SNAPSHOTS")
    os.environ["KG_SNAPSHOTS"] = "0"  # only for this load: later tests in the process keep theirs
    try:
        load(store, mini)
    finally:
        if old is None:
            os.environ.pop("KG_SNAPSHOTS", None)
        else:
            os.environ["KG_SNAPSHOTS"] = old
    return store


@pytest.fixture
def hostile_trig(tmp_path: Path) -> Path:
    f = tmp_path / "evil.trig"
    f.write_text(
        '<https://example.org/x> <https://example.org/p> "x" .\n'
        "GRAPH <https://example.org/mini/graph/projects.csv> "
        '{ <https://example.org/x> <https://example.org/p> "y" . }\n',
        encoding="utf-8",
    )
    return f


def test_quads_naming_another_datasets_graph_are_refused(
    tmp_path: Path, mini: Path, hostile_trig: Path
) -> None:
    store = _store_with(tmp_path, mini)
    before = len(store)
    graphs = store.graphs()
    with pytest.raises(LoadError) as e:
        load(store, hostile_trig)
    assert e.value.text("en") == (
        "evil.trig: 1 quads name graphs outside this dataset (first: "
        "<https://example.org/mini/graph/projects.csv>); a load writes only into its own graphs "
        "(<https://data.kommunegraf.no/evil/graph/…>); use --foreign-graphs move to move them into "
        "this dataset's graph"
    )
    # What must NOT happen: the mini dataset's projects graph dropped or changed.
    assert len(store) == before and store.graphs() == graphs


def test_foreign_quads_moved_on_request_and_counted(
    tmp_path: Path, mini: Path, hostile_trig: Path
) -> None:
    store = _store_with(tmp_path, mini)
    projects = "https://example.org/mini/graph/projects.csv"
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{projects}> {{ ?s ?p ?o }} }}"
    kept = store.query(q).rows[0][0]
    rep = load(store, hostile_trig, foreign="move")
    assert rep.moved == 1
    assert store.query(q).rows[0][0] == kept  # the mini dataset's graph is untouched
    own = (
        "SELECT ?o WHERE { GRAPH <https://data.kommunegraf.no/evil/graph/evil-trig> { ?s ?p ?o } }"
    )
    assert sorted(r[0] for r in store.query(own).rows) == ["x", "y"]
