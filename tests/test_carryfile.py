"""The compact form of the impact traversal's input (graph/carryfile.py, issue 16: a fresh
``kg impact`` in ≤ 0.5 s at 1M): the answer from it is the networkx view's, row for row, for
every start; it names the start as graph.queries.resolve_node does or not at all; and a store
that changed (a reload, an edit) never gets the answer of the data before it, whether the
file is there, missing, cut short or from other code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, ROOT, write_dataset
from hypothesis import given, settings
from hypothesis import strategies as st
from test_carrying import _graph as carrying_graph
from test_carrying import edges

from graph import carryfile, edits, propagation, queries, synth
from graph.access import Identity, Role
from graph.answers import scenarios as A
from graph.answers.answer import Answer
from graph.load import load
from graph.netx import to_networkx
from graph.store import IRI, QueryError, open_store

VIEW = "netx-nb-0"
EFFECTS = [
    propagation.ALL,
    frozenset({"schedule"}),
    frozenset({"service"}),
    frozenset({"accountability"}),
    frozenset({"service", "schedule"}),
]


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory):
    """A synthetic national dataset (4 municipalities) in an on-disk store, its networkx view
    built (and with it the compact file) as the app and ``kg load`` build it."""
    root = tmp_path_factory.mktemp("carry")
    synth.generate(root / "data", 4, seed=5, density=0.4)
    load(open_store("embedded", path=root / "store"), root / "data")
    store = open_store("embedded", path=root / "store", read_only=True)
    g = to_networkx(store, "nb")
    view = carryfile.open_view(store.opened, VIEW)
    assert view is not None, "building the view writes its compact form"
    # The reference walks the networkx edges: the view handed out walks the file's links
    # (test_the_views_handed_out_walk_the_files_links_and_answer_as_their_edges).
    assert isinstance(propagation.carrying_index(g), carryfile.CompactView)
    propagation.forget(g)
    assert isinstance(propagation.carrying_index(g), propagation.Carrying)
    return store, g, view


def same(a: Answer, b: Answer) -> None:
    assert a.rows == b.rows
    assert [type(r["node"]) for r in a.rows] == [type(r["node"]) for r in b.rows]
    assert a.why == b.why
    assert (a.title, a.facts, a.notes, a.columns) == (b.title, b.facts, b.notes, b.columns)


def test_the_compact_view_answers_as_the_networkx_view_for_every_start(synth_store):
    store, g, view = synth_store
    assert len(view) == g.number_of_nodes() > 500
    reached = deep = 0
    for i, start in enumerate(sorted(g)):
        assert start in view and view.nodes[start] == {
            k: g.nodes[start][k] for k in carryfile.NODE_KEYS
        }
        # every start with all effects; every fifth with each effect, --all, --depth and English
        cases = [(propagation.ALL, False, None, "nb")]
        if i % 5 == 0:
            cases += [(e, a, d, "en") for e in EFFECTS for a, d in ((True, None), (False, 2))]
        for effects, show_all, depth, lang in cases:
            want = A.impact(g, start, effects, show_all, depth, False, lang)
            got = A.impact(view, start, effects, show_all, depth, False, lang)  # type: ignore[arg-type]
            same(got, want)
            reached += len(want.rows)
            deep = max([deep, *(r["depth"] for r in want.rows)])
    # The comparison must be able to fail: the starts reach many nodes, over several hops.
    assert reached > 5000 and deep >= 3


def test_the_views_handed_out_walk_the_files_links_and_answer_as_their_edges(synth_store):
    """The networkx view (and the app's labelled one) of a store generation with a compact file
    is walked by the file's links, one shared view per file (issue 16: a hub's first answer
    in milliseconds); the answers are those of walking the view's own edges, for every start;
    a copy (as stated_only makes) or a view changed and forgotten is walked by its edges."""
    from graph.answers.common import graph_for

    store, g, view = synth_store
    fresh = to_networkx(store, "nb")
    labelled = graph_for(store, "nb")
    shared = propagation.carrying_index(fresh)
    assert isinstance(shared, carryfile.CompactView)
    assert propagation.carrying_index(labelled) is shared, "one file, one view in a process"
    assert isinstance(propagation.carrying_index(fresh.copy()), propagation.Carrying)
    # the labelled view's own edges (labels rank the ties): one copy, walked by its edges (a
    # copy per start made each start build the copy's whole carrying index again)
    plain = labelled.copy()
    assert isinstance(propagation.carrying_index(plain), propagation.Carrying)
    reached = 0
    for i, start in enumerate(sorted(g)):
        for effects in [propagation.ALL] + (EFFECTS if i % 7 == 0 else []):
            want = A.impact(g, start, effects)
            same(A.impact(fresh, start, effects), want)
            first = A.impact(fresh, start, effects, limit=3)
            assert first.rows == want.rows[:3] and first.why == want.why[:3]
            assert first.facts["total"] == len(want.rows)
            reached += len(want.rows)
        got = A.impact(labelled, start)
        own = A.impact(plain, start)
        assert got.rows == own.rows and got.why == own.why
    assert reached > 3000
    # Must not: a view changed after it was handed out is answered from the file once forgotten.
    hub = max(g, key=lambda n: len(A.impact(g, n).rows))
    cut = to_networkx(store, "nb")
    before = A.impact(cut, hub)
    cut.remove_edges_from(list(cut.in_edges(hub, keys=True)) + list(cut.out_edges(hub, keys=True)))
    propagation.forget(cut)
    assert before.rows and A.impact(cut, hub).rows == []


def test_the_file_holds_the_carrying_index_of_every_node(synth_store):
    store, g, view = synth_store
    index = propagation.Carrying(g)  # what the networkx path asks, node by node
    links = 0
    for n in g:
        want = {
            m: [(v, f, propagation._hop(n, v, (m,), f, d)) for v, f, d in found]
            for m, found in index.out(n).items()
        }
        got = {
            m: [(v, f, propagation._hop(n, v, (m,), f, d)) for v, f, d in found]
            for m, found in view.out(n).items()
        }
        assert got == want, n
        links += sum(map(len, want.values()))
    assert links > 1000


@settings(max_examples=100, deadline=None)
@given(edges, st.randoms(use_true_random=False))
def test_the_file_keeps_the_same_link_of_a_pair_whatever_the_edge_order(tmp_path_factory, es, rnd):
    # Parallel links with equal strength, written in any order: the file keeps the hop the
    # index keeps (graph.propagation._tie), as asking node by node does.
    rnd.shuffle(es)
    g = carrying_graph(es)
    path = tmp_path_factory.mktemp("order") / "g.carry"
    carryfile.write(g, path)
    view = carryfile.CompactView(path)
    index = propagation.Carrying(g)
    for n in g:
        for m in propagation.ALL:
            want = [
                (v, f, propagation._hop(n, v, (m,), f, d)) for v, f, d in index.out(n).get(m, ())
            ]
            got = [(v, f, propagation._hop(n, v, (m,), f, d)) for v, f, d in view.out(n).get(m, ())]
            assert got == want, (n, m)


def test_the_relation_words_kept_in_the_file_are_the_ontologys(synth_store, monkeypatch):
    kept = dict(propagation.KNOWN_LABELS)  # what opening the file put there
    assert len(kept) > 10
    monkeypatch.setattr(propagation, "KNOWN_LABELS", {})
    for (p, t, lang), text in kept.items():
        assert propagation.relation_label(p, t, lang) == text, (p, t, lang)
    assert kept[("dependsOn", "depends_on", "nb")] != kept[("dependsOn", "depends_on", "en")]


def test_a_node_outside_the_view_is_not_in_the_compact_view(synth_store):
    store, g, view = synth_store
    assert "https://example.org/nothing" not in view and "https://example.org/nothing" not in g
    with pytest.raises(KeyError):
        view.nodes["https://example.org/nothing"]
    assert view.out("https://example.org/nothing") == {}


def _lookup(store, key: str) -> str | None:
    try:
        return queries.resolve_node(store, key, (), "node")
    except QueryError:
        return None


def test_the_start_is_named_as_resolve_node_names_it_or_not_at_all(synth_store):
    store, g, view = synth_store
    labels = store.query(
        "SELECT ?l (COUNT(DISTINCT ?n) AS ?c) WHERE { ?n skos:prefLabel ?l } GROUP BY ?l"
    ).rows
    shared_label = next(str(lbl) for lbl, c in labels if int(c) > 1)
    keys = [shared_label, "no-such-node", " ", "sdg:11", "11", "https://example.org/x"]
    for n in sorted(g)[::7]:
        d = g.nodes[n]
        keys += [d["code"] or "", (d["code"] or "").lower(), d["label"], d.get("id") or "", n]
    fast = 0
    for key in keys:
        want = _lookup(store, key)
        got = carryfile.resolve(store, view, key)
        assert got is None or got == want, key  # never another node, never one of several
        fast += got is not None
        if want is not None and key in (d.get("code"), d.get("id")):
            assert got == want, key
    assert fast > len(keys) / 2
    # A label two nodes share names neither (resolve_node says so, in words)
    assert (
        _lookup(store, shared_label) is None
        and carryfile.resolve(store, view, shared_label) is None
    )


# -- as a user runs it: the CLI on a store that changes ------------------------------------

PROBE = """
import json, sys
from graph.cli import main
rc = main(sys.argv[1:])
heavy = [m for m in ("networkx", "yaml", "graph.netx", "graph.queries") if m in sys.modules]
sys.stderr.write("\\n" + json.dumps({"rc": rc, "heavy": heavy}) + "\\n")
"""


def impact(store: Path, node: str) -> tuple[list[tuple[str, int, float]], bool]:
    """``kg impact node -f json`` in a new process: (code, depth, strength) of each row, and
    whether the process imported networkx or yaml, the networkx view or the named queries
    (it imports none of them when the compact file answers)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_LANG": "nb"}
    argv = ["impact", node, "-f", "json", "--store", str(store)]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, env=env, capture_output=True, text=True
    )
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe["rc"] == 0, done.stderr
    rows = [(r["code"], r["depth"], r["strength"]) for r in json.loads(done.stdout)["rows"]]
    return rows, bool(probe["heavy"])


def kg_load(data: Path, store: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "graph.cli", "load", str(data), "--store", str(store)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def carry_file(store: Path) -> Path:
    (found,) = (store / "views").glob(f"*.{VIEW}.*{carryfile.SUFFIX}")
    assert found.name.startswith(os.readlink(store / "current") + ".")  # the current generation's
    return found


def test_a_reload_and_an_edit_are_answered_from_the_new_data(tmp_path):
    store = tmp_path / "store"
    kg_load(write_dataset(tmp_path / "v1", MINI), store)
    # P2 depends on P1 (MINI): a change to P1 reaches P2; nothing depends on P2
    assert impact(store, "P1") == ([("P2", 1, 1.0)], False)
    assert impact(store, "p2") == ([], False)  # a code in another case, as resolve_node takes it
    # Loaded again without the dependency: P1 reaches nothing (not the answer kept for v1)
    v2 = {k: v for k, v in MINI.items() if k != "dependencies"}
    kg_load(write_dataset(tmp_path / "v2", v2), store)
    assert impact(store, "P1") == ([], False)
    # An edit (a new generation the load did not make): P1 now depends on P2
    editor = Identity("kari-sub-1", "Kari Nordmann", Role.EDITOR)
    new = {
        "id": "D2",
        "from": "P1",
        "to": "P2",
        "type": "depends_on",
        "evidence": "explicit",
        "rationale": "P1 trenger P2",
        "source": "S1",
    }
    edits.save(
        open_store("embedded", path=store), editor, "dependencies", new, reason="ny", expected=""
    )
    rows, _ = impact(store, "P2")
    assert rows == [("P1", 1, 1.0)]
    carry_file(store)  # the edit's generation has its own file now (written on the way)
    assert impact(store, "P2") == ([("P1", 1, 1.0)], False)


def test_a_missing_cut_or_foreign_file_is_not_used(tmp_path):
    store = tmp_path / "store"
    kg_load(write_dataset(tmp_path / "v1", MINI), store)
    want = impact(store, "P1")
    assert want == ([("P2", 1, 1.0)], False)
    path = carry_file(store)
    good = path.read_bytes()
    path.unlink()  # missing: the networkx view answers and the file is written again
    assert impact(store, "P1") == (want[0], True)
    assert carry_file(store).read_bytes() == good
    path.write_bytes(good[: len(good) // 2])  # cut short
    assert impact(store, "P1") == (want[0], True)
    path.write_bytes(b"not a carrying file" + good)  # foreign
    assert impact(store, "P1") == (want[0], True)
    # A file of another generation under this one's name is the one thing it cannot see;
    # one made by other code has another name and is never read.
    other = path.with_name(path.name.replace(carryfile.code_hash(), "0000000000"))
    path.rename(other)
    assert impact(store, "P1") == (want[0], True)


def test_the_view_of_a_store_without_generations_has_no_compact_file():
    store = open_store("memory")
    g = to_networkx(store)
    assert g.number_of_nodes() == 0  # built, and nothing written (nowhere to write it)


def test_the_node_column_keeps_its_type(synth_store):
    store, g, view = synth_store
    start = next(n for n in sorted(g) if view.out(n))
    assert type(start) is IRI and all(type(n) is IRI for n in list(view)[:50])
