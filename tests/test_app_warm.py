"""The app warmed before its first visitor (serve.py, views/warm.py) and what stays cheap per run.

After :func:`views.warm.warm` on a store ``kg load`` prepared, the first run of the start page,
the ICT page and the impact page must not read the view or ask the store the whole-graph
questions again: the tests make those builders fail and the pages must still show the
documents' facts (A4's latest status «På plan»: status_reports.csv; Gerica chosen for «Pleie
og omsorg»; the launch 2020-01-01 moved to 2020-02-26 when A2 slips 8 weeks). Without a store,
the warm-up builds none (the first visitor does, with its progress shown); a failure in it is
logged, never raised. The view is kept out of the garbage collector, and a dropped one is
still collected. A node's dataset date is kept per store generation, never across them. And
``streamlit run serve.py`` serves the app (the browser tests run it too: tests/servers.py).
"""

from __future__ import annotations

import gc
import logging
import shutil
import urllib.request
import weakref
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROOT, copy_store
from servers import AppServer
from streamlit.testing.v1 import AppTest

from graph import answers as V
from graph import snapshots
from graph.answers import history as H
from graph.answers import ict as ict_answers
from graph.answers.answer import Answer
from graph.store import open_store
from graph.whatif import dataset_date
from ontology.terms import KG_NS
from views import common as C
from views import history as history_page
from views import warm

APP = str(ROOT / "app.py")


def _boom(*args, **kwargs):
    raise AssertionError("asked again after the warm-up")


@pytest.fixture
def prepared(tmp_path, monkeypatch, nye_asker_store: Path) -> Path:
    """A private copy of nye Asker with the views ``kg load`` keeps (graph.answers.prepare)."""
    path = copy_store(nye_asker_store, tmp_path / "store")
    store = open_store("embedded", path=path, read_only=True)
    V.prepare(store, "nb")
    store.close()
    monkeypatch.setenv("KG_STORE", str(path))
    return path


def _page(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def _frame_text(at: AppTest, column: str) -> str:
    return next(d.value for d in at.dataframe if column in d.value.columns).to_csv(index=False)


def test_after_the_warm_up_the_first_pages_ask_nothing_again(prepared, monkeypatch):
    took = warm.warm()
    assert {
        "imports",
        "view nb",
        "overview nb",
        "impact nb",
        "ict nb",
        "kpis nb",
        "history nb",
        "governance nb",
        "sdg nb",
    } <= set(took)
    assert "view en" not in took  # no English view was kept: none is built at start
    # Whatever the pages would build from the view or the whole graph now fails.
    # (and, kept per view since: the timeline the impact page draws, the SDG page's goal
    # lists and default trace: whole-graph walks and a store query per KPI nationally)
    for name in (
        "graph_for",
        "counts_of",
        "status",
        "as_of",
        "milestones",
        "timeline",
        "sdg_goals",
        "sdg_linked",
        "trace_down",
    ):
        monkeypatch.setattr(V, name, _boom)
    for name in ("_choices", "_usages", "_evaluations", "_companies"):
        monkeypatch.setattr(ict_answers, name, _boom)
    at = _page()
    status = _frame_text(at, "Fremdrift")
    a4 = next(line for line in status.splitlines() if line.startswith("A4,"))
    assert "● På plan" in a4  # status_reports.csv: A4's latest report
    at.switch_page("views/ict.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "**Gerica** er valgt for «Pleie og omsorg»" in "\n".join(
        m.value for m in at.markdown
    ) + ("\n".join(m.value for m in at.success))
    at.switch_page("views/impact.py").run()
    assert not at.exception, [e.value for e in at.exception]
    headline = " ".join(e.value for e in at.error)
    assert "2020-01-01" in headline and "2020-02-26" in headline  # the launch, 8 weeks late
    monkeypatch.setattr(H, "status_strip", _boom)  # the History page's strip: kept on disk
    at.switch_page("views/history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    strip = " ".join(str(h.proto) for h in at.get("html"))
    # A1 first: its budget «På budsjett», risk «Medium» (status_reports.csv, S000 L366)
    assert "kg-status-strip" in strip and "På budsjett" in strip and "Medium" in strip
    at.switch_page("views/sdg.py").run()
    assert not at.exception, [e.value for e in at.exception]
    # the default trace: goal 11 as the UN names it, down to the local goals that point at it
    assert any(m.value.startswith("**11 Bærekraftige byer og lokalsamfunn**") for m in at.markdown)
    assert at.dataframe and len(at.dataframe[0].value) > 0


def test_the_history_answers_are_kept_per_snapshot(prepared):
    root = prepared.parent / "snapshots"
    (dataset,) = H.datasets(root)
    calls: list[int] = []

    def build() -> Answer:
        calls.append(1)
        return H.status_strip(root, dataset, "nb")

    first = history_page._kept(
        str(root), dataset, "strip-nb", history_page._stamp(root, dataset), build
    )
    again = history_page._kept(
        str(root), dataset, "strip-nb", history_page._stamp(root, dataset), build
    )
    assert len(calls) == 1 and again.rows == first.rows == H.status_strip(root, dataset, "nb").rows
    # A new snapshot (a later load): not the answer kept for the old ones.
    (latest,) = (s.path for s in snapshots.listing(root, dataset))
    shutil.copy(latest, latest.with_name("2031-01-01.nq"))
    newer = history_page._kept(
        str(root), dataset, "strip-nb", history_page._stamp(root, dataset), build
    )
    assert len(calls) == 2 and "2031-01-01" in newer.facts["dates"][-1]
    kept = list((root / dataset / ".kept").glob("strip-nb.*.pickle"))
    assert len(kept) == 1  # the old snapshots' answer is gone
    kept[0].write_bytes(b"torn")  # a torn file is built again, not an error
    history_page._kept(str(root), dataset, "strip-nb", history_page._stamp(root, dataset), build)
    assert len(calls) == 3


def test_without_a_store_the_warm_up_builds_none(tmp_path, monkeypatch):
    path = tmp_path / "nothing-yet"
    monkeypatch.setenv("KG_STORE", str(path))
    took = warm.warm()
    assert "imports" in took and not any(k.startswith("view") for k in took)
    assert not (path / "current").exists()  # the first visitor builds it, with its progress


def test_a_failing_warm_up_is_logged_not_raised(prepared, monkeypatch, caplog):
    import views.overview

    monkeypatch.setattr(views.overview, "warm", _boom)
    with caplog.at_level(logging.ERROR, logger="kommunegraf.warm"):
        took = warm.warm()
    assert "overview nb" not in took and "total" in took
    assert "warm-up stopped" in caplog.text
    _page()  # the page builds what the warm-up did not, as without it


class _Node:
    """Stands for a view: an object in a reference cycle (a networkx graph is one)."""

    def __init__(self) -> None:
        self.me = self


def test_the_view_is_out_of_the_collectors_reach_and_a_dropped_one_is_collected():
    try:
        old = _Node()
        gone = weakref.ref(old)
        C.keep_out_of_gc()
        assert gc.get_freeze_count() > 0
        del old
        gc.collect()
        assert gone() is not None  # frozen: a collection after a page run does not walk it
        C.keep_out_of_gc()  # the next view read: what was frozen and dropped is collected
        assert gone() is None
    finally:
        gc.unfreeze()


def test_a_nodes_dataset_date_follows_a_new_generation(tmp_path, nye_asker_store):
    path = copy_store(nye_asker_store, tmp_path / "store")
    store = open_store("embedded", path=path)
    a2 = V.find_node(V.graph_for(store, "nb"), "A2", V.PROJECT_KINDS)
    assert str(dataset_date(store, a2)) == "2017-02-01"  # status_reports.csv: newest report
    # The newest report (dated "2017-02": its first day counts) now dated 2017-03, in a new
    # generation of the same store.
    kg_date = ox.NamedNode(KG_NS + "date")
    graphs = {q.graph_name.value for q in store.quads(None, kg_date, None)}
    quads = []
    for g in graphs:
        for q in store.quads(None, None, None, ox.NamedNode(g)):
            if q.predicate == kg_date and q.object.value == "2017-02":
                later = ox.Literal("2017-03", datatype=q.object.datatype)
                q = ox.Quad(q.subject, q.predicate, later, q.graph_name)
            quads.append(q)
    store.replace(graphs, quads)
    assert str(dataset_date(store, a2)) == "2017-03-01"  # not the date kept for the old one
    store.close()


def test_serve_py_serves_the_app(tmp_path, prepared):
    log = tmp_path / "streamlit.log"
    srv = AppServer(log, env={"KG_STORE": str(prepared)}, start_seconds=180)
    try:
        with urllib.request.urlopen(srv.url + "/_stcore/health", timeout=10) as r:
            assert r.status == 200
        with urllib.request.urlopen(srv.url + "/", timeout=10) as r:
            assert r.status == 200 and b"<html" in r.read().lower()
    finally:
        srv.stop()
    assert "Traceback" not in log.read_text()


def test_large_snapshots_are_compared_when_asked_not_on_arrival(prepared, monkeypatch):
    """Two snapshots larger together than ``DIFF_ASKED`` (set to 1 byte here; a national one is
    ~2 GB): neither the warm-up nor the History page's arrival reads them for the diff; the page
    says why and compares them when the planner presses the button. The two snapshots are the
    same load under two dates, so the comparison finds no change."""
    root = prepared.parent / "snapshots"
    (dataset,) = H.datasets(root)
    (latest,) = (s.path for s in snapshots.listing(root, dataset))
    shutil.copy(latest, latest.with_name("2016-01-01.nq"))
    monkeypatch.setattr(H, "DIFF_ASKED", 1)
    compare = H.changes_between
    monkeypatch.setattr(H, "changes_between", _boom)
    store = open_store("embedded", path=prepared, read_only=True)
    history_page.warm(store, V.graph_for(store, "nb"), "nb")  # the strip only
    assert not list((root / dataset / ".kept").glob("diff-*.pickle"))
    at = _page("history")
    assert not at.exception, [e.value for e in at.exception]
    assert "Øyeblikksbildene er store" in " ".join(i.value for i in at.info)
    ask = at.button(key="hist_diff_ask")
    assert ask.label.startswith("Sammenlign ")
    monkeypatch.setattr(H, "changes_between", compare)
    ask.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Ingen endringer mellom disse datoene." in " ".join(i.value for i in at.info)
    assert list((root / dataset / ".kept").glob("diff-*.pickle"))  # kept: no button next time
