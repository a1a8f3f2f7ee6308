"""The kept view lines are written to a file while a load streams, not held in a list.

A load writes the lines the app's views read (graph/viewlines.py) to a temporary file in the
store's views folder as the chunks pass, then puts it beside the new generation. These tests
check the file against the store itself (parsed by pyoxigraph, not by our code), that no
temporary file is left behind, and that a load that fails part way leaves none either.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import MINI, write_dataset

from graph import viewlines
from graph.embedded import EmbeddedStore
from graph.load import load

TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _wanted(q: ox.Quad) -> bool:
    """What the views read, stated independently of viewlines.keep(): kg classes, IRI-valued
    triples and the literals of the predicates the views read."""
    if q.predicate.value == TYPE:
        return q.object.value.startswith(viewlines.KG)
    return isinstance(q.object, ox.NamedNode) or q.predicate.value in viewlines.LITERALS


def test_the_written_lines_are_what_the_store_holds(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    rep = load(store, write_dataset(tmp_path / "mini", MINI))
    assert rep.view_lines is not None and rep.view_lines.exists(), rep.view_note
    views = tmp_path / "store" / "views"
    # the temporary file was moved, not copied: nothing of the load is left behind
    assert not [p.name for p in views.iterdir() if "loading" in p.name]
    written = {
        (q.subject, q.predicate, q.object, q.graph_name)
        for q in ox.parse(path=str(rep.view_lines), format=ox.RdfFormat.N_QUADS)
    }
    expected = {
        (q.subject, q.predicate, q.object, q.graph_name) for q in store.quads() if _wanted(q)
    }
    assert expected, "the mini dataset has lines the views read"
    assert written == expected
    # and must NOT hold what the views never read (a literal of another predicate)
    assert not any(
        isinstance(o, ox.Literal) and p.value not in viewlines.LITERALS for _, p, o, _ in written
    )


def test_a_load_that_fails_part_way_leaves_no_file(tmp_path: Path) -> None:
    sink = tmp_path / "views" / "viewlines-loading.1.tmp"
    c = viewlines.Collector([], sink)
    line = "<https://example.org/a> <https://example.org/p> <https://example.org/b> <https://example.org/g> .\n"

    def chunks():  # the store's write fails after the first chunk
        yield line.encode()
        raise OSError("disk full")

    with pytest.raises(OSError):
        for _ in c.tee(chunks()):
            pass
    assert sink.exists()  # written as the lines passed
    c.abort()
    assert not sink.exists()
    assert c.parsed.edges  # the views had read the line that passed


def test_without_a_folder_nothing_is_written(tmp_path: Path) -> None:
    store = EmbeddedStore(None)  # in memory: no generations, no file
    rep = load(store, write_dataset(tmp_path / "mini", MINI))
    assert rep.view_lines is None
    assert viewlines.sink(store) is None


def test_a_title_with_unicode_line_separators_loads(tmp_path: Path) -> None:
    # N-Quads leaves U+2028, U+0085 and \x1c unescaped inside a literal; str.splitlines()
    # splits at them, which made kg load fail with a traceback (ValueError in the view lines).
    from graph import netx
    from graph.answers.viewrows import rows_for

    title = "Første\u2028prosjekt\x1cmed\x85skilletegn"
    tables = {k: [dict(r) for r in v] for k, v in MINI.items()}
    tables["projects"][0]["title"] = title
    store = EmbeddedStore(tmp_path / "store")
    rep = load(store, write_dataset(tmp_path / "mini", tables))
    assert rep.view_lines is not None, rep.view_note
    p1 = "https://example.org/mini/project/P1"
    rows, why = rows_for(store)  # from the file written by the load
    assert rows is not None, why
    assert netx._build(rows, "nb", False).nodes[p1]["label"] == title
    # a second dataset: the first one's lines are read back from the file and merged
    load(store, write_dataset(tmp_path / "mini2", MINI, name="mini2"))
    rows, why = rows_for(store)
    assert rows is not None, why
    assert netx._build(rows, "nb", False).nodes[p1]["label"] == title
    assert netx._build(store, "nb", False).nodes[p1]["label"] == title  # as the store has it
