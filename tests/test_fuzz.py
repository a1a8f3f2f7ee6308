"""A bounded fuzzer for the CSV, XLSX, manifest and Turtle/TriG paths (issue 15, item 9).

Whatever the bytes, a load either succeeds or raises :class:`LoadError` (exit 1 in the CLI);
any other exception would be a traceback and exit 2. A refused load leaves a store that
already holds a dataset exactly as it was. Each path runs a few dozen examples (deadline off,
no example database) so the whole file stays well under a minute.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.load import load
from graph.store import open_store
from loaders.errors import LoadError

FUZZ = settings(
    max_examples=35,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
MANIFEST = b"name: fz\nbase: https://example.org/fz/\n"
SOURCES = b"id;title;doc_type;source\nS1;Plan;slides;S1\n"
HELD = b'<https://example.org/a> <https://example.org/b> "held" .\n'

# Pieces a hostile or clumsy file is made of: separators, quotes, BOMs, formulas, Norwegian
# letters in two encodings, NUL, CR, YAML anchors and aliases, Turtle tokens.
CSV_BITS = st.sampled_from(
    [
        b"id;code;title;type;source\n",
        b"P1;P1;T;project;S1\n",
        b";",
        b",",
        b"\t",
        b'"',
        b'""',
        b"\n",
        b"\r\n",
        b"\r",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\x00",
        "ø".encode(),
        "ø".encode("cp1252"),
        b"\x81",
        b"=cmd|' /C calc'!A0",
        b"-1",
        b"project",
        b"S1",
        b"P2",
        b" ",
    ]
)
YAML_BITS = st.sampled_from(
    [
        b"name: fz\n",
        b"base: https://example.org/fz/\n",
        b"a: &a [x, x]\n",
        b"b: [*a, *a, *a]\n",
        b"- ",
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b"\n",
        b"  ",
        b"!!python/object:os.system ls\n",
        b"languages: [nb, 1]\n",
        b"sdg: no\n",
        b"\t",
        "ø".encode("cp1252"),
        b"\xef\xbb\xbf",
        b"&x ",
        b"*x ",
        b"? ",
    ]
)
TTL_BITS = st.sampled_from(
    [
        b"@prefix ex: <https://example.org/> .\n",
        b"ex:a ",
        b"ex:b ",
        b"<https://e/x> ",
        b'"lit" ',
        b"1 ",
        b". ",
        b"; ",
        b", ",
        b"GRAPH ",
        b"{ ",
        b"} ",
        b"_:b ",
        b"<https://example.org/other/graph/x> ",
        b"@base <https://e/> .\n",
        b"\n",
        b"<not an iri> ",
        b'"""',
        b"^^",
        b"@en ",
    ]
)


def _held_store(tmp: Path):
    store = open_store("memory")
    (tmp / "held.nt").write_bytes(HELD)
    load(store, tmp / "held.nt")
    return store


def _try(path_of) -> None:
    """Load what ``path_of(tmp)`` builds into a store holding a dataset; check the outcome."""
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        store = _held_store(tmp)
        before = sorted(str(q) for q in store.quads())
        path = path_of(tmp)
        try:
            load(store, path)
        except LoadError as e:
            assert e.text("en") and e.text("nb")  # a message in both languages, never empty
            assert sorted(str(q) for q in store.quads()) == before


def _folder(tmp: Path, projects: bytes, manifest: bytes = MANIFEST) -> Path:
    d = tmp / "fz"
    d.mkdir()
    (d / "manifest.yaml").write_bytes(manifest)
    (d / "sources.csv").write_bytes(SOURCES)
    (d / "projects.csv").write_bytes(projects)
    return d


@FUZZ
@given(st.lists(CSV_BITS, max_size=40).map(b"".join) | st.binary(max_size=200))
def test_csv_files(data: bytes) -> None:
    _try(lambda tmp: _folder(tmp, data))


@FUZZ
@given(st.lists(YAML_BITS, max_size=30).map(b"".join) | st.binary(max_size=120))
def test_manifests(data: bytes) -> None:
    _try(lambda tmp: _folder(tmp, b"id;code;title;type;source\nP1;P1;T;project;S1\n", data))


@FUZZ
@given(st.lists(YAML_BITS, max_size=30).map(lambda b: b"projects:\n" + b"".join(b)))
def test_yaml_datasets(data: bytes) -> None:
    def build(tmp: Path) -> Path:
        (tmp / "fz.yaml").write_bytes(data)
        return tmp / "fz.yaml"

    _try(build)


@FUZZ
@given(
    st.lists(TTL_BITS, max_size=30).map(b"".join), st.sampled_from(["fz.ttl", "fz.trig", "fz.nq"])
)
def test_turtle_and_quads(data: bytes, name: str) -> None:
    def build(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    _try(build)


CELL = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.sampled_from(
        [
            "P1",
            "project",
            "S1",
            "=1+1",
            "@SUM(1)",
            "",
            "ø",
            "2017-13-01",
            "T",
            "id",
            "title",
            "source",
        ]
    ),
)


@FUZZ
@given(
    st.lists(st.lists(CELL, max_size=6), max_size=5),
    st.sampled_from(["projects", "x", "manifest"]),
    st.integers(0, 3),
)
def test_xlsx_workbooks(rows: list[list], sheet: str, damage: int) -> None:
    import openpyxl

    def build(tmp: Path) -> Path:
        book = openpyxl.Workbook()
        ws = book.active
        ws.title = sheet
        ws.append(["id", "code", "title", "type", "source"])
        for r in rows:
            ws.append(r)
        buf = io.BytesIO()
        book.save(buf)
        data = buf.getvalue()
        if damage == 1:
            data = data[: len(data) // 2]  # a truncated download
        elif damage == 2:
            data = data[:100] + b"\x00" * 50 + data[150:]
        (tmp / "fz.xlsx").write_bytes(data)
        return tmp / "fz.xlsx"

    _try(build)
