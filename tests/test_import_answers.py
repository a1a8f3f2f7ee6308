"""Issue 18, part 1, without a browser: the import report and the diff are ONE Answer each
(graph/answers/imports.py) that ``kg import``/``kg diff`` print and the app shows, and the app's
mapping proposal is ``kg import suggest``'s, written as a file the CLI reads.

The export is built here with renamed labels (tests/fixtures/importers/renamed.py); every
expected value is written by hand from it: two projects in January (SK-1 dated 28.01.2025,
KS-2 dated 30.01.2025, KS-2's «Risiko» «Ikke vurdert»), February adds BH-3 and turns KS-2's
schedule from Gul to Rød.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "importers"))
import renamed  # noqa: E402

from graph import snapshots  # noqa: E402
from graph.answers.history import changes  # noqa: E402
from graph.answers.imports import import_report  # noqa: E402
from graph.diff import diff  # noqa: E402
from graph.imports import import_file, suggest_mapping, vocabulary  # noqa: E402
from graph.store import open_store  # noqa: E402
from loaders.errors import Problems  # noqa: E402
from loaders.mapping import load_mapping  # noqa: E402
from views.importer import mapping_yaml, proposal, value_proposal  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The user's choices in the app: the two columns with no close field, and the traffic lights.
CHOSEN = {"Nr.": "Prosjektnummer", "Ansvarlig": "Prosjektleder"}
VALUES = {
    "Status fremdrift": {"Grønn": "På plan", "Gul": "Mindre forsinkelser", "Rød": "Forsinket"}
}
ENGLISH_KINDS = ("projects", "people", "status reports", "sources", "Imported", "Date ")


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    prop = proposal(renamed.january(tmp_path), None)
    text = mapping_yaml(
        "pp", prop["sheet"], prop["header_row"], {**prop["columns"], **CHOSEN}, VALUES
    )
    path = tmp_path / "kolonner.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_proposal_is_kg_import_suggests_and_its_file_is_one_the_cli_reads(tmp_path):
    jan = renamed.january(tmp_path)
    # A title row above the header must not make the export look like a register (it did:
    # the register "found" the title row as its header and had fewer unknown columns).
    assert suggest_mapping(jan).importer == "pp"
    prop = proposal(jan, None)
    assert (prop["importer"], prop["sheet"], prop["header_row"]) == ("pp", "Portefølje", 3)
    assert prop["columns"] == {
        "Prosjekt navn": "Tittel",  # suggested
        "Nr.": None,  # nothing close: left to the user
        "Ansvarlig": None,
        "Fremdrift (RAG)": "Status fremdrift",  # suggested
        "Økonomi": "Status økonomi",  # known names
        "Risiko": "Status risiko",
        "Fase": "Fase",
        "Statusdato": "Siste rapporteringsdato",
    }
    # the suggestions are kg import suggest's own, not a second guesser
    s = suggest_mapping(jan, "pp")
    assert {c.column: (c.candidates[:1] or [None])[0] for c in s.columns} == {
        k: v
        for k, v in prop["columns"].items()
        if k in ("Prosjekt navn", "Nr.", "Ansvarlig", "Fremdrift (RAG)")
    }
    text = mapping_yaml("pp", "Portefølje", 3, {**prop["columns"], **CHOSEN})
    doc = yaml.safe_load(text)
    # only what plain recognition would not do is written; known names stay out
    assert doc["columns"] == {
        "Prosjekt navn": "Tittel",
        "Nr.": "Prosjektnummer",
        "Ansvarlig": "Prosjektleder",
        "Fremdrift (RAG)": "Status fremdrift",
    }
    draft = tmp_path / "utkast.yaml"
    draft.write_text(text, encoding="utf-8")
    problems = Problems()
    assert load_mapping(draft, vocabulary("pp"), problems)
    assert not problems
    odd = value_proposal(jan, "pp", draft)
    # keyed by the field (the mapping file's values: take fields, not the file's column names)
    assert [(c, f, v) for c, f, v, _, _ in odd] == [
        ("Fremdrift (RAG)", "Status fremdrift", "Grønn"),
        ("Fremdrift (RAG)", "Status fremdrift", "Gul"),
    ]
    assert "Forsinket" in odd[0][4] and "Grønn" not in odd[0][4]


def test_a_semicolon_csv_in_windows_1252_gets_the_same_proposal(tmp_path):
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(
        [renamed.HEADER, *renamed.JANUARY]
    )
    path = tmp_path / "Portefølje januar.csv"
    path.write_bytes(buf.getvalue().encode("cp1252"))
    prop = proposal(path, None)
    assert prop["importer"] == "pp" and prop["header_row"] == 1
    assert prop["columns"]["Prosjekt navn"] == "Tittel" and prop["columns"]["Økonomi"] == (
        "Status økonomi"
    )


def test_the_import_report_answer_in_both_languages(tmp_path, mapping):
    store = open_store("memory")
    rep = import_file(
        store, renamed.january(tmp_path), "pp", "Nye Vestby", mapping=mapping,
        snapshot_root=tmp_path / "snaps",
    )  # fmt: skip
    nb, en = import_report(rep, "nb"), import_report(rep, "en")
    counts = {s.key: s for s in nb.sections}["import_counts"]
    assert {r["kind"]: r["count"] for r in counts.rows} == {
        "prosjekter": 2,
        "statusrapporter": 2,
        "personer": 2,  # Dahl, Berit and Lie, Jon
    }
    assert {s.key: s for s in nb.sections}["import_no_status"].rows == [
        {"column": "Risiko", "cells": 1}
    ]
    notes = {n["kind"]: n["nb"] for n in nb.notes}
    assert notes["head"].startswith(
        "Importerte Prosjektportalen per 2025-01-30 til 'nye-vestby': 2 personer, 2 prosjekter"
    )
    assert re.search(r"\d,\d s\)\.$", notes["head"]), notes["head"]  # «0,2 s»: a decimal comma
    assert notes["date"] == "Dato 2025-01-30: den seneste datoen i kolonnen 'Statusdato' i filen."
    nb_text = json.dumps([nb.rows, nb.notes, [s.rows for s in nb.sections]], ensure_ascii=False)
    assert not [w for w in ENGLISH_KINDS if w in nb_text]  # nothing English in nb
    assert "pp " not in notes["head"]  # the command's word is not the planner's
    assert {n["kind"]: n["en"] for n in en.notes}["head"].startswith(
        "Imported Prosjektportalen as of 2025-01-30 into 'nye-vestby'"
    )
    assert nb.facts["no_status"] == {"Risiko": 1} and nb.facts["date"] == "2025-01-30"


def kg(*args: str, store: Path, lang: str = "nb") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args, "--store", str(store), "--lang", lang],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "KG_LANG": lang},
    )


def test_the_cli_prints_the_same_answers(tmp_path, mapping):
    store = tmp_path / "kg" / "store"
    jan, feb = renamed.january(tmp_path), renamed.february(tmp_path)
    out = kg("import", "pp", str(jan), "-m", "Nye Vestby", "--mapping", str(mapping), store=store)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Importerte Prosjektportalen per 2025-01-30 til 'nye-vestby'")
    assert "Dato 2025-01-30: den seneste datoen i kolonnen 'Statusdato' i filen." in out.stdout
    assert "## Rader i filen (3)" in out.stdout and "## Uten status, per kolonne (1)" in out.stdout
    out = kg(
        "import", "pp", str(feb), "-m", "Nye Vestby", "--mapping", str(mapping), "-f", "json",
        store=store,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)  # one document: the facts beside the sections
    assert body["date"] == "2025-02-27" and body["no_status"] == {"Risiko": 1}
    assert [s["key"] for s in body["sections"]] == ["import_counts", "import_no_status"]
    assert {r["kind"]: r["count"] for r in body["sections"][0]["rows"]}["prosjekter"] == 3

    root = snapshots.root_for(store)
    a, b = snapshots.listing(root, "nye-vestby")
    answer = changes(diff(snapshots.read(a.path), snapshots.read(b.path), "nb"), "nye-vestby", a.date, b.date, "nb")  # fmt: skip
    out = kg("diff", "previous", "latest", "-f", "json", store=store)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    # the CLI prints the app's answer, row for row (JSON keeps the category's code beside it)
    assert [{k: r[k] for k in ("category", "subject", "change")} for r in body["rows"]] == (
        answer.shown()
    )
    assert {r["category_code"] for r in body["rows"]} == {"projects", "sources", "status"}
    assert (body["from"], body["to"]) == ("2025-01-30", "2025-02-27")
    assert {
        "category": "status",
        "subject": "KS-2 Felles kundesenter",
        "change": "status fremdrift: Mindre forsinkelser → Forsinket (2025-02-27)",
    } in answer.shown()
    assert {
        "category": "prosjekter",
        "subject": "BH-3 Ny barnehage",
        "change": "nytt prosjekt",
    } in answer.shown()
    assert not {r["category"] for r in answer.rows} & {"projects", "sources", "systems"}
    out = kg("diff", "previous", "latest", store=store)
    assert out.stdout.splitlines()[0] == "Endringer i nye-vestby fra 2025-01-30 til 2025-02-27: 4"
    # in English the categories stay graph.diff's own words (the README's example shows them)
    en = changes(diff(snapshots.read(a.path), snapshots.read(b.path), "en"), "nye-vestby", a.date, b.date, "en")  # fmt: skip
    assert {r["category"] for r in en.rows} == {"projects", "sources", "status"}
    assert en.title_in("en") == "Changes in nye-vestby from 2025-01-30 to 2025-02-27: 4"


def test_an_export_given_to_the_dataset_upload_gets_a_pointer_to_import(tmp_path):
    from views.importer import export_kind_of

    jan = renamed.january(tmp_path)
    assert export_kind_of(jan.name, jan.read_bytes()) == "pp"  # renamed labels too
    # files of our own dataset format are not called exports (their columns say «title» …)
    for name in ("projects.csv", "status_reports.csv", "systems.csv", "evaluations.csv"):
        path = ROOT / "data" / "nye-asker" / name
        assert export_kind_of(name, path.read_bytes()) is None, name
    assert export_kind_of("notes.ttl", b"<a> <b> <c> .") is None


def test_one_project_reads_as_one_in_both_languages(tmp_path):
    path = renamed.export(tmp_path, renamed.JANUARY[:1], "en-rad.xlsx")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "importer: pp\ncolumns:\n  Prosjekt navn: Tittel\n  Nr.: Prosjektnummer\n"
        "  Ansvarlig: Prosjektleder\n  Fremdrift (RAG): Status fremdrift\n"
        "values:\n  Status fremdrift: {Grønn: På plan}\n",
        encoding="utf-8",
    )
    rep = import_file(open_store("memory"), path, "pp", "Nye Vestby", mapping=mapping)
    nb = {n["kind"]: n["nb"] for n in import_report(rep, "nb").notes}["head"]
    en = {n["kind"]: n["en"] for n in import_report(rep, "en").notes}["head"]
    assert ": 1 person, 1 prosjekt, 1 statusrapport;" in nb, nb
    assert ": 1 person, 1 project, 1 status report;" in en, en
    assert not re.search(r"\b1 (prosjekter|personer|statusrapporter)\b", nb)
