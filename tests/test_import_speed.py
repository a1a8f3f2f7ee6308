"""Issue 14, speed: the faster paths of an import give exactly what the plain paths give.

No test here measures time (bench/import_bench.py does). Each one holds a fast path against
the slower, plainer code it replaces:

- the XLSX row scanner (regular expressions) against the XML parser, on sheets written the
  ways Excel, SharePoint/PP365 and openpyxl write them, and on forms it must hand back to the
  parser (a prefixed namespace, rich inline text, comments, CDATA);
- an import into an on-disk store (the N-Quads written once to the snapshot and bulk-loaded
  from it) against the same import into an in-memory store (streamed as before).

Expected cell texts are written by hand from the XML each test builds.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import xlsx
from loaders.spreadsheet import _cell

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = ["Tittel", "Status tid", "På plan"]


def sheet(data: str, head: str = "", root: str = f'<worksheet xmlns="{MAIN}">') -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + root
        + head
        + "<sheetData>"
        + data
        + '</sheetData><pageMargins left="0.7"/><rowBreaks count="0"/></worksheet>'
    ).encode()


def both(xml: bytes, dates: set[int] | None = None) -> tuple[list, list]:
    """(scanner rows, XML parser rows) of one sheet part."""
    args = (STRINGS, dates or set(), None, _cell)
    return list(xlsx._scan(io.BytesIO(xml), *args)), list(xlsx._rows(io.BytesIO(xml), *args))


EXCEL = (  # shared strings, styles, spans, an x14ac attribute, a formula, an empty row
    '<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c>'
    '<c r="C1" s="2" t="s"><v>1</v></c></row>'
    '<row r="2" spans="1:3"/>'
    '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>45292</v></c>'
    '<c r="C3"><f>SUM(B3:B3)</f><v>45292.5</v></c></row>'
    '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="e"><v>#N/A</v></c>'
    '<c r="C4" t="str"><f>"a"&amp;"b"</f><v>a&amp;b</v></c></row>'
)


def test_the_scanner_reads_an_excel_sheet_as_the_parser_does():
    root = (
        f'<worksheet xmlns="{MAIN}" xmlns:x14ac="http://schemas.microsoft.com/office/'
        'spreadsheetml/2009/9/ac">'
    )
    fast, plain = both(sheet(EXCEL, '<dimension ref="A1:C4"/>', root), dates={1})
    assert fast == plain
    assert fast == [
        (1, ["Tittel", "", "Status tid"]),
        (2, []),
        (3, ["På plan", "2024-01-01", "45292.5"]),
        (4, ["Ja", "#N/A", "a&b"]),
    ]


def test_the_scanner_reads_inline_strings_with_references_and_line_ends():
    data = (
        '<row r="5"><c r="B5" t="inlineStr"><is><t xml:space="preserve"> A &lt;b&gt; &#229;'
        '&#xE6; &quot;c&apos; </t></is></c><c r="D5" t="inlineStr"><is><t>linje 1\r\nlinje 2\r'
        "linje 3&#13;</t></is></c><c r='E5' t='inlineStr'><is><t/></is></c>"
        '<c t="n" r="F5"><v>7</v></c><c s="0" r="G5" t="inlineStr"><is><t>x</t></is></c></row>'
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
    )
    fast, plain = both(sheet(data))
    assert fast == plain
    assert fast == [
        (5, ["", "A <b> åæ \"c'", "", "linje 1\nlinje 2\nlinje 3", "", "7", "x"]),
        (6, ["1", "2"]),
    ]


@pytest.mark.parametrize(
    "xml",
    [
        # the main namespace under a prefix
        (
            f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">'
            "<x:is><x:t>Tittel</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>"
        ).encode(),
        # rich text in an inline string, a phonetic guide
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><r><t>Ti</t></r><r><t>ttel</t></r></is></c></row>'
        ),
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Tittel</t><rPh><t>x</t></rPh></is></c></row>'
        ),
        # a comment, CDATA, a document type
        sheet('<row r="1"><!-- x --><c r="A1" t="inlineStr"><is><t>Tittel</t></is></c></row>'),
        sheet('<row r="1"><c r="A1" t="str"><v><![CDATA[Tittel]]></v></c></row>'),
        (
            f'<!DOCTYPE worksheet [<!ENTITY t "Tittel">]><worksheet xmlns="{MAIN}"><sheetData>'
            '<row r="1"><c r="A1" t="str"><v>&t;</v></c></row></sheetData></worksheet>'
        ).encode(),
        # an encoding other than UTF-8
        sheet('<row r="1"><c r="A1" t="str"><v>Tittel</v></c></row>').replace(
            b"UTF-8", b"ISO-8859-1"
        ),
    ],
)
def test_forms_the_scanner_does_not_read_go_to_the_parser(xml):
    with pytest.raises(xlsx._Unusual):
        list(xlsx._scan(io.BytesIO(xml), STRINGS, set(), None, _cell))


def test_a_workbook_with_an_unusual_sheet_is_read_by_the_parser(tmp_path):
    path = tmp_path / "prefiks.xlsx"
    rich = sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>Tit</t></r><r><t>tel</t></r></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Fase</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Prosjekt A</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>Konsept</t></is></c></row>'
    )
    write_book(path, rich)
    assert xlsx.sheets(path, _cell) == [
        ("Ark1", [(1, ["Tittel", "Fase"]), (2, ["Prosjekt A", "Konsept"])])
    ]


def write_book(path: Path, part: bytes) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships"><sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", part)


def test_rows_across_the_scanners_chunks_are_whole(monkeypatch):
    # 500 rows read 64 bytes at a time: every row and every «</sheetData>» is cut somewhere.
    monkeypatch.setattr(xlsx, "CHUNK", 64)
    data = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Prosjekt {i} – ø</t></is></c>'
        f'<c r="C{i}"><v>{i}</v></c></row>'
        for i in range(1, 501)
    )
    fast, plain = both(sheet(data))
    assert fast == plain
    assert len(fast) == 500 and fast[499] == (500, ["Prosjekt 500 – ø", "", "500"])


TEXT = st.text(
    st.characters(
        codec="utf-8",
        exclude_categories=("Cs",),
        exclude_characters="\x00\ufffe\uffff",
    ).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20),
    max_size=12,
)


def xml_text(text: str, refs: bool) -> str:
    out = escape(text)
    if refs:  # the same text with numeric references, as some writers do
        out = "".join(f"&#{ord(c)};" if c in "æøå\r" else c for c in out)
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.integers(0, 30),
                st.sampled_from(["inline", "str", "s", "n", "b", "none"]),
                TEXT,
                st.booleans(),
            ),
            max_size=6,
        ),
        max_size=6,
    )
)
def test_the_scanner_agrees_with_the_parser_on_any_cells(rows):
    parts = []
    for i, cells in enumerate(rows, start=1):
        col = 0
        out = []
        for gap, kind, text, refs in cells:
            col += gap
            ref = f"{xlsx_col(col)}{i}"
            col += 1
            if kind == "inline":
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{xml_text(text, refs)}</t></is></c>')
            elif kind == "str":
                out.append(f'<c r="{ref}" t="str"><v>{xml_text(text, refs)}</v></c>')
            elif kind == "s":
                out.append(f'<c r="{ref}" t="s"><v>{len(text) % 3}</v></c>')
            elif kind == "n":
                out.append(f'<c r="{ref}" s="0"><v>{len(text)}{".5" if refs else ""}</v></c>')
            elif kind == "b":
                out.append(f'<c r="{ref}" t="b"><v>{int(refs)}</v></c>')
            else:
                out.append(f'<c r="{ref}"/>')
        parts.append(f'<row r="{i}">{"".join(out)}</row>')
    fast, plain = both(sheet("".join(parts)))
    assert fast == plain


def xlsx_col(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# -- the store load: an on-disk import stores what an in-memory import stores -------------------

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "importers"))
import vestby  # noqa: E402

from graph import embedded, imports  # noqa: E402
from graph.imports import import_file  # noqa: E402
from graph.load import iris_valid  # noqa: E402
from graph.store import open_store  # noqa: E402
from loaders.dataset import Dataset  # noqa: E402

MODIFIED = "<http://purl.org/dc/terms/modified>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def dataset_quads(store) -> set[tuple[str, str, str, str]]:
    """The Nye Vestby quads as text, without the load time (dct:modified)."""
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in store.quads()
        if str(q.graph_name).startswith("<" + vestby.BASE) and str(q.predicate) != MODIFIED
    }


def workspace(folder: Path) -> dict[str, object]:
    """The workspace CSV files and the import log, parsed."""
    ws = folder / "kg" / "imports" / "nye-vestby"
    out: dict[str, object] = {p.name: p.read_text(encoding="utf-8") for p in ws.glob("*.csv")}
    for p in (ws / ".history").glob("*.json"):
        out[p.name] = json.loads(p.read_text(encoding="utf-8"))
    return out


def test_the_lean_store_load_stores_what_the_plain_one_stores(tmp_path, monkeypatch):
    # The lean path drops the records as their lines are written, frees the rows' origins after
    # the fold and lets the store skip the IRI checks. None of it may change the store, the
    # snapshots or the workspace, also for imports that read the log (February after January,
    # January again late).
    files = [
        (vestby.portfolio(tmp_path, 1), "pp"),
        (vestby.register(tmp_path, 1), "register"),
        (vestby.portfolio(tmp_path, 2), "pp"),
        (vestby.register(tmp_path, 2), "register"),
        (vestby.portfolio(tmp_path, 1), "pp"),
    ]
    lean = open_store("embedded", path=tmp_path / "lean" / "kg" / "store")
    plain = open_store("embedded", path=tmp_path / "plain" / "kg" / "store")
    nquads = Dataset.nquads
    for path, importer in files:
        a = import_file(lean, path, importer, "Nye Vestby")
        with monkeypatch.context() as m:  # the plain path: records kept, origins kept, checks on
            m.setattr(imports, "iris_valid", lambda base, graphs: False)
            m.setattr(imports, "_free_origins", lambda log: None)
            m.setattr(Dataset, "nquads", lambda ds, lines=100_000, release=False: nquads(ds, lines))
            b = import_file(plain, path, importer, "Nye Vestby")
        assert (a.records, a.quads, a.counts) == (b.records, b.quads, b.counts)
        assert dataset_quads(lean) == dataset_quads(plain)
        assert workspace(tmp_path / "lean") == workspace(tmp_path / "plain")
    stored = dataset_quads(lean)
    # January 2024 has 6 projects, February adds a 7th (tests/fixtures/importers/vestby.py)
    kinds = [o for s, p, o, _ in stored if p == RDF_TYPE]
    assert kinds.count("<https://w3id.org/kommunegraf/ontology#Project>") == 7
    for day in (vestby.JAN, vestby.FEB):  # the snapshots are the same too
        lean_snap, plain_snap = (
            tmp_path / side / "kg" / "snapshots" / "nye-vestby" / f"{day}.nq"
            for side in ("lean", "plain")
        )
        assert snapshot(lean_snap) == snapshot(plain_snap)
    # and the newest one holds exactly what the store holds
    assert {q for q in snapshot(lean_snap) if q[3].startswith("<" + vestby.BASE)} == stored


def snapshot(path: Path) -> set[tuple[str, ...]]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        s, p, rest = line.split(" ", 2)
        o, g = rest.removesuffix(" .").rsplit(" ", 1)
        if p != MODIFIED:
            out.add((s, p, o, g))
    return out


def test_only_valid_iris_are_loaded_without_checks():
    base = "https://data.kommunegraf.no/nye-vestby/"
    assert iris_valid(base, [base + "graph/a.xlsx/Ark1"])
    assert not iris_valid("https://data.kommunegraf.no/nye vestby/", [])  # a space
    assert not iris_valid(base, [base + "graph/{a}"])  # a graph that is no IRI


def _state(folder: Path) -> tuple[object, ...]:
    """What an import may change: the dataset in the store, the workspace, the snapshots."""
    store = open_store("embedded", path=folder / "kg" / "store")
    snaps = folder / "kg" / "snapshots" / "nye-vestby"
    return (
        dataset_quads(store),
        workspace(folder),
        {p.name: p.read_bytes() for p in snaps.glob("*")},
        sorted(p.name for p in (folder / "kg" / "imports").iterdir()),  # no staged folder left
    )


@pytest.mark.parametrize("fails", ["log", "store", "compaction"])
def test_an_import_that_fails_while_the_store_loads_changes_nothing(tmp_path, monkeypatch, fails):
    # The workspace and the import log are staged while the new generation compacts, before the
    # store swaps the dataset (graph.imports._apply). A failure on any side (the log, the load,
    # the compaction) must leave the store, the workspace and the snapshots exactly as the January import left them; February must NOT
    # show up anywhere, and no half-written staging folder may stay behind.
    store = open_store("embedded", path=tmp_path / "kg" / "store")
    import_file(store, vestby.portfolio(tmp_path, 1), "pp", "Nye Vestby")
    before = _state(tmp_path)
    feb = vestby.portfolio(tmp_path, 2)
    with monkeypatch.context() as m:
        if fails == "log":

            def broken_log(staged: Path, batches: list) -> None:
                (staged / ".history").mkdir()
                (staged / ".history" / "half.json").write_text("{", encoding="utf-8")
                raise OSError("disk full")

            m.setattr(imports.history, "write_log", broken_log)
        elif fails == "compaction":  # the new generation is compacted before the swap

            def broken_optimize(writer: object) -> None:
                raise OSError("disk full")

            m.setattr(embedded, "_optimize", broken_optimize)
        else:
            nquads = Dataset.nquads

            def broken_nquads(ds, lines=100_000, release=False):
                yield next(iter(nquads(ds, 5, release)))  # one chunk reaches the store
                raise OSError("disk full")

            m.setattr(Dataset, "nquads", broken_nquads)
        with pytest.raises(OSError, match="disk full"):
            import_file(store, feb, "pp", "Nye Vestby")
    assert _state(tmp_path) == before
    assert not (tmp_path / "kg" / "snapshots" / "nye-vestby" / f"{vestby.FEB}.nq").exists()
    # and the same import then succeeds: February's 7th project arrives (vestby.py)
    import_file(store, feb, "pp", "Nye Vestby")
    kinds = [o for s, p, o, _ in dataset_quads(store) if p == RDF_TYPE]
    assert kinds.count("<https://w3id.org/kommunegraf/ontology#Project>") == 7


def test_an_import_compacts_the_new_generation_once_before_the_swap(tmp_path, optimize_calls):
    # The generation an import writes is compacted before the store switches to it, instead of
    # waiting for RocksDB's own compaction and then compacting a copy (a second generation) of
    # it: each import makes exactly one generation, compacted exactly once, and it holds the
    # import (January 2024: 6 projects, tests/fixtures/importers/vestby.py).
    store = open_store("embedded", path=tmp_path / "kg" / "store")
    import_file(store, vestby.portfolio(tmp_path, 1), "pp", "Nye Vestby")
    assert optimize_calls == ["optimize"]
    assert store.opened is not None and store.opened.name == "gen-1"
    assert not (tmp_path / "kg" / "store" / "gen-2").exists()  # no compacted copy
    kinds = [o for s, p, o, _ in dataset_quads(store) if p == RDF_TYPE]
    assert kinds.count("<https://w3id.org/kommunegraf/ontology#Project>") == 6
    import_file(store, vestby.portfolio(tmp_path, 2), "pp", "Nye Vestby")
    assert optimize_calls == ["optimize"] * 2
    assert store.opened.name == "gen-2"
    kinds = [
        o for s, p, o, _ in dataset_quads(open_store("embedded", path=store.root)) if p == RDF_TYPE
    ]
    assert kinds.count("<https://w3id.org/kommunegraf/ontology#Project>") == 7
