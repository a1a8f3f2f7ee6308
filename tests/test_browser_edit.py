"""End to end: sign in at a real OIDC provider and edit the graph in headless Chromium.

The app runs as ``streamlit run app.py`` on 127.0.0.1 with a secrets file whose ``[auth]``
section points at tools/oidc/run.sh (mock-oauth2-server, a real OpenID Connect provider with a
login form: any user name plus a JSON object of claims). An editor (claims ``roles: [editor]``)
signs in there, adds a dependency «A7 depends on A4» with a rationale, and sees it in the
item's history with her name; the store then holds it and ``graph.analysis.impact`` reaches A7
from A4. A reader (signed in without a role, and one not signed in) sees no edit page and no
edit control. Nothing in the pages shows the client secret or a token.

Needs /usr/bin/chromium and Java (the OIDC server); skipped without them (fails in CI).
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
import streamlit_wait
from conftest import copy_store
from oidc import oidc_server  # noqa: F401 - a fixture
from servers import CHROMIUM, AppServer

ROOT = Path(__file__).resolve().parent.parent
# Chromium's flags and the one browser of the run: tests/conftest.py (chromium, browser).
CLIENT_SECRET = "client-secret-" + secrets.token_hex(8)
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def app(tmp_path_factory, oidc_server, nye_asker_store):  # noqa: F811 - the fixture imported above
    tmp = tmp_path_factory.mktemp("edit-app")
    # the bundled graph as the app's first visitor builds it (graph.load.load), a private copy
    # of the run's one build (the tests write edits to it)
    copy_store(nye_asker_store, tmp / "store")
    srv = AppServer(
        tmp / "streamlit.log",
        env={"KG_STORE": str(tmp / "store")},
        secrets=f"""
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "{secrets.token_hex(24)}"
client_id = "kommunegraf"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{oidc_server.metadata_url}"

[access]
role_claim = "roles"
""",
        start_seconds=90,
    )
    url, log_path = srv.url, srv.log_path
    yield {"url": url, "store": tmp / "store", "log": log_path}
    srv.stop()
    assert CLIENT_SECRET not in log_path.read_text(), "the client secret was logged"


def settle(page, extra: float = 0.0) -> None:
    """Until the app's runs are done (tests/streamlit_wait.py)."""
    streamlit_wait.settle(page, extra)


def new_page(browser, app):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    hosts: list[str] = []

    def route(r) -> None:  # the mock provider's page asks for a web font: never leave the machine
        host = r.request.url.split("/")[2].split(":")[0] if "://" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in (
            "127.0.0.1",
            "localhost",
        ):
            r.continue_()
        else:
            hosts.append(host)
            r.abort()

    ctx.route("**/*", route)
    ctx.add_init_script(streamlit_wait.INIT_SCRIPT)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    page.goto(app["url"] + "/")
    settle(page)
    return ctx, page


def sign_in(page, user: str, claims: dict) -> None:
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", user)
    page.fill("textarea[name=claims]", json.dumps(claims))
    page.click("input[type=submit]")
    page.wait_for_url(lambda u: "/oauth2callback" not in u and "/default/" not in u)
    settle(page)


def nav_names(page) -> list[str]:
    return page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()


def choose(page, label: str, text: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(text)
    page.locator('[role="option"]').filter(
        has_text=re.compile(f"^{re.escape(text)}( –|$)")
    ).first.click()


def test_an_editor_signs_in_adds_a_dependency_and_sees_it_in_the_history(browser, app):
    ctx, page = new_page(browser, app)
    assert not any("Rediger" in n for n in nav_names(page))  # not signed in: no edit page
    sign_in(page, "kari", {"name": "Kari Nordmann", "roles": ["editor"]})
    assert "Logget inn som" in page.content() and "Kari Nordmann" in page.content()
    assert any("Rediger" in n for n in nav_names(page))
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Rediger").first.click()
    settle(page)
    page.wait_for_selector("text=Rediger avhengigheter")
    choose(page, "Fra (den som er avhengig)", "A7")
    choose(page, "Til (det som avhenges av)", "A4")
    page.get_by_label("Begrunnelse", exact=True).fill(
        "Gevinstrealisering venter på Digitale Asker 2020"
    )
    page.get_by_label("Hvorfor denne endringen (vises i historikken)").fill(
        "Vedtatt i styremøtet 3. mars"
    )
    page.get_by_role("button", name="Lagre").click()
    try:
        page.wait_for_selector("text=Lagret: la til", timeout=60_000)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "edit-failed.png"), full_page=True)
        raise AssertionError(
            "no save confirmation; the page says:\n" + page.inner_text("body")[-3000:]
        ) from None
    settle(page)
    history = page.locator('[data-testid="stExpander"]').filter(has_text="Historikk for").first
    sync_api.expect(history).to_contain_text("Kari Nordmann", timeout=30_000)  # drawn last
    assert (
        "Kari Nordmann" in history.inner_text()
        and "Vedtatt i styremøtet 3. mars" in history.inner_text()
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "edit-saved.png"))
    html = page.content()
    assert (
        CLIENT_SECRET not in html and "id_token" not in html and "eyJ" not in html
    )  # no JWT shown
    ctx.close()

    # the store holds the new dependency with her name, and impact reaches A7 from A4
    from graph import changes, edits
    from graph.analysis import impact
    from graph.netx import to_networkx
    from graph.store import open_store

    store = open_store("embedded", path=app["store"], read_only=True)
    ds = edits.dataset(store)
    log = changes.changes(store, ds.base)
    assert [(c.who, c.action, c.reason) for c in log] == [
        ("Kari Nordmann", "add", "Vedtatt i styremøtet 3. mars")
    ]
    item = edits.read_item(store, ds, "dependencies", log[0].key)
    assert (item.values["from"], item.values["to"]) == ("A7", "A4")
    reached = impact(to_networkx(store), ds.base + "project/A4")
    assert ds.base + "project/A7" in {r.node for r in reached.get("Project", [])}


def test_a_reader_sees_no_edit_page_even_by_its_address(browser, app):
    ctx, page = new_page(browser, app)
    sign_in(page, "per", {"name": "Per Leser", "roles": ["reader"]})
    assert "Per Leser" in page.content()
    assert not any("Rediger" in n for n in nav_names(page))
    page.goto(app["url"] + "/edit")
    settle(page)
    assert page.get_by_role("button", name="Lagre").count() == 0
    assert page.locator("text=Rediger avhengigheter").count() == 0
    ctx.close()


def test_an_editor_changes_a_milestone_date_and_a_status_report_and_sees_both_in_the_history(
    browser, app
):
    """data/nye-asker/milestones.csv: ms-2016-06-nettsider «Nye Asker kommunes internettsider
    lansert», 2016-06 (S000 L1948); status_reports.csv: A4 2017-01-03 S000, gain «På plan»
    (L364). The editor moves the one and changes the other in the forms of the Edit page."""
    ctx, page = new_page(browser, app)
    sign_in(page, "kari", {"name": "Kari Nordmann", "roles": ["editor"]})
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Rediger").first.click()
    settle(page)
    page.get_by_text("Milepæler", exact=True).click()
    settle(page)
    page.wait_for_selector("text=Rediger milepæler")
    choose(page, "Milepæl", "ms-2016-06-nettsider")
    settle(page)
    date = page.get_by_label("Dato", exact=True)
    assert date.input_value() == "2016-06"  # as the CSV row says
    date.fill("2016-13-45")  # no such date: refused in Norwegian, naming the field
    page.get_by_label("Hvorfor denne endringen (vises i historikken)").fill(
        "Lanseringen ble flyttet til juli"
    )
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector("text=ikke lagret, ingenting er endret", timeout=60_000)
    settle(page)
    error = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "Milepæl ms-2016-06-nettsider, kolonne 'Dato'" in error and "2016-13-45" in error
    assert "milestones" not in error
    date = page.get_by_label("Dato", exact=True)
    date.fill("2016-07-01")
    page.get_by_label("Hvorfor denne endringen (vises i historikken)").fill(
        "Lanseringen ble flyttet til juli"
    )
    page.get_by_role("button", name="Lagre").click()
    saved(page, "Lagret: endret ms-2016-06-nettsider", "milestone")
    history = page.locator('[data-testid="stExpander"]').filter(has_text="Historikk for").first
    sync_api.expect(history).to_contain_text("Kari Nordmann", timeout=30_000)
    text = history.inner_text()
    assert "Kari Nordmann" in text and "Lanseringen ble flyttet til juli" in text
    assert "Dato: 2016-06 → 2016-07-01" in text  # the column in the form's words

    page.get_by_text("Statusrapporter", exact=True).click()
    settle(page)
    page.wait_for_selector("text=Rediger statusrapporter")
    choose(page, "Statusrapport", "A4 · 2017-01-03 · S000")
    settle(page)
    choose(page, "Status gevinst", "Forsinket")
    page.get_by_label("Kommentar til statusen").fill("Gevinstplanen er ikke klar")
    page.get_by_label("Hvorfor denne endringen (vises i historikken)").fill("Styremøtet 9. januar")
    page.get_by_role("button", name="Lagre").click()
    saved(page, "Lagret: endret A4|2017-01-03|S000", "status")
    history = page.locator('[data-testid="stExpander"]').filter(has_text="Historikk for").first
    sync_api.expect(history).to_contain_text("Kari Nordmann", timeout=30_000)
    text = history.inner_text()
    assert "Kari Nordmann" in text and "Styremøtet 9. januar" in text
    assert "Status gevinst: På plan → Forsinket" in text
    body = page.inner_text("section.stMain") if page.locator("section.stMain").count() else ""
    body = body or page.inner_text("body")
    for raw in ("status_gain", "status_reports", "milestones", "depends_on", "None", "Save"):
        assert raw not in body, f"'{raw}' shown on the Norwegian page"
    ctx.close()

    from graph import changes, edits
    from graph.store import open_store

    store = open_store("embedded", path=app["store"], read_only=True)
    ds = edits.dataset(store)
    ms = edits.read_item(store, ds, "milestones", "ms-2016-06-nettsider")
    assert ms.values["date"] == "2016-07-01" and ms.values["status"] == "done"  # rest kept
    st = edits.read_item(store, ds, "status_reports", "A4|2017-01-03|S000")
    assert (st.values["status_gain"], st.values["comment"]) == (
        "Forsinket",
        "Gevinstplanen er ikke klar",
    )
    assert st.values["status_time"] == "Mindre forsinkelse som kan tas igjen"  # untouched
    log = [(c.kind, c.key, c.who) for c in changes.changes(store, ds.base)][:2]
    assert log == [
        ("status_reports", "A4|2017-01-03|S000", "Kari Nordmann"),
        ("milestones", "ms-2016-06-nettsider", "Kari Nordmann"),
    ]


def saved(page, text: str, name: str) -> None:
    try:
        page.wait_for_selector(f"text={text}", timeout=60_000)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"edit-{name}-failed.png"), full_page=True)
        raise AssertionError(
            f"no «{text}»; the page says:\n" + page.inner_text("body")[-3000:]
        ) from None
    settle(page)


def test_two_editors_collide_on_a_milestone_and_the_second_sees_the_first_ones_change(browser, app):
    """Two browser sessions open ms-2016-05-12-intensjonsavtale (milestones.csv row 2, date
    2016-05-12, status done, S000 L291-301). Kari saves a new status; Ola, whose form still
    shows the old values, saves a new date: refused with Kari's change, nothing overwritten; the
    form then shows Kari's values and Ola's second save keeps both."""
    pages = []
    for user, name in (("ola", "Ola Hansen"), ("kari", "Kari Nordmann")):
        ctx, page = new_page(browser, app)
        sign_in(page, user, {"name": name, "roles": ["editor"]})
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Rediger").first.click()
        settle(page)
        page.get_by_text("Milepæler", exact=True).click()
        settle(page)
        choose(page, "Milepæl", "ms-2016-05-12-intensjonsavtale")
        settle(page)
        pages.append((ctx, page))
    (ola_ctx, ola), (kari_ctx, kari) = pages
    choose(kari, "Status", "planlagt")
    kari.get_by_label("Hvorfor denne endringen (vises i historikken)").fill("Ikke signert ennå")
    kari.get_by_role("button", name="Lagre").click()
    saved(kari, "Lagret: endret ms-2016-05-12-intensjonsavtale", "kari")
    kari_ctx.close()

    ola.get_by_label("Dato", exact=True).fill("2016-05-13")
    ola.get_by_label("Hvorfor denne endringen (vises i historikken)").fill("Riktig dato")
    ola.get_by_role("button", name="Lagre").click()
    ola.wait_for_selector("text=Konflikt:", timeout=60_000)
    settle(ola)
    text = ola.inner_text("body")
    assert "ble endret av Kari Nordmann" in text and "Ikke signert ennå" in text
    assert "Status: fullført → planlagt" in text  # the other's change, in words
    assert "Dato: 2016-05-12 → 2016-05-13" in text  # what Ola tried: not lost
    assert ola.get_by_label("Dato", exact=True).input_value() == "2016-05-12"  # Kari's values
    ola.get_by_label("Dato", exact=True).fill("2016-05-13")
    ola.get_by_label("Hvorfor denne endringen (vises i historikken)").fill("Riktig dato")
    ola.get_by_role("button", name="Lagre").click()
    saved(ola, "Lagret: endret ms-2016-05-12-intensjonsavtale", "ola")
    ola_ctx.close()

    from graph import edits
    from graph.store import open_store

    store = open_store("embedded", path=app["store"], read_only=True)
    ms = edits.read_item(
        store, edits.dataset(store), "milestones", "ms-2016-05-12-intensjonsavtale"
    )
    assert (ms.values["date"], ms.values["status"]) == ("2016-05-13", "planned")  # both kept


def test_the_edit_page_is_norwegian_for_each_kind(browser, app):
    """Issue 18: the edit page in nb, for each of its five kinds, both with a new record's empty
    form and with an existing record's values (the enum values shown as words, not codes), its
    history opened: no English word of the list and no raw snake_case code."""
    from test_browser_app import A11Y, ENGLISH, SNAKE, VISIBLE_TEXT, WRONG_PLURAL

    ctx, page = new_page(browser, app)
    sign_in(page, "kari", {"name": "Kari Nordmann", "roles": ["editor"]})
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Rediger").first.click()
    settle(page)
    kinds = page.locator('[data-testid="stMain"] [data-testid="stRadio"] [role="radiogroup"] label')
    names = kinds.all_inner_texts()
    assert names == ["Avhengigheter", "Statusrapporter", "Milepæler", "Risikoer", "Beslutninger"]
    found: dict[str, list[str]] = {}
    for name in names:
        kinds.filter(has_text=name).first.click()
        settle(page)
        texts = [page.evaluate(VISIBLE_TEXT)]
        picker = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
        picker.click()
        page.keyboard.press("ArrowDown")  # the first existing record after «new»
        page.keyboard.press("Enter")
        settle(page)
        for summary in page.locator('[data-testid="stExpander"] summary').all():
            summary.click()
        settle(page)
        texts.append(page.evaluate(VISIBLE_TEXT))
        text = "\n".join(texts)
        for a in A11Y:
            text = a.sub("", text) if isinstance(a, re.Pattern) else text.replace(a, "")
        hits = [
            w for w in ENGLISH if re.search(rf"(?<![\w/-]){re.escape(w)}(?![\w/-])", text, re.I)
        ]
        hits += SNAKE.findall(text) + WRONG_PLURAL.findall(text)
        if hits:
            found[name] = sorted(set(hits))
    assert not found, found
    ctx.close()
