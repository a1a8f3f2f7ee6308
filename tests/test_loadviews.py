"""``kg load`` builds the networkx view from the load's lines while the new generation compacts
(before the switch), and writes the views' big files by forked children (issue 16, ninth round:
graph/answers/viewrows.py ``ahead``, graph/aside.py).

The reference is the store itself, as in tests/test_viewdata.py: the view, the labelled view
and the compact carrying file that a load leaves must equal what the same code builds from the
on-disk store after the load, with no file kept. What must NOT happen: a second build of the
view after the switch, a second generation (a compacted copy), a view built ahead that read
the old generation, a failure of the early build failing the load. No timing is asserted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from conftest import MINI, NYE_ASKER, write_dataset

from graph import aside, carryfile, netx
from graph.answers import common, overview, sure, viewrows
from graph.cli import main
from graph.embedded import EmbeddedStore
from graph.load import load
from graph.store import IRI


def _nodes(g: nx.MultiDiGraph) -> dict:
    # type() of each value too: a date read as text would compare unequal only by type name
    return {n: {k: (v, type(v).__name__) for k, v in d.items()} for n, d in g.nodes(data=True)}


def _edges(g: nx.MultiDiGraph) -> list[str]:
    return sorted(
        repr((u, v, k, sorted(d.items()))) for u, v, k, d in g.edges(keys=True, data=True)
    )


@pytest.mark.parametrize("which", ["asker", "synth10k"])
def test_the_views_a_load_leaves_equal_those_built_from_the_store(
    which: str,
    synth10k: Callable[[int], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    path = tmp_path / "store"
    data = NYE_ASKER if which == "asker" else synth10k(5)
    assert main(["--lang", "nb", "load", str(data), "--store", str(path)]) == 0
    store = EmbeddedStore(path)
    kept = netx.peek(store, "netx-nb-0")
    labelled = netx.peek(store, "labelled-nb")
    assert kept is not None and labelled is not None  # the children wrote both pickles
    # the reference: the same code on the on-disk store, no kept lines, no cache
    slow = netx._build(store, "nb", False)
    assert slow.number_of_nodes() > 0
    assert _nodes(kept) == _nodes(slow)
    assert _edges(kept) == _edges(slow)
    common.label_nodes(store, "nb", slow.nodes)  # what graph_for adds to the view
    assert _nodes(labelled) == _nodes(slow)
    assert _edges(labelled) == _edges(slow)
    # the compact carrying file, byte for byte as written from the store's own view
    gen = store.opened
    assert gen is not None
    written = carryfile.path_for(gen, "netx-nb-0")
    reference = tmp_path / "reference.carry"
    carryfile.write(netx._build(store, "nb", False), reference, carryfile.label_forms(store))
    assert written.read_bytes() == reference.read_bytes()
    # nothing half-written is left beside them (a child's temporary file)
    assert not list((path / "views").glob("*.tmp")), sorted((path / "views").iterdir())


def test_the_view_is_built_once_before_the_switch_and_the_generation_compacted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, optimize_calls: list[str]
) -> None:
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    path = tmp_path / "store"
    builds: list[tuple[str, Path | None]] = []
    build = netx._build

    def counted(store, lang, include_relations):  # type: ignore[no-untyped-def]
        if not include_relations:  # the generation the store read while it was built
            builds.append((type(store).__name__, EmbeddedStore(path).opened))
        return build(store, lang, include_relations)

    monkeypatch.setattr(netx, "_build", counted)
    assert main(["--lang", "nb", "load", str(NYE_ASKER), "--store", str(path)]) == 0
    # once, from the load's lines, while no generation was live yet; not again after the switch
    assert builds == [("ViewRows", None)]
    assert optimize_calls == ["optimize"]  # the new generation, once, before the switch
    assert (path / "gen-1").is_dir() and not (path / "gen-2").exists()  # no compacted copy
    assert EmbeddedStore(path).opened == (path / "gen-1").resolve()


def test_a_view_built_ahead_that_asked_the_store_or_failed_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    store = EmbeddedStore(tmp_path / "store")
    from graph.load import load

    made: list[viewrows.ViewRows] = []
    load(store, NYE_ASKER, ahead=lambda parsed: made.append(viewrows.ahead(store, parsed)))
    (rows,) = made
    assert set(rows.built) == {"netx-nb-0"}  # the usual case: built and kept

    def asks(store, lang):  # type: ignore[no-untyped-def]
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # not a view query
        return nx.MultiDiGraph()

    def fails(store, lang):  # type: ignore[no-untyped-def]
        raise RuntimeError("the view could not be built")

    from graph.viewparse import Parsed

    for broken in (asks, fails):
        monkeypatch.setattr(netx, "build_view", broken)
        early = viewrows.ahead(store, Parsed())
        assert early.built == {}, broken.__name__  # not kept: prepare builds the view itself
        assert early.delegated == []


def test_a_failing_early_build_does_not_fail_the_load_and_the_views_are_built_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_SNAPSHOTS", "0")

    def fails(store, lang):  # type: ignore[no-untyped-def]
        raise RuntimeError("the view could not be built")

    monkeypatch.setattr(netx, "build_view", fails)
    path = tmp_path / "store"
    assert main(["--lang", "nb", "load", str(NYE_ASKER), "--store", str(path)]) == 0
    store = EmbeddedStore(path)
    assert len(store) > 0
    kept = netx.peek(store, "netx-nb-0")  # built after the switch instead, from the lines
    assert kept is not None
    assert _edges(kept) == _edges(netx._build(store, "nb", False))


def test_a_write_aside_runs_in_a_child_on_a_snapshot_and_waits(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    value = [1, 2]

    def writer() -> None:
        import os

        out.write_text(json.dumps({"pid": os.getpid(), "value": value}))

    import os

    aside.write(writer)  # outside writing_aside: now, in this process
    assert json.loads(out.read_text()) == {"pid": os.getpid(), "value": [1, 2]}

    with aside.writing_aside() as done:
        aside.write(writer)
        value.append(3)  # after the fork: the child wrote the value as it was
    assert done == [0]  # waited for, and written
    got = json.loads(out.read_text())
    assert got["value"] == [1, 2] and got["pid"] != os.getpid()

    def fails() -> None:
        raise OSError("disk full")

    with aside.writing_aside() as done:
        aside.write(fails)  # not raised here, nor in the child's caller
    assert done == [1]


def test_the_carrying_file_a_load_leaves_answers_impact(tmp_path: Path) -> None:
    # A2 "Kommunikasjon" is a sub-project of the nye Asker programme (data/nye-asker/projects.csv)
    path = tmp_path / "store"
    assert main(["--lang", "nb", "load", str(NYE_ASKER), "--store", str(path)]) == 0
    store = EmbeddedStore(path)
    gen = store.opened
    assert gen is not None
    view = carryfile.open_view(gen, "netx-nb-0")
    assert view is not None  # written by a child, complete: it maps and reads
    start = carryfile.resolve(store, view, "A2")
    assert isinstance(start, IRI) and start in view


def test_the_next_load_removes_what_a_writer_killed_mid_write_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A child killed while it wrote a view's file leaves its "<file>.<pid>.tmp"; the next load
    # that writes the views removes it, but not one a live process may be writing now.
    import os
    import subprocess
    import sys

    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    path = tmp_path / "store"
    data = str(write_dataset(tmp_path / "mini", MINI))  # small: the views' files are the point
    assert main(["--lang", "nb", "load", data, "--store", str(path)]) == 0
    views = path / "views"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = views / f"gen-1.netx-nb-0.abc.{int(gone.stdout)}.tmp"  # its writer has exited
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        live = views / f"gen-1.netx-nb-0.abc.{writer.pid}.tmp"  # its writer is still at work
        old = views / "leftover.tmp"  # no pid in the name: by its age
        new = views / "fresh.tmp"
        for f in (dead, live, old, new):
            f.write_bytes(b"half a file")
        hours_ago = os.stat(old).st_mtime - 2 * 3600
        os.utime(old, (hours_ago, hours_ago))
        assert main(["--lang", "nb", "load", data, "--store", str(path)]) == 0
        assert EmbeddedStore(path).opened == (path / "gen-2").resolve()  # the views written again
        left = {f.name for f in views.glob("*.tmp")}
        assert left == {live.name, new.name}, sorted(views.iterdir())
    finally:
        writer.kill()
        writer.wait()


def test_a_fork_that_fails_writes_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A process limit (EAGAIN) or no memory to commit: the load's views are caches, and a cache
    # write must not turn a good load into a crash after the switch.
    import os

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    out = tmp_path / "out.txt"
    with aside.writing_aside() as done:
        aside.write(lambda: out.write_text(str(os.getpid())))
    assert done == []  # no child to wait for
    assert out.read_text() == str(os.getpid())  # written, here


def test_a_view_of_the_store_itself_writes_its_files_without_forking(tmp_path: Path) -> None:
    # The carry file's writer reads the label forms from the store when the store is not the
    # load's ViewRows: a forked child must never read RocksDB (a lock held by another thread of
    # the parent at the fork would hang it), so this one is written in the process.
    path = tmp_path / "store"
    assert main(["--lang", "nb", "load", str(NYE_ASKER), "--store", str(path), "--no-warm"]) == 0
    store = EmbeddedStore(path)
    gen = store.opened
    assert gen is not None
    with aside.writing_aside() as done:
        netx.to_networkx(store, "nb")
    assert done == [], "no child forked for a view read from the store"
    assert carryfile.open_view(gen, "netx-nb-0") is not None  # written all the same


def test_a_moved_foreign_graph_keeps_each_records_file(tmp_path: Path) -> None:
    # An N-Quads file whose graph belongs to another dataset, loaded with --foreign-graphs move:
    # its graph's own file line (said once per graph) must become each record's file, not a
    # line about the old graph's IRI inside the new one.
    from loaders.dataset import read_dataset
    from loaders.sourcefile import per_record

    kg = "https://w3id.org/kommunegraf/ontology#"
    old = "https://data.kommunegraf.no/annen/graph/projects.csv"
    rec = "https://data.kommunegraf.no/annen/project/P1"
    nq = tmp_path / "flyttet.nq"
    nq.write_text(
        f"<{rec}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{kg}Project> <{old}> .\n"
        f'<{rec}> <http://purl.org/dc/terms/identifier> "P1" <{old}> .\n'
        f'<{old}> <{kg}sourceFile> "projects.csv" <{old}> .\n',
        encoding="utf-8",
    )
    ds = read_dataset(nq, foreign="move")
    quads = list(per_record(ds.quads))
    files = {
        (q.subject.value, q.object.value) for q in quads if q.predicate.value == kg + "sourceFile"
    }
    assert files == {(rec, "projects.csv")}
    assert not any(q.subject.value == old for q in quads), "the old graph is not a subject"
    assert all(q.graph_name.value != old for q in quads)  # moved


def test_the_status_query_is_asked_once_of_the_new_generation_before_the_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tenth round: asked on the compacting thread once the new generation is compacted, while
    # the view is built, and taken as answered after the switch (not asked of the store again).
    # Fourteenth round: the reports behind the rows and the certainty of those and of the
    # milestones are read from the load's lines; none of them reaches the store.
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    path = tmp_path / "store"
    asked: list[tuple[str, Path | None]] = []
    query = EmbeddedStore.query

    def recorded(self, text, params=None, limits=None, name=None):  # type: ignore[no-untyped-def]
        if name in ("status_overview", "overview.reports", "sure.lookup", "overview.milestones"):
            asked.append((name, EmbeddedStore(path).opened))  # the generation live then
        return query(self, text, params, limits, name)

    monkeypatch.setattr(EmbeddedStore, "query", recorded)
    assert main(["--lang", "nb", "load", str(NYE_ASKER), "--store", str(path)]) == 0
    # while no generation was live yet (the first load into the folder), once; none after
    assert asked == [("status_overview", None)], asked
    monkeypatch.setattr(EmbeddedStore, "query", query)
    fresh = EmbeddedStore(path, read_only=True)
    g = common.graph_for(fresh, "nb")
    kept = overview.status(fresh, g, "nb")  # the rows the load kept beside the generation
    assert kept and kept == overview._status(fresh, g, "nb")  # asked of the store now
    # the milestones' certainty the load kept (from its lines) is the store's
    found = overview.MILESTONES.run(fresh).rows
    known = sure.lookup(fresh, [m for m, *_ in found])
    graded = sorted(map(repr, overview.graded_milestones(fresh)))
    assert graded == sorted(
        repr((m, overview._date_text(d), o, t, st, *sure.of(known, [m])))
        for m, d, o, t, st in found
    )
    assert any(c != sure.STATED for *_, c, _ in overview.graded_milestones(fresh))


def test_status_queries_that_fail_ahead_are_asked_after_the_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    path = tmp_path / "store"

    def failing(store: object, lang: str = "nb") -> None:
        raise RuntimeError("no answer ahead")

    monkeypatch.setattr(viewrows, "ask_ahead", failing)
    assert main(["--lang", "nb", "load", str(NYE_ASKER), "--store", str(path)]) == 0
    fresh = EmbeddedStore(path, read_only=True)
    g = common.graph_for(fresh, "nb")
    kept = overview.status(fresh, g, "nb")
    assert kept and kept == overview._status(fresh, g, "nb")


def test_an_answer_given_ahead_is_taken_only_for_the_same_query_and_parameters(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load(store, NYE_ASKER)
    answers = viewrows.ask_ahead(store, "en")
    rows, why = viewrows.rows_for(store)
    assert rows is not None, why
    rows.answered.update(answers)
    nb = overview.status_query(rows, "nb")  # another language: asked of the store
    assert nb.rows == overview.status_query(store, "nb").rows
    names = [name for name, _ in rows.answered]
    assert "status_overview" in names and rows.delegated == ["status_overview"]
    en = overview.status_query(rows, "en")  # the one asked ahead: given, then gone
    given = [a for (name, _), (_, a) in answers.items() if name == "status_overview"]
    assert [en] == given and "status_overview" not in [name for name, _ in rows.answered]


def test_the_labelled_view_is_pickled_by_a_child_during_a_load(tmp_path: Path) -> None:
    # The labelled view's pickle reads nothing from the store: within kg load's writing_aside a
    # forked child writes it (36 s of the main thread at 8.8M triples on a busy machine), and
    # the file holds the view as labelled, before anything changes it afterwards.
    path = tmp_path / "store"
    assert main(["--lang", "nb", "load", str(NYE_ASKER), "--store", str(path), "--no-warm"]) == 0
    store = EmbeddedStore(path)
    assert netx.peek(store, "labelled-nb") is None
    with aside.writing_aside() as done:
        g = common.graph_for(store, "nb")
        names = {n: d.get("label") for n, d in g.nodes(data=True)}
        for d in g.nodes.values():
            d["label"] = "changed after the fork"
    # the plain view's files read the store (no kept lines here): written in this process
    assert done == [0]
    kept = netx.peek(store, "labelled-nb")
    assert kept is not None
    assert {n: d.get("label") for n, d in kept.nodes(data=True)} == names
    assert "A1" in {d.get("code") for d in kept.nodes.values()}
