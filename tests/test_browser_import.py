"""Issue 18, part 1: import in the app, in real headless Chromium.

The test builds a Prosjektportalen export with the municipality's OWN labels itself
(tests/fixtures/importers/renamed.py, openpyxl; not our exporter), uploads it on the data
page, accepts the proposed mapping where it is right («Prosjekt navn» → Tittel, «Fremdrift
(RAG)» → Status fremdrift: the suggestions of ``kg import suggest``) and corrects it where it
is not («Nr.», «Ansvarlig» and the traffic-light words), saves the mapping file, imports and
reads the report and the diff. February's export is then imported with the saved mapping file
and its diff row is checked. Every expected value is written by hand from that fixture.

What must NOT happen: the bundled dataset and the store on disk are not touched (no imports
or snapshots folder beside the server's store, the sidebar still shows the bundled graph),
another session does not see the import, no English or raw codes in the nb page, no traceback.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_store
from test_browser import CHROMIUM, Server, Session
from test_browser_app import A11Y, ENGLISH, SNAKE, VISIBLE_TEXT, WRONG_PLURAL, real_errors

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "importers"))
import renamed  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory, nye_asker_store):
    tmp = tmp_path_factory.mktemp("browser-import")
    # the bundled graph as the app's first visitor builds it (graph.load.load), copied from the
    # run's one build; tests/test_browser.py keeps a first visit that builds it in the app
    store = copy_store(nye_asker_store, tmp / "store")
    srv = Server(store, tmp / "streamlit.log")
    srv.folder = tmp
    yield srv
    srv.stop()


def choose(s: Session, label: str, option: str) -> None:
    """Pick ``option`` in the select box whose label is exactly ``label``."""
    page = s.page
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator(
            '[data-testid="stWidgetLabel"]', has_text=re.compile(f"^{re.escape(label)}$")
        )
    )
    assert box.count() == 1, (label, box.count())
    box.click()
    page.keyboard.type(option)
    page.locator('[role="option"]').filter(
        has_text=re.compile(f"^{re.escape(option)}$")
    ).first.click()
    s.settle()


def shown(s: Session, label: str) -> str:
    page = s.page
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator(
            '[data-testid="stWidgetLabel"]', has_text=re.compile(f"^{re.escape(label)}$")
        )
    )
    return box.locator("input").input_value()


def upload(s: Session, uploader: str, path: Path) -> None:
    s.page.locator('[data-testid="stFileUploader"]').filter(has_text=uploader).locator(
        '[data-testid="stFileUploaderDropzoneInput"]'
    ).set_input_files(str(path))
    s.settle()  # until the upload and the run it asks for are done (tests/streamlit_wait.py)


def english_in(text: str) -> list[str]:
    for a in A11Y:
        text = a.sub("", text) if isinstance(a, re.Pattern) else text.replace(a, "")
    hits = [w for w in ENGLISH if re.search(rf"(?<![\w/-]){re.escape(w)}(?![\w/-])", text, re.I)]
    hits += re.findall(r"\b\d+\.\d+ s\b", text)
    return hits + SNAKE.findall(text) + WRONG_PLURAL.findall(text)


def grid_text(s: Session) -> str:
    return s.page.evaluate(VISIBLE_TEXT)


def test_import_an_export_with_renamed_labels_and_see_report_and_diff(browser, server, tmp_path):
    s = Session(browser, server)
    page = s.page
    s.open("Data")
    # Given to the dataset upload, the export is refused as a dataset with a pointer to import.
    upload(s, "Velg fil", renamed.january(tmp_path))
    page.get_by_text("Filen ser ut som en porteføljeeksport fra Prosjektportalen").wait_for()
    upload(s, "Eksport eller register", renamed.january(tmp_path))
    page.get_by_text("Kolonnene i filen").wait_for()
    s.settle()
    # The proposal: known names recognised, close ones suggested, the rest left for the user.
    assert page.get_by_role("radio", name="en porteføljeeksport fra Prosjektportalen").is_checked()
    assert shown(s, "Prosjekt navn") == "Tittel"  # suggested (difflib), accepted as it is
    assert shown(s, "Fremdrift (RAG)") == "Status fremdrift"  # suggested, accepted
    assert shown(s, "Statusdato") == "Siste rapporteringsdato"  # a name the importer knows
    assert shown(s, "Nr.") == "(ikke i bruk)"  # no close field: left to the user
    assert shown(s, "Ansvarlig") == "(ikke i bruk)"
    choose(s, "Nr.", "Prosjektnummer")
    choose(s, "Ansvarlig", "Prosjektleder")
    # Now «Fremdrift (RAG)» is read, its traffic-light words are unknown values: map them.
    page.get_by_text("Ukjente verdier").wait_for()
    choose(s, "«Grønn» i Fremdrift (RAG)", "På plan")
    choose(s, "«Gul» i Fremdrift (RAG)", "Mindre forsinkelser")
    s.screenshot("import-kolonner")
    with page.expect_download() as info:
        page.get_by_role("button", name="Lagre kolonnefilen (YAML)").click()
    saved = tmp_path / "kolonner.yaml"
    info.value.save_as(saved)
    doc = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert doc["importer"] == "pp" and doc["header_row"] == 3  # below the title row
    assert doc["columns"]["Nr."] == "Prosjektnummer"
    assert doc["columns"]["Ansvarlig"] == "Prosjektleder"
    assert doc["values"]["Status fremdrift"] == {"Grønn": "På plan", "Gul": "Mindre forsinkelser"}
    # no import button before the municipality is named
    assert page.get_by_role("button", name="Importer", exact=True).is_disabled()
    page.get_by_label("Kommune").fill("Nye Vestby")
    page.get_by_label("Kommune").press("Enter")
    s.settle()
    page.get_by_role("button", name="Importer", exact=True).click()
    page.get_by_text("Importrapport").wait_for()
    s.settle()
    text = grid_text(s)
    assert "Importerte Prosjektportalen per 2025-01-30 til 'nye-vestby'" in text
    assert "2 prosjekter, 2 statusrapporter" in text
    # the date and why: the latest «Statusdato» of the file (30.01.2025, KS-2)
    assert "Dato 2025-01-30: den seneste datoen i kolonnen 'Statusdato' i filen." in text
    # «Ikke vurdert» in KS-2's «Risiko»: one cell without status, counted under its column
    assert re.search(r"Risiko\n1\b", text), text[-2000:]
    assert "Ingen tidligere import før 2025-01-30" in text
    assert not english_in(text), english_in(text)

    # February, with the saved mapping file: only the new word «Rød» needs a choice.
    upload(s, "Kolonnefil fra før", saved)
    upload(s, "Eksport eller register", renamed.february(tmp_path))
    page.get_by_text("Kolonnene i filen").wait_for()
    s.settle()
    assert shown(s, "Nr.") == "Prosjektnummer"  # from the saved file, not asked again
    assert page.locator('[data-testid="stSelectbox"]').filter(has_text="«Gul»").count() == 0
    choose(s, "«Rød» i Fremdrift (RAG)", "Forsinket")
    page.get_by_role("button", name="Importer", exact=True).click()
    page.get_by_text("Endringer i nye-vestby fra 2025-01-30 til 2025-02-27: 4").wait_for()
    s.settle()
    s.screenshot("import-februar")
    text = grid_text(s)
    assert "Importerte Prosjektportalen per 2025-02-27" in text
    assert "KS-2 Felles kundesenter" in text
    assert "status fremdrift: Mindre forsinkelser → Forsinket (2025-02-27)" in text
    assert "BH-3 Ny barnehage" in text and "nytt prosjekt" in text
    assert "Kategori" in text and "Endring" in text  # Norwegian headings
    assert not english_in(text), english_in(text)
    assert "Traceback" not in text

    # The bundled dataset is untouched: still the current one, nothing written beside its store.
    assert page.get_by_text("Nye Asker (medfølgende)").count() >= 1
    assert not (server.folder / "imports").exists()
    assert not (server.folder / "snapshots" / "nye-vestby").exists()
    assert "Nye Vestby" in page.locator('[data-testid="stMain"]').inner_text()  # in this session

    # A file that does not validate: refused whole, with file, row, column and value, in nb.
    rows = [list(r) for r in renamed.FEBRUARY]
    rows[1][7] = "32.03.2025"
    upload(s, "Eksport eller register", renamed.export(tmp_path, rows, "mars.xlsx"))
    page.get_by_text("Kolonnene i filen").wait_for()
    s.settle()
    page.get_by_role("button", name="Importer", exact=True).click()
    page.get_by_text("Importen av mars.xlsx ble avvist").wait_for()
    s.settle()
    text = grid_text(s)
    assert "mars.xlsx [Portefølje]" in text and "Statusdato" in text and "32.03.2025" in text
    assert "er ikke en dato vi kan lese" in text
    assert re.search(r"\n5\n", text)  # the row as Excel shows it (title, blank, header, 2 rows)
    assert "Traceback" not in text and "is not a date" not in text
    assert not real_errors(s), s.errors
    s.close()

    # Another session, in English, sees neither the import nor its dataset; it imports January
    # with the saved mapping file (no choice left to make) into its own store.
    other = Session(browser, server, locale="en-GB")
    page = other.page
    other.open("Data")
    main = page.locator('[data-testid="stMain"]')
    assert "Nye Vestby" not in main.inner_text() and "Import report" not in main.inner_text()
    upload(other, "A mapping file from before", saved)
    upload(other, "Export or register", renamed.january(tmp_path))
    page.get_by_text("The columns of the file").wait_for()
    other.settle()
    assert page.get_by_text("Unknown values").count() == 0
    page.get_by_label("Municipality").fill("Nye Vestby")
    page.get_by_label("Municipality").press("Enter")
    other.settle()
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Import report").wait_for()
    other.settle()
    text = grid_text(other)
    assert "Imported Prosjektportalen as of 2025-01-30 into 'nye-vestby'" in text
    assert "Date 2025-01-30: the latest date in the column 'Statusdato' of the file." in text
    assert "No earlier import before 2025-01-30" in text  # February was the other session's
    assert "Importerte" not in text and "Endringer i" not in text  # no Norwegian UI text in en
    assert not real_errors(other), other.errors
    other.close()
