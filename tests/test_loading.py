"""Loading datasets: every kind of bad input gets one clear message, and nothing half-loads."""

from __future__ import annotations

import copy
import os

import pytest
from conftest import MINI, write_dataset

from graph.load import load
from graph.store import open_store
from loaders.dataset import read_dataset
from loaders.errors import LoadError


def problems_of(path) -> list[str]:
    with pytest.raises(LoadError) as info:
        read_dataset(path)
    return [p.text("en") for p in info.value.problems]


def variant(tmp_path, change) -> object:
    tables = copy.deepcopy(MINI)
    change(tables)
    return write_dataset(tmp_path / "bad", tables)


def test_mini_dataset_loads_with_records_and_provenance(mini):
    ds = read_dataset(mini)
    assert {r.id for r in ds.records if r.kind.name == "projects"} == {"P1", "P2"}
    store = open_store("memory")
    load(store, mini)
    # the file is said once, of the record's graph (loaders/sourcefile.py), the row per record
    rows = store.query("""SELECT ?file ?row ?src WHERE { GRAPH ?g { ?d a kg:Dependency ;
        kg:sourceRow ?row ; prov:wasDerivedFrom ?src . ?g kg:sourceFile ?file } }""").rows
    assert [(f, r) for f, r, _ in rows] == [("dependencies.csv", 2)]
    assert rows[0][2].endswith("/source/S1")
    assert store.query(
        "ASK { ?a kg:dependsOn ?b . ?a skos:notation 'P2' . ?b skos:notation 'P1' }"
    ).boolean


def test_missing_required_column(tmp_path):
    def drop(t):
        for r in t["projects"]:
            del r["title"]

    assert problems_of(variant(tmp_path, drop)) == [
        "projects.csv, row 1, column 'title': required column 'title' is missing"
    ]


def test_extra_column(tmp_path):
    def add(t):
        t["projects"][0]["colour"] = "blue"

    (msg,) = problems_of(variant(tmp_path, add))
    assert msg.startswith(
        "projects.csv, row 1, column 'colour': unknown column 'colour' (known: id, code, title,"
    )


def test_duplicate_id_names_both_places(tmp_path):
    def dup(t):
        t["bodies"].append({"id": "P1", "name": "Dobbel", "type": "annet"})

    assert problems_of(variant(tmp_path, dup)) == [
        "projects.csv, row 2, column 'id': id 'P1' is already used at bodies.csv row 4"
    ]


def test_dependency_on_unknown_project(tmp_path):
    def a9(t):
        t["dependencies"][0]["to"] = "A9"

    assert problems_of(variant(tmp_path, a9)) == [
        "dependencies.csv, row 2, column 'to': 'A9' refers to no record in projects, bodies, organizations, "
        "people, systems, domains, mandates, mandate_items, decisions, milestones, plans, actions, local_goals, "
        "kpis, sources, phases, risks, budget_lines, change_events, posts, sdg"
    ]


def test_reference_to_the_wrong_kind(tmp_path):
    def wrong(t):
        t["projects"][0]["leader"] = "styret"
        t["projects"][1]["parent"] = "kommune-a"

    assert problems_of(variant(tmp_path, wrong)) == [
        "projects.csv, row 3, column 'parent': 'kommune-a' is a record in organizations, but 'parent' must refer to projects"
    ]


def test_cycle_in_reporting_lines(tmp_path):
    def loop(t):
        t["reporting_lines"].append({"from": "radet", "to": "styret"})

    assert problems_of(variant(tmp_path, loop)) == [
        "reporting_lines.csv, row 2, column 'to': cycle in reporting_lines: radet → styret → radet"
    ]


def test_invalid_date_and_number_and_enum(tmp_path):
    def bad(t):
        t["projects"][1]["start"] = "31.02.2017"
        t["budget_lines"][0]["amount"] = "tusen"
        t["projects"][0]["phase"] = "Ferdig"

    assert problems_of(variant(tmp_path, bad)) == [
        "budget_lines.csv, row 2, column 'amount': 'tusen' is not a number",
        "projects.csv, row 2, column 'phase': 'Ferdig' is not allowed; use one of: Idé, Konsept, Planlegge, "
        "Gjennomføre, Avslutte, Realisere",
        "projects.csv, row 3, column 'start': '31.02.2017' is not a date (2017-02-28, 28.02.2017, 2017-02 or 2017)",
    ]


def test_norwegian_excel_csv_loads(tmp_path):
    """Semicolons, decimal comma, Windows-1252 and a BOM: what Excel 'CSV (semikolondelt)' writes."""
    tables = copy.deepcopy(MINI)
    tables["budget_lines"][0]["amount"] = "42 952 000,5"
    tables["projects"][0]["title"] = "Økonomi, styring og anskaffelser – «fase 1»"
    folder = write_dataset(tmp_path / "cp1252", tables, delimiter=";", encoding="cp1252")
    store = open_store("memory")
    load(store, folder)
    amount = store.query("SELECT ?a WHERE { ?b a kg:BudgetLine ; kg:amount ?a }").rows[0][0]
    assert str(amount) == "42952000.5"
    title = store.query("SELECT ?t WHERE { ?p skos:notation 'P1' ; skos:prefLabel ?t }").rows[0][0]
    assert title == "Økonomi, styring og anskaffelser – «fase 1»"
    bom = tmp_path / "bom"
    write_dataset(bom, tables, delimiter=";")
    raw = (bom / "projects.csv").read_bytes()
    (bom / "projects.csv").write_bytes(b"\xef\xbb\xbf" + raw)
    load(store, bom)
    assert store.query(
        "ASK { ?p skos:notation 'P1' ; skos:prefLabel 'Økonomi, styring og anskaffelser – «fase 1»'@nb }"
    ).boolean


def test_empty_file(tmp_path):
    folder = variant(tmp_path, lambda t: None)
    (folder / "projects.csv").write_bytes(b"")
    assert problems_of(folder) == ["projects.csv: the file is empty"]


def test_binary_file_renamed_csv(tmp_path):
    folder = variant(tmp_path, lambda t: None)
    (folder / "projects.csv").write_bytes(bytes(range(256)) * 100)
    assert problems_of(folder) == ["projects.csv: not a text (CSV) file: it holds binary data"]


def test_fifty_megabytes_of_junk(tmp_path):
    folder = variant(tmp_path, lambda t: None)
    junk = (b'lorem,ipsum;dolor sit amet "x" ' * 40 + b"\n") * 40_000  # ~50 MB of text
    (folder / "projects.csv").write_bytes(junk)
    assert os.path.getsize(folder / "projects.csv") > 45_000_000
    msgs = problems_of(folder)
    assert msgs[0].startswith("projects.csv, row 1, column 'lorem': unknown column 'lorem'")


def test_unknown_file_is_an_unknown_kind(tmp_path):
    folder = variant(tmp_path, lambda t: None)
    (folder / "prosjektliste.csv").write_text("id\nX\n", encoding="utf-8")
    assert problems_of(folder)[0].startswith(
        "prosjektliste.csv: 'prosjektliste' is not a known kind of record (known:"
    )


def test_a_file_named_by_the_kinds_norwegian_name_is_that_kind(tmp_path):
    """«Prosjekter.csv» is read as projects (the nb refusal lists the Norwegian names as the
    names to use, so they must work); a name that is neither is still refused."""
    from loaders.errors import Problems
    from loaders.records import table_records
    from loaders.table import parse_csv

    problems = Problems()
    for name in ("Prosjekter", "lokale_mål", "IKT-systemer"):
        table = parse_csv("id\nX\n", name, f"{name}.csv", problems)
        assert table is not None
        table_records(table, problems)
    codes = [p.code for p in problems.items]
    assert "unknown_kind" not in codes, codes  # each was taken for its kind
    assert codes.count("missing_column") >= 3  # and checked as that kind (title/name missing)
    table = parse_csv("id\nX\n", "prosjekt", "prosjekt.csv", problems)
    assert table is not None
    table_records(table, problems)
    assert problems.items[-1].code == "unknown_kind"
    nb = problems.items[-1].message("nb")
    assert "prosjekter, prosjektkoblinger" in nb and "budget_lines" not in nb
    assert "budget_lines" in problems.items[-1].message("en")


def test_failed_load_leaves_previous_graph_untouched(tmp_path, mini):
    store = open_store("embedded", path=tmp_path / "store")
    load(store, mini)
    before = sorted(map(str, store.quads()))
    generation = store.generation

    def broken(t):
        t["projects"].append({"id": "P3", "title": "Tredje", "type": "project"})
        t["dependencies"][0]["to"] = "A9"

    with pytest.raises(LoadError):
        load(store, variant(tmp_path, broken))
    assert store.generation == generation
    reopened = open_store("embedded", path=tmp_path / "store", read_only=True)
    assert sorted(map(str, reopened.quads())) == before


def test_reload_replaces_the_dataset_and_persists(tmp_path, mini):
    path = tmp_path / "store"
    store = open_store("embedded", path=path)
    load(store, mini)
    tables = copy.deepcopy(MINI)
    tables["projects"].append({"id": "P3", "title": "Tredje", "type": "project"})
    load(store, write_dataset(tmp_path / "v2", tables))
    store.close()
    again = open_store("embedded", path=path, read_only=True)
    codes = again.query(
        "SELECT ?id WHERE { ?p a kg:Project ; dct:identifier ?id } ORDER BY ?id"
    ).column("id")
    assert codes == ["P1", "P2", "P3"]


def test_awkward_text_reaches_the_store_exactly(tmp_path):
    # Loads write N-Quads text: quotes, backslashes, line breaks and non-Latin letters must
    # survive the escaping and come back as they were written in the cell.
    title = 'Sak «A\\B» "sitat"\nlinje to\r\tmed tab, ÆØÅ, 北京, emoji 🙂'
    folder = variant(tmp_path, lambda t: t["projects"][0].update(title=title))
    store = open_store("memory")
    load(store, folder)
    got = store.query(
        "SELECT ?t WHERE { ?p a kg:Project ; dct:identifier 'P1' ; skos:prefLabel ?t }"
    ).column("t")
    assert got == [title]


def test_manifest_language_that_is_not_a_tag(tmp_path):
    folder = variant(tmp_path, lambda t: None)
    (folder / "manifest.yaml").write_text(
        "name: mini\nbase: https://example.org/mini/\nlanguages: [norsk bokmål, en]\n",
        encoding="utf-8",
    )
    assert problems_of(folder) == [
        "manifest.yaml: manifest: languages: 'norsk bokmål' is not a language tag (nb, en, ...)"
    ]


def test_store_write_failing_midway_keeps_old_graph_and_no_snapshot(tmp_path, mini):
    store = open_store("embedded", path=tmp_path / "store")
    load(store, mini)
    generation, before = store.generation, sorted(map(str, store.quads()))
    generations = sorted((tmp_path / "store").glob("gen-*"))
    snapshots = sorted((tmp_path / "snapshots").rglob("*"))

    def chunks():
        yield b'<urn:a> <urn:b> "ok" <urn:g> .\n'
        yield b"<urn:a> <urn:b> not-a-term <urn:g> .\n"

    with pytest.raises(SyntaxError):
        store.replace_nquads(["urn:g"], chunks())
    assert store.generation == generation
    assert sorted((tmp_path / "store").glob("gen-*")) == generations
    assert sorted(map(str, store.quads())) == before
    assert sorted((tmp_path / "snapshots").rglob("*")) == snapshots


def test_compaction_keeps_the_graph_and_spares_open_readers(tmp_path, mini, monkeypatch):
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    store = open_store("embedded", path=tmp_path / "store")
    load(store, mini)
    before, generation = sorted(map(str, store.quads())), store.generation
    reader = open_store("embedded", path=tmp_path / "store", read_only=True)
    assert store.compact()
    assert store.generation != generation and store.generation.exists()
    assert sorted(map(str, store.quads())) == before
    # The reader still has the generation it opened, whole.
    assert reader.opened == generation and sorted(map(str, reader.quads())) == before
    again = open_store("embedded", path=tmp_path / "store", read_only=True)
    assert again.opened == store.generation and sorted(map(str, again.quads())) == before


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_two_files_named_for_one_graph_are_refused_before_anything_is_written(
    tmp_path, capsys, monkeypatch, lang
):
    # "lokale mål.csv" and "lokale_mål.csv" both name local goals, and a graph is named after
    # its file with spaces as underscores: both files' records would land in one graph, which
    # would say two files, and a reader would give every record one of them.
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    from graph.cli import main

    goal = {"type": "local_goal", "source": "S1"}
    tables = copy.deepcopy(MINI)
    tables["lokale mål"] = [{"id": "LG1", "title": "Mål en", **goal}]
    tables["lokale_mål"] = [{"id": "LG2", "title": "Mål to", **goal}]
    folder = write_dataset(tmp_path / "mini", tables)
    assert {p.name for p in folder.iterdir()} >= {"lokale mål.csv", "lokale_mål.csv"}
    store = tmp_path / "store"
    assert (
        main(
            [
                "--lang",
                lang,
                "load",
                str(write_dataset(tmp_path / "ok", MINI)),
                "--store",
                str(store),
            ]
        )
        == 0
    )
    before = sorted(str(q) for q in open_store("embedded", path=store).quads())
    capsys.readouterr()
    assert main(["--lang", lang, "load", str(folder), "--store", str(store), "--no-warm"]) == 1
    err = capsys.readouterr().err
    other = "«lokale mål.csv»" if lang == "nb" else "'lokale mål.csv'"
    assert "lokale_mål.csv: " in err and other in err, err  # both files named
    if lang == "nb":
        assert "\nLasting avbrutt, ingenting er endret:\nlokale_mål.csv: denne filen og" in err
        assert "samme navngitte graf (https://example.org/mini/graph/lokale_m%C3%A5l.csv)" in err
    else:
        assert "\nLoad refused, nothing was changed:\nlokale_mål.csv: this file and" in err
        assert "the same named graph (https://example.org/mini/graph/lokale_m%C3%A5l.csv)" in err
    assert "Traceback" not in err
    # all or nothing: the store holds what it held
    assert sorted(str(q) for q in open_store("embedded", path=store).quads()) == before
    # either file alone loads, its records in its own graph
    (folder / "lokale mål.csv").unlink()
    ds = read_dataset(folder)
    assert {r.id for r in ds.records if r.kind.name == "local_goals"} == {"LG2"}
