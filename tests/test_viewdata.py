"""The app's views built from a load's N-Quads (graph/viewlines.py, graph/answers/viewrows.py) equal those read from the store.

The reference is the store itself: the same queries (graph/netx.py, graph/answers) run on the
on-disk Oxigraph store. The fast path must give the same nodes, edges and attributes, also
when a store holds several datasets, and must NOT be used when the store holds graphs that no
load of this version wrote (it would silently leave their nodes out of the view).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from conftest import MINI, NYE_ASKER, ROOT, write_dataset

from graph import answers, certainty, netx
from graph.answers import common, overview, sure
from graph.answers.viewrows import DELEGATED, HANDLERS, ViewRows, rows_for
from graph.embedded import EmbeddedStore
from graph.load import load
from graph.store import Capability, Store
from graph.viewquery import REGISTRY, ViewQuery


def _nodes(g: nx.MultiDiGraph) -> dict:
    # type() of each value too: a date read as text would compare unequal only by type name
    return {n: {k: (v, type(v).__name__) for k, v in d.items()} for n, d in g.nodes(data=True)}


def _edges(g: nx.MultiDiGraph) -> list[str]:
    return sorted(
        repr((u, v, k, sorted(d.items()))) for u, v, k, d in g.edges(keys=True, data=True)
    )


def _same_views(store: EmbeddedStore) -> ViewRows:
    rows, why = rows_for(store)
    assert rows is not None, why
    slow, fast = netx._build(store, "nb", False), netx._build(rows, "nb", False)
    assert slow.number_of_nodes() > 0
    assert _nodes(fast) == _nodes(slow)
    assert _edges(fast) == _edges(slow)
    for lang in ("nb", "en"):
        assert _nodes(netx._build(rows, lang, True)) == _nodes(netx._build(store, lang, True))
    assert sorted(map(repr, common.best_labels(rows, "en").items())) == sorted(
        map(repr, common.best_labels(store, "en").items())
    )
    for q in (common.SOURCES, common.NOTATIONS, overview.MILESTONES, certainty.RECORDS):
        assert sorted(map(repr, q.run(rows).rows)) == sorted(map(repr, q.run(store).rows)), q.name
    assert certainty.records(rows) == certainty.records(store)
    assert sorted(map(repr, overview.REPORTS.run(rows).rows)) == sorted(
        map(repr, overview.REPORTS.run(store).rows)
    )
    # the certainty of chosen records, asked in chunks (a record without a source, an IRI
    # unknown to the graph and the SDG goals among them): the lines' answer is the store's
    records = sorted({str(r) for r, *_ in certainty.RECORDS.run(store).rows})
    asked = records[::3] + [str(n) for n in list(slow.nodes)[:50]] + ["https://example.org/none"]
    chunk, sure.CHUNK = sure.CHUNK, 7  # several VALUES blocks
    try:
        by_lines, by_store = sure.lookup(rows, asked), sure.lookup(store, asked)
    finally:
        sure.CHUNK = chunk
    assert by_lines == by_store and len(by_lines) >= len(records[::3])
    assert rows.delegated == []  # every view query answered from the lines, none from the store
    # what `kg load` builds: only the queries DELEGATED lists may reach the store
    answers.prepare(rows, "nb")
    assert set(rows.delegated) <= set(DELEGATED), set(rows.delegated) - set(DELEGATED)
    rows.delegated.clear()
    return rows


@pytest.mark.parametrize("which", ["asker", "synth10k"])
def test_fast_view_equals_the_store_view(
    which: str, synth10k: Callable[[int], Path], tmp_path: Path
) -> None:
    store = EmbeddedStore(tmp_path / "store")
    rep = load(store, NYE_ASKER if which == "asker" else synth10k(3))
    assert rep.view_lines, rep.view_note
    _same_views(store)


def test_awkward_literals_round_trip(tmp_path: Path) -> None:
    tables = {k: [dict(r) for r in v] for k, v in MINI.items()}
    tables["projects"][0]["title"] = 'Sitat "inne" \\ bak\nny linje, æøå – 日本'
    tables["dependencies"][0]["rationale"] = 'P2 "trenger" P1\\'
    store = EmbeddedStore(tmp_path / "store")
    load(store, write_dataset(tmp_path / "mini", tables))
    _same_views(store)
    g = netx._build(rows_for(store)[0], "nb", False)
    assert g.nodes["https://example.org/mini/project/P1"]["label"] == tables["projects"][0]["title"]


def test_a_second_dataset_is_merged_and_a_reload_replaces(
    synth10k: Callable[[int], Path], tmp_path: Path
) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load(store, synth10k(3))
    alone = netx._build(rows_for(store)[0], "nb", False).number_of_nodes()
    load(store, NYE_ASKER)
    rows = _same_views(store)
    g = netx._build(rows, "nb", False)
    assert any("nye-asker" in n or "asker" in n.lower() for n in g)
    assert g.number_of_nodes() > alone  # the first dataset's nodes were not dropped
    load(store, synth10k(3))  # replaces its own graphs: no duplicates, the other dataset stays
    _same_views(store)
    assert netx._build(rows_for(store)[0], "nb", False).number_of_nodes() == g.number_of_nodes()


def test_graphs_written_otherwise_fall_back_to_the_store(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load(store, write_dataset(tmp_path / "mini", MINI))
    import pyoxigraph as ox

    extra = ox.Quad(
        ox.NamedNode("https://example.org/x/P9"),
        ox.NamedNode(netx.KG_NS[:-1] + "#type"),
        ox.Literal("x"),
        ox.NamedNode("https://example.org/x/graph/other"),
    )
    store.replace([], [extra])  # as kg import and a snapshot restore write
    rows, why = rows_for(store)
    assert rows is None and "kept view lines" in why
    rep = load(store, write_dataset(tmp_path / "mini2", MINI, name="mini2"))
    assert rep.view_lines is None and "not written by a load" in rep.view_note
    assert rows_for(store)[0] is None  # must NOT answer without the other graph
    assert netx.to_networkx(store).number_of_nodes() > 0  # the slow path still works


def _kg(*args: str, lang: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_kg_load_says_why_the_views_come_from_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = _kg(
        "load", str(write_dataset(tmp_path / "mini", MINI)), "--store", str(store), lang="en"
    )
    assert first.returncode == 0, first.stderr
    assert "read from the store" not in first.stderr  # the usual case: from the load's lines
    import pyoxigraph as ox

    es = EmbeddedStore(store)
    es.replace(
        [],
        [
            ox.Quad(
                ox.NamedNode("https://example.org/x/a"),
                ox.NamedNode("https://example.org/x/p"),
                ox.NamedNode("https://example.org/x/b"),
                ox.NamedNode("https://example.org/x/g"),
            )
        ],
    )
    es.close()
    mini2 = write_dataset(tmp_path / "mini2", MINI, name="mini2")
    en = _kg("load", str(mini2), "--store", str(store), lang="en")
    assert en.returncode == 0, en.stderr
    assert (
        "the views were read from the store: the graphs already in the store were not written"
        in en.stderr
    )
    nb = _kg("load", str(mini2), "--store", str(store), lang="nb")
    assert nb.returncode == 0, nb.stderr
    assert "visningene ble lest fra lageret: grafene som alt er i lageret" in nb.stderr


def test_every_view_query_has_a_handler_or_is_delegated_on_purpose() -> None:
    assert {"netx.nodes", "netx.edges", "netx.qualifiers", "certainty.records"} <= set(REGISTRY)
    missing = set(REGISTRY) - set(HANDLERS) - set(DELEGATED)
    assert not missing, f"view queries with no handler in graph/answers/viewrows.py: {missing}"
    assert not set(HANDLERS) & set(DELEGATED)
    assert set(HANDLERS) <= set(REGISTRY)  # no handler for a query that no longer exists


def test_a_changed_query_text_is_not_answered_by_the_old_handler(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load(store, write_dataset(tmp_path / "mini", MINI))
    rows, why = rows_for(store)
    assert rows is not None, why
    edited = netx.NODES.text.replace("(SAMPLE(?mt) AS ?mtype) ", "")
    # same name, other text (as a copy edited elsewhere would be): must go to the store
    out = rows.query(edited, {"lang": "nb"}, None, netx.NODES.name)
    assert out.columns[-1] == "status" and rows.delegated == [netx.NODES.name]
    with pytest.raises(ValueError):
        ViewQuery(netx.NODES.name, edited)  # two view queries may not share a name


def test_the_view_is_a_store_with_the_wrapped_stores_read_capabilities(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load(store, write_dataset(tmp_path / "mini", MINI))
    rows = rows_for(store)[0]
    assert isinstance(rows, Store) and rows is not None
    assert rows.supports(Capability.GENERATIONS) and rows.opened == store.opened
    assert not rows.supports(Capability.REPLACE)  # the view never writes
    assert rows.graphs() == store.graphs() and len(rows) == len(store)
    memory = EmbeddedStore(None)
    load(memory, write_dataset(tmp_path / "mini2", MINI, name="mini2"))
    assert rows_for(memory) == (None, "the store is not on disk")


def test_a_records_certainty_does_not_depend_on_the_order_of_its_values() -> None:
    """A record with two evidence values, a source with two document types: the kept lines give
    them in line order, the store in its index order. Both answers must be the least sure one
    (implied; the external document type), NOT whichever value came first."""
    kg, prov = "https://w3id.org/kommunegraf/ontology#", "http://www.w3.org/ns/prov#"
    g = "<https://example.org/o/graph/x.csv>"
    lines = [
        f"<urn:r1> <{prov}wasDerivedFrom> <urn:s1> {g} .",
        f'<urn:r1> <{kg}evidence> "explicit" {g} .',
        f'<urn:r1> <{kg}evidence> "implied" {g} .',
        f"<urn:r2> <{prov}wasDerivedFrom> <urn:s2> {g} .",
        f'<urn:s2> <{kg}documentType> "slides" {g} .',
        f'<urn:s2> <{kg}documentType> "register" {g} .',
    ]
    want = {
        "urn:r1": (sure.INTERPRETED, "evidence: implied"),
        "urn:r2": (sure.EXTERNAL, "register"),
    }
    store = EmbeddedStore(None)
    store.replace_nquads([g[1:-1]], ["\n".join(lines).encode() + b"\n"])
    assert sure.lookup(store, ["urn:r1", "urn:r2"]) == want
    assert certainty.records(store) == want
    for order in (lines, lines[::-1]):
        rows = ViewRows(store, order)
        assert sure.lookup(rows, ["urn:r1", "urn:r2"]) == want
        assert certainty.records(rows) == want
        assert rows.delegated == []  # from the lines, not the store
