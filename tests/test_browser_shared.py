"""Two app processes on one server, in headless Chromium, with a real OIDC sign-in (issue 17).

For each server backend (a real Oxigraph server, a real Neo4j: tests/servers.py) the bundled
graph is pushed there and TWO ``streamlit run app.py`` processes are started with
``KG_BACKEND`` pointing at it and sign-in at tools/oidc (mock-oauth2-server). Kari (an editor)
signs in to the first, adds «A7 depends on A4» with a rationale and sees it in the history with
her name. Ola signs in to the second process: the new dependency is in his list and its
history names Kari. The server then holds it: its change set says Kari, and A4's impact
reaches A7 (nothing in data/nye-asker/dependencies.csv makes A7 depend on A4).

Needs /usr/bin/chromium, Java (the OIDC server and Neo4j) and the oxigraph command; skipped
without them (fails in CI).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from oidc import oidc_server  # noqa: F401 - a fixture
from servers import AppServer, neo4j_server, oxigraph_server  # noqa: F401 - fixtures
from test_browser_edit import (
    ARTIFACTS,
    CHROMIUM,
    CLIENT_SECRET,
    choose,
    nav_names,
    new_page,
    settle,
    sign_in,
)

from graph import changes, edits, shared
from graph.analysis import impact
from graph.netx import to_networkx
from graph.push import push
from graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")


def start_app(tmp: Path, oidc, env: dict[str, str], name: str):
    srv = AppServer(
        tmp / f"streamlit-{name}.log",
        env={**env, "KG_STORE": str(tmp / f"no-store-{name}")},
        secrets=f"""
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "{secrets.token_hex(24)}"
client_id = "kommunegraf"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{oidc.metadata_url}"
""",
    )

    def stop() -> None:
        srv.stop()
        assert CLIENT_SECRET not in srv.log_path.read_text(), "the client secret was logged"

    return {"url": srv.url, "log": srv.log_path}, stop


@pytest.fixture(params=["sparql", "neo4j"])
def two_apps(request, tmp_path, oidc_server, nye_asker_store):  # noqa: F811 - the fixture imported above
    source = open_store("embedded", path=nye_asker_store, read_only=True)  # data/nye-asker
    if request.param == "sparql":
        ox = request.getfixturevalue("oxigraph_server")
        options = {
            "query_url": ox.query_url + "?union-default-graph",
            "dataset": "server",
            "store_url": ox.store_url,
            "update_url": ox.query_url.replace("/query", "/update"),
        }
        push(source, open_store("sparql", **options))
        env = {
            "KG_SPARQL_QUERY_URL": options["query_url"],
            "KG_SPARQL_DATASET": "server",
            "KG_SPARQL_STORE_URL": options["store_url"],
            "KG_SPARQL_UPDATE_URL": options["update_url"],
        }
    else:
        neo = request.getfixturevalue("neo4j_server")
        options = {"uri": neo.uri, "password_file": str(neo.password_file)}
        push(source, neo.store())
        env = {"KG_NEO4J_URI": neo.uri, "KG_NEO4J_PASSWORD_FILE": str(neo.password_file)}
    env["KG_BACKEND"] = request.param
    first, stop_first = start_app(tmp_path, oidc_server, env, "first")
    second, stop_second = start_app(tmp_path, oidc_server, env, "second")
    yield {"backend": request.param, "options": options, "first": first, "second": second}
    stop_first()
    stop_second()


def test_an_edit_in_one_app_process_is_seen_by_another(browser, two_apps):  # noqa: F811
    ctx, page = new_page(browser, two_apps["first"])
    sign_in(page, "kari", {"name": "Kari Nordmann", "roles": ["editor"]})
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Rediger").first.click()
    settle(page)
    page.wait_for_selector("text=Rediger avhengigheter")
    choose(page, "Fra (den som er avhengig)", "A7")
    choose(page, "Til (det som avhenges av)", "A4")
    page.get_by_label("Begrunnelse", exact=True).fill("Gevinstrealisering venter på A4")
    page.get_by_label("Hvorfor denne endringen (vises i historikken)").fill("Styremøtet 3. mars")
    page.get_by_role("button", name="Lagre").click()
    try:
        page.wait_for_selector("text=Lagret: la til", timeout=120_000)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"shared-{two_apps['backend']}-failed.png"))
        raise AssertionError("no save confirmation:\n" + page.inner_text("body")[-3000:]) from None
    settle(page)
    history = page.locator('[data-testid="stExpander"]').filter(has_text="Historikk for").first
    try:  # the rerun after a save draws the history line by line: wait for hers
        history.get_by_text("Kari Nordmann").first.wait_for(timeout=60_000)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"shared-{two_apps['backend']}-history.png"))
        raise AssertionError("no name in the history:\n" + history.inner_text()) from None
    assert "Styremøtet 3. mars" in history.inner_text()
    ctx.close()

    # the server holds it, with her name, and impact reaches A7 from A4
    store = shared.open_shared(two_apps["backend"], **two_apps["options"])
    ds = edits.dataset(store)
    log = changes.changes(store, ds.base)
    assert [(c.who, c.action, c.reason) for c in log] == [
        ("Kari Nordmann", "add", "Styremøtet 3. mars")
    ]
    key = log[0].key
    reached = impact(to_networkx(store), ds.base + "project/A4")
    assert ds.base + "project/A7" in {r.node for rs in reached.values() for r in rs}
    store.close()

    # the other app process shows it at its next run
    ctx, page = new_page(browser, two_apps["second"])
    sign_in(page, "ola", {"name": "Ola Hansen", "roles": ["editor"]})
    assert any("Rediger" in n for n in nav_names(page))
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Rediger").first.click()
    settle(page)
    page.wait_for_selector("text=Rediger avhengigheter")
    choose(page, "Avhengighet", key)
    settle(page)
    history = page.locator('[data-testid="stExpander"]').filter(has_text="Historikk for").first
    history.get_by_text("Kari Nordmann").first.wait_for(timeout=60_000)
    html = page.content()
    assert CLIENT_SECRET not in html and "eyJ" not in html  # no secret, no token shown
    ctx.close()
