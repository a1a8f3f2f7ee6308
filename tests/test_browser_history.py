"""The History page in real headless Chromium (issue 18, part 2): each project's status over time
in Prosjektportalen colours and the diff between two chosen dates.

The history is built by the test: three monthly Prosjektportalen exports of «Nye Testby» written
cell by cell in tests/fixtures/importers/testby.py (January and February as XLSX with openpyxl,
March as a semicolon CSV the way Excel saves it), imported with ``kg import pp`` into a temporary store, and the app started on
that store. The expected statuses and colours are the cells written below and Prosjektportalen's
default colours (/work/shared/domain/prosjektportalen.md §1.3: «På plan» green, «Mindre
forsinkelser» amber, «Forsinket» red).

T1 Skolebygg: schedule På plan → Mindre forsinkelser → Forsinket; budget På budsjett throughout.
T2 Ny saksbehandling: in January only (left out of February's and March's exports).
T3 Velferdsteknologi: first in February.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import openpyxl
import pytest
from test_browser import CHROMIUM, Server, Session
from test_browser_app import A11Y, ENGLISH, SNAKE, VISIBLE_TEXT, WRONG_PLURAL, real_errors

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "importers"))
from testby import FEB, JAN, MAR, MONTHS, add_edit, build_store  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
sync_api = pytest.importorskip("playwright.sync_api")

GREEN, AMBER, RED = "green", "amber", "red"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-history")
    store = build_store(tmp)
    add_edit(store)
    srv = Server(store, tmp / "streamlit.log")
    yield srv
    srv.stop()


@pytest.fixture()
def session(browser, server):
    s = Session(browser, server)
    yield s
    s.close()


def visit(s: Session, server: Server, path: str) -> None:
    s.page.goto(server.url + path)
    s.settle()
    s.page.locator('[data-testid="kg-status-strip"]').wait_for()


def strip(page) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(dimension, ISO date) → (text, colour, state) of each cell of the strip on screen."""
    cells = page.evaluate("""() => [...document.querySelectorAll('[data-testid="kg-status-strip"] tbody tr')]
        .flatMap(tr => [...tr.querySelectorAll('td')].map(td => [tr.querySelector('th').textContent.trim(),
            td.dataset.date, td.textContent.trim(), td.dataset.colour, td.className]))""")
    return {(d, day): (text, col, cls.split("kg-")[-1].strip()) for d, day, text, col, cls in cells}


def headings(page) -> list[str]:
    return page.locator('[data-testid="kg-status-strip"] thead th').all_inner_texts()


def choose(page, label: str, text: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.click()
    page.locator('[role="option"]').filter(
        has_text=re.compile(f"^{re.escape(text)}$")
    ).first.click()


def grid_text(page) -> str:
    return "\n".join(
        page.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts()
    )


def test_the_strip_shows_each_months_status_in_pp_colours(session, server):
    s, page = session, session.page
    visit(s, server, "/history?project=T1")
    assert page.locator("h1").first.inner_text() == "Historikk"
    # one column per import, dated as the exports were, in Norwegian date format
    assert headings(page) == ["Status", "31.01.2024", "29.02.2024", "31.03.2024"]
    cells = strip(page)
    assert cells[("Status fremdrift", JAN)] == ("På plan", GREEN, "value")
    assert cells[("Status fremdrift", FEB)] == ("Mindre forsinkelser", AMBER, "value")
    assert cells[("Status fremdrift", MAR)] == ("Forsinket", RED, "value")
    assert {cells[("Status økonomi", d)] for d in MONTHS} == {("På budsjett", GREEN, "value")}
    assert cells[("Status risiko", MAR)] == ("Høy", RED, "value")
    assert cells[("Fase", MAR)][0] == "Gjennomføre" and cells[("Fase", JAN)][0] == "Planlegge"
    # the files have no quality or gains column: no row for them (not an empty grey row)
    assert {d for d, _ in cells} == {"Status fremdrift", "Status økonomi", "Status risiko", "Fase"}
    legend = page.locator('[data-testid="kg-status-legend"]').inner_text()
    for word in ("Grønn", "Gul", "Rød", "Grå", "ikke med i eksporten"):
        assert word in legend
    assert not real_errors(s), s.errors


def test_a_project_left_out_of_an_export_is_not_shown_as_current(session, server):
    s, page = session, session.page
    visit(s, server, "/history?project=T2")
    cells = strip(page)
    assert cells[("Status fremdrift", JAN)] == ("På plan", GREEN, "value")
    for day in (FEB, MAR):  # January's «På plan» must not carry on as if still reported
        assert cells[("Status fremdrift", day)] == ("ikke med i eksporten", "grey", "absent")
        assert cells[("Status økonomi", day)][0] != "Under budsjett"
    visit(s, server, "/history?project=T3")
    cells = strip(page)
    assert cells[("Status fremdrift", JAN)] == ("", "", "before")  # not yet in any export
    assert cells[("Status økonomi", MAR)] == ("Over budsjett", RED, "value")


def test_the_diff_between_two_chosen_dates(session, server):
    s, page = session, session.page
    visit(s, server, "/history?project=T1")
    choose(page, "Fra dato", "31.01.2024")
    s.settle()
    choose(page, "Til dato", "29.02.2024")
    s.settle()
    assert "from=2024-01-31" in page.url and "to=2024-02-29" in page.url  # a link to this view
    text = grid_text(page)
    assert "status fremdrift: På plan → Mindre forsinkelser (2024-02-28)" in text
    assert "ikke med i denne eksporten (2024-02-29)" in text  # T2 left out in February
    assert "T3 Velferdsteknologi" in text
    assert "Forsinket" not in text  # March's change is not between January and February
    # the link opens the same view: February to March
    visit(s, server, "/history?project=T1&from=2024-02-29&to=2024-03-31")
    text = grid_text(page)
    assert "status fremdrift: Mindre forsinkelser → Forsinket (2024-03-29)" in text
    assert "status økonomi: På budsjett → Over budsjett (2024-03-28)" in text
    assert "På plan → Mindre forsinkelser" not in text
    assert not real_errors(s), s.errors


def test_the_diff_downloads_as_excel(session, server, tmp_path):
    s, page = session, session.page
    visit(s, server, "/history?project=T1&from=2024-02-29&to=2024-03-31")
    with page.expect_download() as info:
        page.get_by_role("button", name="Last ned Excel").last.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path).active.iter_rows()]
    assert rows[0] == ["Kategori", "Gjelder", "Endring"]
    assert ["status", "T1 Skolebygg", "fase: Planlegge → Gjennomføre (2024-03-29)"] in rows


def test_the_history_page_is_norwegian(session, server):
    s, page = session, session.page
    visit(s, server, "/history?project=T2&from=2024-01-31&to=2024-03-31")
    for summary in page.locator('[data-testid="stExpander"] summary').all():
        summary.click()
        s.settle()
    text = page.evaluate(VISIBLE_TEXT)
    for a in A11Y:
        text = a.sub("", text) if isinstance(a, re.Pattern) else text.replace(a, "")
    hits = [w for w in ENGLISH if re.search(rf"(?<![\w/-]){re.escape(w)}(?![\w/-])", text, re.I)]
    hits += SNAKE.findall(text) + WRONG_PLURAL.findall(text)
    # diff categories and dimensions in Norwegian, never the codes graph.diff uses
    hits += [w for w in ("sources", "schedule", "budget", "not in the export") if w in text]
    assert not hits, hits
    assert "prosjekter" in text and "kilder" in text
    visit(s, server, "/history?project=T1&lang=en")
    assert page.locator("h1").first.inner_text() == "History"
    assert strip(page)[("Schedule", FEB)] == ("Minor delays", AMBER, "value")


def test_the_edits_made_in_the_app_are_listed_in_norwegian(session, server):
    s, page = session, session.page
    visit(s, server, "/history?project=T1")
    box = page.locator('[data-testid="stExpander"]').filter(has_text="Endringer gjort i appen (1)")
    box.locator("summary").click()
    s.settle()
    text = "\n".join(box.locator('[role="gridcell"]').all_inner_texts())
    assert "Kari Nordmann" in text and "Avtalt i styremøtet" in text
    assert "la til" in text and "avhengighet" in text
    assert "Kritikalitet: – → høy" in text and "Fra: – → T3" in text
    # the record's column names and codes are not shown raw
    for raw in ("criticality", "depends_on", "explicit", "dependencies", "add"):
        assert not re.search(rf"(?<![\w-]){raw}(?![\w-])", text), raw
