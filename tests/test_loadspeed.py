"""What makes ``kg load`` cheaper must not change what it does (issue 16).

- The store skips its own IRI checks only when the load vouches for every IRI it writes
  (graph.load.iris_valid): a base that is not an IRI must still be refused, nothing written.
- The status rows' query runs beside the networkx view (graph.answers.overview.prepare): once,
  not twice, and its rows are the ones the app's overview then shows.
- The load hands the app's views the lines they read as terms, split where they were written
  (loaders.triples.TermSink): exactly the lines graph.viewlines.keep() picks from the text, in
  the same order, and the text the store gets is the same with or without them.
- The load's status queries get time in step with the graph (a fixed 60 s stopped a 10M load's
  views); the carry file's label forms come from the lines and are the store's; the size the
  writer remembers per generation is the one a reader counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI, NYE_ASKER, write_dataset

from graph import viewlines
from graph.answers import overview
from graph.answers.viewrows import rows_for
from graph.embedded import EmbeddedStore
from graph.load import iris_valid, load
from graph.store import LimitExceeded
from loaders.dataset import read_dataset
from loaders.errors import LoadError
from loaders.triples import dataset_nquads


def test_only_valid_bases_and_graphs_let_the_store_skip_its_checks() -> None:
    assert iris_valid("https://example.org/a/", {"https://example.org/a/graph/p.csv"})
    # a space, a bracket or no scheme at all is not an IRI: the store's parser must check
    assert not iris_valid("https://exa mple.org/a/", set())
    assert not iris_valid("https://example.org/a/", {"https://example.org/a/graph/<x>"})
    assert not iris_valid("no-scheme/", set())


class Recording(EmbeddedStore):
    """An on-disk store that remembers whether a load asked it to skip its IRI checks."""

    lenient: list[bool] = []

    def replace_nquads(self, graphs, chunks, lenient=False, **more):  # type: ignore[no-untyped-def]
        self.lenient.append(lenient)
        return super().replace_nquads(graphs, chunks, lenient, **more)


def test_a_load_of_valid_iris_skips_the_check_and_gives_the_same_graph(tmp_path: Path) -> None:
    fast = Recording(tmp_path / "fast")
    Recording.lenient = []
    load(fast, NYE_ASKER)
    assert Recording.lenient == [True]
    checked = EmbeddedStore(tmp_path / "checked")  # the store's parser checks every IRI
    # what the lenient load wrote parses under the strict checks too
    checked.replace_nquads(set(), [fast.dump()], lenient=False)
    assert checked.graphs() == fast.graphs()
    assert len(checked) == len(fast)


def test_a_base_that_is_not_an_iri_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "bad", MINI)
    (data / "manifest.yaml").write_text(
        "name: mini\nbase: https://example.org/ bad base/\n", encoding="utf-8"
    )
    store = Recording(tmp_path / "store")
    Recording.lenient = []
    with pytest.raises(LoadError, match="base"):  # the manifest's check names it, before the store
        load(store, data)
    assert True not in Recording.lenient  # never loaded without the store's checks
    assert store.graphs() == [] and store.generation is None  # all or nothing


def test_the_status_rows_are_asked_once_while_the_view_is_built(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load(store, NYE_ASKER)
    rows, why = rows_for(store)
    assert rows is not None, why
    overview.prepare(rows, "nb")
    # the early query and status() share one run: the second reads the rows kept beside the
    # generation instead of asking the store again
    assert rows.delegated.count("status_overview") == 1, rows.delegated
    fresh = EmbeddedStore(tmp_path / "store", read_only=True)  # a reader after the load
    g = overview.graph_for(fresh, "nb")
    assert overview.status(fresh, g, "nb") == overview.status(store, g, "nb")
    assert overview.status(fresh, g, "nb")  # nye Asker has status reports: not an empty table


class SlowStatus(EmbeddedStore):
    """An on-disk store whose status query passes its time limit (as at 8.6M on a busy machine)."""

    asked = 0

    def query(self, text, params=None, limits=None, name=None):  # type: ignore[no-untyped-def]
        if name == "status_overview":
            SlowStatus.asked += 1
            raise LimitExceeded("the query ran longer than the time limit", "for lenge", name)
        return super().query(text, params, limits, name)


def test_a_status_query_past_its_limit_is_reported_not_run_again(tmp_path: Path) -> None:
    load(EmbeddedStore(tmp_path / "store"), NYE_ASKER)
    store = SlowStatus(tmp_path / "store")
    rows, why = rows_for(store)
    assert rows is not None, why
    SlowStatus.asked = 0
    with pytest.raises(LimitExceeded):
        overview.prepare(rows, "nb")
    assert SlowStatus.asked == 1  # not a second minute spent on a query that already failed


class Big(EmbeddedStore):
    """An on-disk store that says it holds ten million triples and remembers the limits its
    whole-graph status queries were given."""

    triples = 10_000_000
    given: dict[str, float] = {}

    def __len__(self) -> int:
        return self.triples

    def query(self, text, params=None, limits=None, name=None):  # type: ignore[no-untyped-def]
        if name in ("status_overview", "overview.reports"):
            Big.given[name] = limits.seconds
        return super().query(text, params, limits, name)


@pytest.mark.parametrize(("triples", "seconds"), [(10_000_000, 600.0), (50_000, 60.0)])
def test_the_load_gives_the_status_queries_time_in_step_with_the_graph(
    tmp_path: Path, triples: int, seconds: float
) -> None:
    # A fixed 60 s stopped a 10M load's views at 8.6M triples (issue 16): ten times the triples
    # get ten times the time. A small graph keeps the page's 60 s (not less, not unlimited).
    load(EmbeddedStore(tmp_path / "store"), NYE_ASKER)
    store = Big(tmp_path / "store")
    Big.triples, Big.given = triples, {}
    rows, why = rows_for(store)
    assert rows is not None, why
    overview.prepare(rows, "nb")
    # the reports behind the rows come from the kept lines: only the named query is asked
    assert Big.given == {"status_overview": seconds}
    assert overview.status(store, overview.graph_for(store, "nb"), "nb")  # the rows were kept


class Taken:
    """A TermSink that writes back, as lines, what it is given."""

    literals = frozenset(f"<{p}>" for p in viewlines.LITERALS)

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.as_terms = 0

    def rows(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        self.as_terms += len(rows)
        for s, p, o, g, line in rows:
            assert line == f"{s} {p} {o} {g} .\n"  # the terms are the line's
            self.lines.append(line[:-1])

    def text(self, chunk: bytes) -> None:
        self.lines += [ln for ln in chunk.decode().split("\n") if ln and viewlines.keep(ln)]


AWKWARD = {  # literals N-Quads escapes or a naive split would cut: quotes, newline, U+2028, spaces
    **MINI,
    "projects": [
        {**MINI["projects"][0], "title": 'Første "prosjekt" \\ med\nlinjeskift og \u2028 skille'},
        {**MINI["projects"][1], "alt_titles": "Andre | Det andre  prosjektet"},
    ],
}


@pytest.mark.parametrize("which", ["nye-asker", "awkward"])
def test_the_views_get_the_lines_they_read_as_terms_and_the_store_the_same_text(
    tmp_path: Path, which: str
) -> None:
    path = NYE_ASKER if which == "nye-asker" else write_dataset(tmp_path / "awkward", AWKWARD)
    ds = read_dataset(path)  # one read: the manifest's quads say when it was read
    plain = b"".join(ds.nquads(100))  # small chunks: more than one
    taken = Taken()
    assert b"".join(ds.nquads(100, sink=taken)) == plain
    wanted = [ln for ln in plain.decode().split("\n") if ln and viewlines.keep(ln)]
    assert taken.lines == wanted
    # the records' lines came split, not as text (the manifest's and the SDGs' as text)
    records = b"".join(dataset_nquads(ds.records, ds.manifest.base, ds.manifest.lang)).decode()
    assert taken.as_terms == len([ln for ln in records.split("\n") if ln and viewlines.keep(ln)])
    assert taken.as_terms > 0
    dropped = [ln for ln in plain.decode().split("\n") if ln and not viewlines.keep(ln)]
    assert dropped and not set(dropped) & set(taken.lines)  # sourceRow etc. are not taken


SKOS_LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
FOAF_NAME = "<http://xmlns.com/foaf/0.1/name>"


@pytest.mark.parametrize(
    "labels",
    [
        [
            '"Asker"@NB-no',
            '"Asker"@en',
            '"Asker"',
            '"Asker"^^<http://www.w3.org/2001/XMLSchema#string>',
        ],
        ['"Asker"@nb', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'],  # a number: None
        ['"Asker"@nb', '"x"^^<http://example.org/own-type>'],
    ],
)
def test_the_label_forms_of_the_lines_are_the_stores(tmp_path: Path, labels: list[str]) -> None:
    # the one-shot lookup (graph/carryfile.py) tries a name in each form the store's labels
    # have; the load now reads them from its lines instead of every label out of the store
    from graph import carryfile

    lines = [
        f"<http://example.org/n{i}> {SKOS_LABEL if i % 2 else FOAF_NAME} {o} <http://example.org/g> ."
        for i, o in enumerate(labels)
    ] + [
        '<http://example.org/n9> <http://purl.org/dc/terms/title> "Tittel"@da <http://example.org/g> .'
    ]
    store = EmbeddedStore(tmp_path / "store")
    store.replace_nquads(set(), ["\n".join(lines).encode() + b"\n"])
    rows, why = rows_for(store, list(lines))
    assert rows is not None, why
    from_store = carryfile.label_forms(store)
    assert carryfile.label_forms(rows) == from_store
    assert ["da", ""] not in (from_store or [])  # a title is not a label
    if len(labels) == 4:
        assert from_store == [
            ["", "http://www.w3.org/2001/XMLSchema#string"],
            ["en", ""],
            ["nb-no", ""],
        ]
    else:
        assert from_store is None


def test_a_loaded_dataset_gets_the_label_forms_the_store_has(tmp_path: Path) -> None:
    from graph import carryfile

    store = EmbeddedStore(tmp_path / "store")
    load(store, NYE_ASKER)
    rows, why = rows_for(store)
    assert rows is not None, why
    assert carryfile.label_forms(rows) == carryfile.label_forms(store) == [["en", ""], ["nb", ""]]


def test_the_size_a_load_remembers_is_the_stores_after_each_load(tmp_path: Path) -> None:
    # the writer remembers each generation's size (counting again took a second at 1M); a
    # reader counts: they must agree after a load, a smaller reload and its compaction
    store = EmbeddedStore(tmp_path / "store")
    load(store, NYE_ASKER)
    load(store, write_dataset(tmp_path / "mini", MINI))
    first = len(store)
    assert first == len(EmbeddedStore(tmp_path / "store", read_only=True))
    smaller = {k: v for k, v in MINI.items() if k != "dependencies"}
    load(store, write_dataset(tmp_path / "mini2", smaller))  # replaces mini's graphs
    assert len(store) == len(EmbeddedStore(tmp_path / "store", read_only=True)) < first


def test_kg_load_as_a_command_says_what_it_did_and_exits_with_its_code(tmp_path: Path) -> None:
    # python3 -m graph.cli load leaves without freeing what the load built (os._exit): its
    # sentence, its warnings and its errors must still reach the pipes, with the exit code
    import subprocess
    import sys

    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "graph.cli", "--lang", "en", "load"]
    done = subprocess.run(
        [*cmd, str(NYE_ASKER), "--store", str(store)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Loaded 'nye-asker': 1215 records"), done.stdout
    assert netx_peek_labelled(store)
    missing = subprocess.run(
        [*cmd, str(tmp_path / "nowhere"), "--store", str(store)], capture_output=True, text=True
    )
    assert missing.returncode == 1 and "Load refused, nothing was changed" in missing.stderr


def netx_peek_labelled(store: Path) -> bool:
    """The load's views were written before the process left (the children waited for)."""
    from graph import netx

    return netx.peek(EmbeddedStore(store, read_only=True), "labelled-en") is not None
