"""Issue 6: Prosjektportalen and ICT register imports, mapping files, bad input, spreadsheet reality.

The municipality is «Nye Vestby», made up in tests/fixtures/importers/vestby.py (it is not in
the repository's data). Every expected answer below is written by hand from that fixture.
History, snapshots, diff, exports and the CLI are in tests/test_import_history.py.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import MINI, ROOT, write_dataset

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "importers"))
import sheets  # noqa: E402
import vestby  # noqa: E402
from vestby import BASE, JAN, status_rows  # noqa: E402

from graph import queries  # noqa: E402
from graph.imports import import_file, read_batch, suggest_mapping  # noqa: E402
from graph.load import load  # noqa: E402
from graph.store import open_store  # noqa: E402
from loaders.errors import LoadError  # noqa: E402
from loaders.records import PartialDate  # noqa: E402
from loaders.spreadsheet import parse_date, people  # noqa: E402


def problems_of(err: LoadError) -> list[tuple]:
    return [(p.file, p.row, p.column, p.code, p.params.get("value")) for p in err.value.problems]


@pytest.fixture
def vestby_store(tmp_path):
    return vestby.store(tmp_path)


# -- a municipality that is not in the repository joins the graph -------------------------------


def test_vestby_joins_the_graph_and_answers_the_named_queries(vestby_store):
    store = vestby_store
    assert status_rows(store) == {
        ("DV", "På plan", "På budsjett", "Medium", "På plan", "Gjennomføre", "2024-01-15"),
        (
            "DV-1",
            "Mindre forsinkelser",
            "På budsjett",
            "Høy",
            "Ikke påbegynt",
            "Planlegge",
            "2024-01-31",
        ),
        ("DV-2", "På plan", "Vet ikke", "Lav", "På plan", "Konsept", "2024-01-20"),
        ("DV-3", "På plan", "Under budsjett", "Medium", "Foran plan", "Gjennomføre", "2024-01-29"),
        ("DV-4", "På plan", "På budsjett", "Lav", "Ikke påbegynt", "Idé", "2024-01-30"),
        ("BYG-1", "Forsinket", "Over budsjett", "Høy", "Forsinket", "Planlegge", "2024-01-12"),
    }
    # nye Asker is still there beside it
    assert any(r["code"] == "A4" for r in queries.run(store, "status_overview", {}).dicts())
    deps = {
        (r["code"], r["depth"], r["via"], r["kind"])
        for r in queries.run(store, "dependencies", {"project": "DV-4"}).dicts()
    }
    assert deps == {
        ("DV-1", 1, "DV-4", "depends_on"),
        ("3", 1, "DV-4", "implements"),
        ("16", 2, "DV-1", "implements"),
    }
    ict = {r["domain_name"]: r["in_use"] for r in queries.run(store, "ict_portfolio", {}).dicts()}
    assert ict["Sak og arkiv"] == "Nye Vestby: ePhorte; Nye Vestby: Elements" or set(
        ict["Sak og arkiv"].split("; ")
    ) == {"Nye Vestby: Elements", "Nye Vestby: ePhorte"}
    assert ict["Byggesak"] == "Nye Vestby: Elements"  # one system in two domains
    assert len([d for d in ict if d in {s[1] for s in vestby.SYSTEMS}]) == 19


def test_people_parents_programmes_and_dates_come_out_right(vestby_store):
    rows = {
        r[0]: r[1:]
        for r in vestby_store.query(f"""
        SELECT ?code ?type ?parent ?owner ?leader ?start ?end WHERE {{
          ?p a kg:Project ; skos:notation ?code ; a ?c . FILTER(STRSTARTS(STR(?p), "{BASE}"))
          FILTER(?c IN (kg:Program, kg:SubProject) || NOT EXISTS {{ ?p a kg:Program }} && NOT EXISTS {{ ?p a kg:SubProject }})
          BIND(STRAFTER(STR(?c), STR(kg:)) AS ?type)
          OPTIONAL {{ ?p kg:partOf/skos:notation ?parent }} OPTIONAL {{ ?p kg:projectOwner/foaf:name ?owner }}
          OPTIONAL {{ ?p kg:projectLeader/foaf:name ?leader }}
          OPTIONAL {{ ?p kg:startDate ?start }} OPTIONAL {{ ?p kg:endDate ?end }} }}""").rows
    }
    assert rows["DV"] == (
        "Program",
        None,
        "Kari Hansen",
        "Ola Nordmann",
        dt.date(2024, 1, 1),
        dt.date(2025, 12, 31),
    )
    assert rows["DV-1"] == (
        "Project",
        "DV",
        "Kari Hansen",
        "Per Olsen",
        dt.date(2024, 1, 3),
        dt.date(2025, 6, 30),
    )
    assert rows["DV-2"][:4] == ("Project", "DV", "Kari Hansen", "Lise Berg") and rows["DV-2"][
        4
    ] == dt.date(2024, 2, 1)
    assert rows["DV-3"] == ("Project", "DV", "Lise Berg", "Ola Nordmann", dt.date(2023, 9, 1), None)
    assert rows["DV-4"][:4] == ("SubProject", "DV-3", "Lise Berg", "Anne Lie")
    assert rows["BYG-1"] == ("Project", None, "Tor Moen", "Eva Dahl", "2024-01", "2027")
    areas = vestby_store.query(f"SELECT ?a WHERE {{ <{BASE}project/DV-2> kg:serviceArea ?a }}").rows
    assert areas == [("Helse og velferd; Skole og oppvekst",)]
    gains = vestby_store.query(
        "SELECT ?n WHERE { ?m org:member/foaf:name ?n ; kg:roleText 'Gevinstansvarlig'@nb }"
    ).rows
    assert gains == [("Kari Hansen",)]


def test_spreadsheet_reality_dates_and_people():
    assert parse_date("3. januar 2017") == dt.date(2017, 1, 3)
    assert parse_date("12.05.16") == dt.date(2016, 5, 12)
    assert parse_date("42747") == dt.date(2017, 1, 12)  # an Excel serial number
    assert parse_date("mandag 3. jan. 2017") == dt.date(2017, 1, 3)
    assert parse_date("2017-01-03T10:15:00") == dt.date(2017, 1, 3)
    assert parse_date("januar 2017") == PartialDate(2017, 1)
    assert parse_date("31.02.2017") is None and parse_date("snart") is None
    assert people("Nordmann, Ola") == ["Ola Nordmann"]
    assert people("12;#Ola Nordmann;#13;#Kari Hansen") == ["Ola Nordmann", "Kari Hansen"]
    assert people("kari.o.hansen@vestby.kommune.no") == ["Kari O Hansen"]
    assert people("Per Olsen | per.olsen@vestby.kommune.no; Hvistendal Bergseth, Lene") == [
        "Per Olsen",
        "Lene Hvistendal Bergseth",
    ]
    assert people("Ola Nordmann, Kari Hansen") == ["Ola Nordmann", "Kari Hansen"]


def test_semicolon_csv_in_windows_1252_with_decimal_commas(tmp_path):
    text = (
        "Systemnavn;Antall brukere;Krav til tilgjengelighet;Status;Bør fases ut?\r\n"
        "Elements;1 200;Meget høyt;Grønn;14,5\r\nGerica;...;Fare for liv og helse;Rød;Ja\r\n;;;;\r\n"
    )
    for enc, name in (
        ("cp1252", "vurdering-2024-01-31.csv"),
        ("utf-8-sig", "vurdering-bom-2024-01-31.csv"),
    ):
        path = tmp_path / name
        path.write_bytes(text.encode(enc))
        store = open_store("memory")
        import_file(store, path, "register", "Nye Vestby")
        rows = set(
            store.query("""SELECT ?n ?u ?a ?st ?sc ?po WHERE { ?e a kg:SystemEvaluation ; kg:evaluates/skos:prefLabel ?n .
            OPTIONAL { ?e kg:userCount ?u } OPTIONAL { ?e kg:availabilityRequirement ?a } OPTIONAL { ?e kg:evaluationStatus ?st }
            OPTIONAL { ?e kg:score ?sc } OPTIONAL { ?e kg:phaseOut ?po } }""").rows
        )
        from decimal import Decimal

        assert rows == {
            ("Elements", 1200, "Meget høyt", "Green", Decimal("14.5"), None),
            ("Gerica", None, "Fare for liv og helse", "Red", None, True),
        }, enc


# -- column mapping ---------------------------------------------------------------------------------


def test_a_mapping_file_maps_own_columns_and_values(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Prosjekter"
    ws.append(["Prosjekt navn", "Nr.", "Ansvarlig", "Fremdrift (RAG)", "Risiko", "Fase"])
    ws.append(["Ny nettside", "W-1", "Nordmann, Ola", "Grønn", "Lav", "Gjennomføring"])
    ws.append(["Ny telefoni", "W-2", "Hansen, Kari", "Rød", "Høy", "Avsluttet?"])
    path = tmp_path / "prosjekter-2024-03-01.xlsx"
    book.save(path)
    s = suggest_mapping(path)
    assert s.importer == "pp" and s.sheet == "Prosjekter"
    assert [c.column for c in s.columns] == ["Prosjekt navn", "Nr.", "Ansvarlig", "Fremdrift (RAG)"]
    assert (
        s.columns[0].candidates[0] == "Tittel" and s.columns[3].candidates[0] == "Status fremdrift"
    )
    assert s.values == {
        "Fase": [("Avsluttet?", ["Avslutte"])]
    }  # «Gjennomføring» is a known way to write it
    assert "columns:\n  Prosjekt navn: Tittel\n" in s.yaml()
    mapping = tmp_path / "vestby.yaml"
    mapping.write_text(
        """importer: pp
columns:
  Prosjekt navn: Tittel
  Nr.: Prosjektnummer
  Ansvarlig: Prosjektleder
  Fremdrift (RAG): Status fremdrift
values:
  Status fremdrift: {Grønn: På plan, Gul: Mindre forsinkelser, Rød: Forsinket}
  Fase: {"Avsluttet?": Avslutte}
""",
        encoding="utf-8",
    )
    s = suggest_mapping(path, "pp", mapping)
    assert s.columns == [] and s.values == {}
    store = open_store("memory")
    import_file(store, path, "pp", "Nye Vestby", mapping=mapping)
    assert {r[:3] + r[5:6] for r in status_rows(store)} == {
        ("W-1", "På plan", None, "Gjennomføre"),
        ("W-2", "Forsinket", None, "Avslutte"),
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  Ansvarlig: Prosjektlder\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        import_file(store, path, "pp", "Nye Vestby", mapping=bad)
    assert err.value.problems[0].text("en") == (
        "bad.yaml, row 2: mapping file: column target 'Prosjektlder' is not a "
        "field of the pp importer (did you mean Prosjektleder, Prosjektkode, Prosjekteier?)"
    )


# -- bad input: all or nothing, and every error names file, sheet, row, column and value ----------


def _broken(folder: Path, edit) -> Path:
    folder.mkdir()
    path = vestby.portfolio(folder, 1)
    book = openpyxl.load_workbook(path)
    edit(book.active)
    book.save(path)
    return path


def test_bad_portfolios_are_refused_whole_with_positions_in_both_languages(vestby_store, tmp_path):
    before = sorted(map(str, vestby_store.quads()))
    cases = {
        "unknown_parent": (
            lambda ws: ws.__setitem__("D5", "Digitale Vestby 2030"),
            (
                "Porteføljeoversikt-Nye-Vestby-2024-01-31.xlsx [Porteføljestatus]",
                5,
                "Overordnet prosjekt",
                "import_unknown_project",
                "Digitale Vestby 2030",
            ),
        ),
        "status": (
            lambda ws: ws.__setitem__("N6", "Grønt"),
            (
                "Porteføljeoversikt-Nye-Vestby-2024-01-31.xlsx [Porteføljestatus]",
                6,
                "Status tid",
                "import_value",
                "Grønt",
            ),
        ),
        "date": (
            lambda ws: ws.__setitem__("T7", "32. januar 2024"),
            (
                "Porteføljeoversikt-Nye-Vestby-2024-01-31.xlsx [Porteføljestatus]",
                7,
                "Sist endret",
                "import_date",
                "32. januar 2024",
            ),
        ),
        "twice": (
            lambda ws: ws.append(
                ["Felles saksbehandling", "DV-1", "Nei", "DV", None, "IKT", "Konsept"]
            ),
            (
                "Porteføljeoversikt-Nye-Vestby-2024-01-31.xlsx [Porteføljestatus]",
                14,
                "Tittel",
                "import_conflict",
                "Felles saksbehandling",
            ),
        ),
    }
    for name, (edit, expected) in cases.items():
        path = _broken(tmp_path / name, edit)
        with pytest.raises(LoadError) as err:
            import_file(vestby_store, path, "pp", "Nye Vestby")
        assert problems_of(err) == [expected], name
        assert sorted(map(str, vestby_store.quads())) == before, name  # nothing changed
    msg = err.value.problems[0]
    assert msg.text("nb") == (
        "Porteføljeoversikt-Nye-Vestby-2024-01-31.xlsx [Porteføljestatus], rad 14, kolonne "
        "'Tittel': prosjektet 'Felles saksbehandling' står to ganger med ulike data (også i rad 5; "
        "ulikt i Overordnet prosjekt, Tjenesteområde, Fase, Prosjekteier, Prosjektleder, Gevinstansvarlig, "
        "Målsetning, Startdato, Sluttdato, Status tid, Status budsjett, Status risiko, Status gevinst, "
        "Overordnet status, Sist endret, FNs bærekraftsmål)"
    )
    with pytest.raises(LoadError) as status_err:
        import_file(
            vestby_store,
            _broken(tmp_path / "x", lambda ws: ws.__setitem__("N6", "Grønt")),
            "pp",
            "Nye Vestby",
        )
    assert (
        status_err.value.problems[0]
        .text("en")
        .endswith(
            "column 'Status tid': 'Grønt' is not a known value for Status tid; known: Foran plan, På plan, "
            "Mindre forsinkelser, Mindre forsinkelse som kan tas igjen, Forsinket"
        )
    )


def test_a_missing_sheet_and_a_conflicting_register_are_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Notater"
    book.active.append(["Dette er ikke en portefølje"])
    path = tmp_path / "tom.xlsx"
    book.save(path)
    with pytest.raises(LoadError) as err:
        import_file(open_store("memory"), path, "pp", "Nye Vestby")
    assert err.value.problems[0].text("en") == (
        "tom.xlsx: no sheet with a project portfolio (Tittel, Fase, Status …) (sheets: Notater)"
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text("importer: register\nsheet: Systemer\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        import_file(
            open_store("memory"),
            vestby.register(tmp_path, 1),
            "register",
            "Nye Vestby",
            mapping=mapping,
        )
    assert err.value.problems[0].text("nb") == (
        "IKT-register-Nye-Vestby-2024-01-31.xlsx: ingen ark med en systemliste "
        "eller vurdering (System, Delområde …) (ark: Systemliste, Vurdering)"
    )
    path = vestby.register(tmp_path, 1)
    book = openpyxl.load_workbook(path)
    book["Systemliste"]["D20"] = "Acos"  # «Elements» from another vendor in Byggesak
    book.save(path)
    with pytest.raises(LoadError) as err:
        import_file(open_store("memory"), path, "register", "Nye Vestby")
    assert problems_of(err) == [
        (
            "IKT-register-Nye-Vestby-2024-01-31.xlsx [Systemliste]",
            20,
            "Leverandør",
            "import_conflict",
            "Elements",
        )
    ]
    assert (
        "system 'Elements' appears twice with different data (also at row 2; differs in Leverandør)"
        in err.value.problems[0].text("en")
    )


def test_read_batch_only_reads(tmp_path):
    batch, ctx = read_batch(vestby.register(tmp_path, 1), "register", "nye-vestby")
    assert ctx.municipality_name == "Nye Vestby" and ctx.date == JAN
    assert len(batch.rows["system_usages"]) == 20 and len(batch.rows["systems"]) == 19
    assert batch.rows["systems"]["visma-hrm"] == {
        "id": "visma-hrm",
        "name": "Visma HRM",
        "vendor": "Visma",
        "source": "register-2024-01-31",
        "locator": "Systemliste:5",
    }
    usage = batch.rows["system_usages"]["nye-vestby|visma-hrm|dom-lonn-og-hr"]
    assert usage["contract_end"] == "2026-12-31" and "users" not in usage  # «...» is no number


# -- random and mangled spreadsheets: a whole load or a positioned error, nothing in between ------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FILE_LEVEL = {
    "import_no_sheet",
    "import_unsupported",
    "bad_xlsx",
    "empty_file",
    "binary_file",
    "bad_encoding",
    "bad_utf8",  # a bad byte: named by line, column and byte offset, not by row
    "not_utf8",
    "utf16",
}


@pytest.fixture(scope="module")
def before_quads(tmp_path_factory):
    """Another dataset already in the store, which a failed (or any) import must leave alone."""
    store = open_store("memory")
    load(store, write_dataset(tmp_path_factory.mktemp("mini") / "mini", MINI))

    class Quads(list):
        def __repr__(self) -> str:  # hypothesis prints its arguments on failure
            return f"<{len(self)} quads of the mini dataset>"

    return Quads(store.quads())


@settings(
    max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
@given(data=st.data())
def test_random_and_mangled_sheets_load_whole_or_fail_with_positions(
    tmp_path_factory, before_quads, data
):
    importer = data.draw(st.sampled_from(["pp", "register"]))
    # Mostly sheets with the key columns (so rows are read and checked), sometimes without.
    keys = {
        "pp": [["Tittel"], ["Tittel", "Prosjektnummer"], []],
        "register": [["Systemnavn", "Delområde"], ["System", "Krav til tilgjengelighet"], []],
    }[importer]
    header = data.draw(st.sampled_from(keys)) + data.draw(
        st.lists(st.sampled_from(sheets.NAMES[importer]), max_size=8)
    )
    header = data.draw(st.permutations(header)) if header else ["Ukjent"]
    if data.draw(st.booleans()):  # plausible values per column, then a few cells mangled
        rows = [
            [data.draw(st.sampled_from(sheets.GOOD.get(h, [None, "tekst"]))) for h in header]
            for _ in range(data.draw(st.integers(0, 7)))
        ]
        for _ in range(data.draw(st.integers(0, 2)) if rows else 0):
            row = data.draw(st.sampled_from(rows))
            row[data.draw(st.integers(0, len(row) - 1))] = data.draw(sheets.CELL)
    else:
        rows = data.draw(
            st.lists(
                st.lists(sheets.CELL, min_size=max(0, len(header) - 2), max_size=len(header) + 1),
                max_size=7,
            )
        )
    path = sheets.write(
        tmp_path_factory.mktemp("h"),
        data.draw(st.sampled_from(["xlsx", "csv"])),
        header,
        rows,
        data.draw(st.booleans()),
        data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
        data.draw(st.sampled_from([";", ","])),
    )
    store = open_store("memory")
    store.replace([], before_quads)
    before = set(store.quads())
    try:
        rep = import_file(store, path, importer, "Nye Vestby")
    except LoadError as e:
        assert set(store.quads()) == before  # nothing of it was added
        assert e.problems
        for p in e.problems:
            assert p.file.startswith(path.name), p
            assert p.row is not None or p.code in FILE_LEVEL, p
            assert p.text("nb") and p.text("en")  # every message renders in both languages
        return
    after = set(store.quads())
    assert {
        q for q in before if "/mini/" in str(q.graph_name)
    } <= after  # the other dataset stays whole
    mine = [q for q in after if str(q.graph_name).startswith("<" + BASE)]
    # All of the dataset is written, into its own graphs: the SDG graph is shared with the other
    # dataset, so nothing new lands outside them. (rep.quads counts every quad handed to the
    # store, a quad two rows both give twice, and the shared SDG graph, whose size changes with
    # data/sdg: no exact upper bound.)
    assert rep.quads > len(mine) > 0
    assert len(after - before) == len(mine)
    queries.run(store, "status_overview", {})


def test_the_fast_xlsx_reader_reads_what_openpyxl_reads(tmp_path):
    from loaders.errors import Problems
    from loaders.spreadsheet import _read_openpyxl, _read_xlsx

    for path in (vestby.portfolio(tmp_path, 1), vestby.register(tmp_path, 2)):
        sheets.shared_strings(path)
        fast = _read_xlsx(path, Problems())
        assert fast == _read_openpyxl(path, Problems())
        assert fast[0].rows[0][1][0] in (
            "Porteføljeoversikt – Nye Vestby kommune",
            "Tjenesteområde",
        )
    store = open_store("memory")
    import_file(store, vestby.portfolio(tmp_path, 2), "pp", "Nye Vestby")  # read by the fast reader
    assert len(status_rows(store)) == 7


def test_docs_name_every_column_the_importers_know():
    from loaders.prosjektportalen import VOCAB as PP
    from loaders.register import VOCAB as REGISTER

    text = " ".join((ROOT / "docs" / "importers.md").read_text(encoding="utf-8").split())
    missing = [
        n
        for v in (PP, REGISTER)
        for names in v.aliases.values()
        for n in names
        if f"«{n}»" not in text
    ]
    assert missing == []
