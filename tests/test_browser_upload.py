"""Issue 18: the Data page's dataset upload given a single CSV file, in real headless Chromium.

A planner drops one CSV file where the dataset goes. What she must get is a Norwegian answer
that says what to do, never Streamlit's English «text/csv files are not allowed»:

- a Prosjektportalen CSV export (the «Porteføljestatus» view's columns, prosjektportalen.md
  line 139; `;` and a BOM as Norwegian Excel writes it) → «not a kind of record» and the
  pointer to the import section;
- one file of a dataset (data/nye-asker/projects.csv, as it is) → refused whole, with the kinds
  in other files it points into, in Norwegian (kilder, organer …, not «sources, bodies»);
- a CSV named after a kind in Norwegian that stands on its own (kilder.csv, built here: two
  sources, the second citing the first) → loaded as a one-kind dataset of 2 records;
- a workbook with a sheet that is no kind → the known kinds listed by Norwegian name.

What must NOT happen: English or raw codes in the nb page (the scan of tests/test_browser_app.py;
the file names the test uploads are its own data and are taken out of the text first), the
graph changed by a refused file, a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_store
from test_browser import CHROMIUM, ROOT, Server, Session
from test_browser_app import A11Y, ENGLISH, SNAKE, VISIBLE_TEXT, WRONG_PLURAL, real_errors

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
sync_api = pytest.importorskip("playwright.sync_api")

# prosjektportalen.md line 139: the «Porteføljestatus» view's columns
PP_HEADER = (
    "Tittel;Fase;Prosjektleder;Prosjekteier;Status økonomi;Status risiko;Status kvalitet;"
    "Status fremdrift;Status gevinstoppnåelse;Siste rapporteringsdato"
)
PP_ROWS = [
    "Ny skolestruktur;Gjennomføre;Berit Dahl;Rådmannen;På budsjett;Lav;God;På plan;På plan;28.01.2025",
    "Felles kundesenter;Planlegge;Jon Lie;Rådmannen;Over budsjett;Høy;God;Forsinket;;30.01.2025",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, nye_asker_store):
    tmp = tmp_path_factory.mktemp("browser-upload")
    # the bundled graph as the app's first visitor builds it (graph.load.load), copied from the
    # run's one build; tests/test_browser.py keeps a first visit that builds it in the app
    store = copy_store(nye_asker_store, tmp / "store")
    srv = Server(store, tmp / "streamlit.log")
    yield srv
    srv.stop()


def upload(s: Session, path: Path) -> None:
    s.page.locator('[data-testid="stFileUploader"]').filter(has_text="Velg fil").locator(
        '[data-testid="stFileUploaderDropzoneInput"]'
    ).set_input_files(str(path))
    s.settle()  # until the upload and the run it asks for are done (tests/streamlit_wait.py)


def main_text(s: Session, *own: str) -> str:
    """The visible text of the page, without the names of the files the test uploaded."""
    text = s.page.evaluate(VISIBLE_TEXT)
    for name in own:
        text = text.replace(name, "«fil»")
    return text


def english_in(text: str) -> list[str]:
    for a in A11Y:
        text = a.sub("", text) if isinstance(a, re.Pattern) else text.replace(a, "")
    hits = [w for w in ENGLISH if re.search(rf"(?<![\w/-]){re.escape(w)}(?![\w/-])", text, re.I)]
    hits += [w for w in ("not allowed", "text/csv", "known:", "kjente: actions") if w in text]
    return hits + SNAKE.findall(text) + WRONG_PLURAL.findall(text)


def test_one_csv_file_on_the_dataset_upload_gets_a_norwegian_answer(browser, server, tmp_path):
    s = Session(browser, server)
    page = s.page
    s.open("Data")

    # A Prosjektportalen CSV export: not a kind, and the pointer to the import section.
    pp = tmp_path / "Porteføljestatus.csv"
    pp.write_bytes(("\ufeff" + "\r\n".join([PP_HEADER, *PP_ROWS]) + "\r\n").encode("utf-8"))
    upload(s, pp)
    page.get_by_text("Porteføljestatus.csv har ikke navnet til en posttype").wait_for()
    text = main_text(s, pp.name)
    assert "Filen ser ut som en porteføljeeksport fra Prosjektportalen" in text
    assert "«Importer fra Prosjektportalen eller IKT-register» nedenfor" in text
    assert "lastes opp som .zip av mappen (manifest.yaml" in text
    assert "Grafen er uendret: Nye Asker (medfølgende)" in text
    assert not english_in(text), english_in(text)

    # A CSV that is neither a kind nor an export: what a single file must be named.
    other = tmp_path / "notater.csv"
    other.write_text("dato;notat\n2025-01-30;Møte i styringsgruppa\n", encoding="utf-8")
    upload(s, other)
    page.get_by_text("notater.csv har ikke navnet til en posttype").wait_for()
    text = main_text(s, other.name)
    assert "for eksempel prosjekter.csv eller statusrapporter.csv" in text
    assert "Filen ser ut som en porteføljeeksport" not in text  # no false import hint
    assert "En eksport fra Prosjektportalen eller et IKT-register lastes opp under" in text
    assert not english_in(text), english_in(text)

    # One file of the bundled dataset, as it is: its rows point into files it does not hold.
    projects = tmp_path / "projects.csv"
    projects.write_bytes((ROOT / "data" / "nye-asker" / "projects.csv").read_bytes())
    upload(s, projects)
    page.get_by_text("viser til poster i andre filer i datasettet").wait_for()
    s.settle()
    # the problems' «Kolonne» cells are the file's own header, as written (steering_body): data
    header = set(projects.read_text(encoding="utf-8").split("\n", 1)[0].split(","))
    text = main_text(s, projects.name)
    text = "\n".join("«kolonne»" if line in header else line for line in text.split("\n"))
    assert "en enkelt CSV-fil lastes bare når den står på egne ben" in text
    # kinds by their Norwegian names (projects.csv's owner/leader/source columns)
    for nb in ("kilder", "organer", "personer", "organisasjoner"):
        assert re.search(rf"\([^)]*\b{nb}\b", text), nb
    assert "viser ikke til noen post i kilder" in text  # S000 in the source column, row 2
    assert "Grafen er uendret: Nye Asker (medfølgende)" in text
    assert not english_in(text), english_in(text)

    # A workbook with a sheet that is no kind: the known kinds by their Norwegian names.
    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    book.active.append(["id", "title"])
    book.active.append(["X", "Y"])
    xlsx = tmp_path / "arbeidsbok.xlsx"
    book.save(xlsx)
    upload(s, xlsx)
    page.get_by_text("arbeidsbok.xlsx ble ikke lastet").wait_for()
    s.settle()
    text = main_text(s, xlsx.name)
    assert "'Ark1' er ikke en kjent posttype (kjente: avhengigheter, beslutninger," in text
    assert "budsjettlinjer" in text and "statusrapporter" in text and "tiltak" in text
    assert "budget_lines" not in text and "status_reports" not in text
    assert not english_in(text), english_in(text)

    # A type no dataset has: refused by the app in Norwegian, not by Streamlit in English.
    doc = tmp_path / "notat.docx"
    doc.write_bytes(b"PK\x03\x04 not really a document")
    upload(s, doc)
    page.get_by_text("filtypen '.docx' støttes ikke").wait_for()
    text = main_text(s, doc.name)
    assert ".zip, .xlsx, .csv" in text
    assert not english_in(text), english_in(text)

    # A kind named in Norwegian that stands on its own: loaded, 2 records, and shown.
    sources = tmp_path / "kilder.csv"
    sources.write_text(
        "id;title;doc_type;issued;source\n"
        "S1;Prosjektplan Digitale Vestby;report;2025-01-15;S1\n"
        "S2;Referat fra styringsgruppa;report;2025-02-03;S1\n",
        encoding="utf-8",
    )
    upload(s, sources)
    page.get_by_text("Lastet kilder.csv: 2 poster").wait_for()
    s.settle()
    text = main_text(s, sources.name)
    assert "Kilder («fil»)" in text  # the dataset is named by its kind in Norwegian
    assert "ble ikke lastet" not in text
    assert not english_in(text), english_in(text)
    assert "Traceback" not in text
    assert not real_errors(s), s.errors
    s.close()

    # The same export in English: the same answer, in English.
    en = Session(browser, server, locale="en-GB")
    en.open("Data")
    en.page.locator('[data-testid="stFileUploader"]').filter(has_text="Choose a file").locator(
        '[data-testid="stFileUploaderDropzoneInput"]'
    ).set_input_files(str(projects))
    en.settle()
    en.page.get_by_text("refers to records in other files of the dataset").wait_for()
    text = en.page.evaluate(VISIBLE_TEXT)
    assert "refers to no record in sources" in text
    assert "viser til poster" not in text and "ble ikke lastet" not in text
    en.close()
