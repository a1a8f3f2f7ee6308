"""The app on a server store: every page with ``KG_BACKEND=sparql`` and ``KG_BACKEND=neo4j``.

The bundled nye Asker graph is pushed to a real Oxigraph server and a real Neo4j
(tests/servers.py); the app (streamlit.testing's AppTest, the real app.py) then opens the
server instead of a store folder. Every page must run without an exception or an error box,
and show the documents' facts (A4's latest status «På plan», S000 via data/nye-asker). An edit
saved by another handle on the same server (another app process) must show at the app's next
rerun: one more dependency on the overview, the new one in A4's impact.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT
from servers import neo4j_server, oxigraph_server  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from graph import edits, shared
from graph.access import Identity, Role
from graph.push import push
from graph.store import open_store

APP = str(ROOT / "app.py")
PAGES = ["overview", "explorer", "impact", "governance", "ict", "sdg", "kpis", "console", "data"]
KARI = Identity("kari-sub-1", "Kari Nordmann", Role.EDITOR)


@pytest.fixture(scope="module")
def loaded(nye_asker_store: Path) -> Path:
    return nye_asker_store  # built once per run (tests/conftest.py); only read, or copied to write


@pytest.fixture(scope="module", params=["sparql", "neo4j"])
def server(request, loaded, tmp_path_factory):
    """The graph pushed to the server, and the environment an app process on it gets: pushed
    once per server for the module (pytest runs a server's tests together, in file order, so
    the test that saves an edit comes after the one that reads the graph as pushed)."""
    source = open_store("embedded", path=loaded, read_only=True)
    if request.param == "sparql":
        ox = request.getfixturevalue("oxigraph_server")
        # Oxigraph's own union of the named graphs: ten times faster than naming them all
        # (graph/remote.py), and the whole-graph queries of the networkx view stay well under
        # the server's 15 s limit on a busy machine.
        env = {
            "KG_SPARQL_QUERY_URL": ox.query_url + "?union-default-graph",
            "KG_SPARQL_DATASET": "server",
            "KG_SPARQL_STORE_URL": ox.store_url,
            "KG_SPARQL_UPDATE_URL": ox.query_url.replace("/query", "/update"),
        }
        target = open_store(
            "sparql",
            query_url=ox.query_url,
            store_url=ox.store_url,
            update_url=env["KG_SPARQL_UPDATE_URL"],
        )
        push(source, target)
    else:
        neo = request.getfixturevalue("neo4j_server")
        env = {"KG_NEO4J_URI": neo.uri, "KG_NEO4J_PASSWORD_FILE": str(neo.password_file)}
        push(source, neo.store())
    no_store = tmp_path_factory.mktemp("app-server") / "no-store-here"
    env |= {"KG_BACKEND": request.param, "KG_STORE": str(no_store)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield request.param
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
    return at


def shown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [m.value for m in at.title] + [m.value for m in at.subheader]
    for kind in (at.warning, at.info, at.success):
        parts += [m.value for m in kind]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv(index=False))
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def test_every_page_runs_on_the_server(server):
    for page in PAGES:
        at = run(page)
        # (the impact page shows a milestone at risk as an error box: that is its answer)
        failed = [e.value for e in at.error if "er i fare" not in e.value]
        assert not failed, (page, failed)
        assert at.title, page
    at = run()
    # the server holds whatever was pushed: it is named as the shared graph, not "bundled"
    assert at.selectbox(key="w_dataset").options == ["Felles graf på tjeneren"]
    overview = shown(at)
    assert "medfølgende" not in overview
    a4 = next(line for line in overview.splitlines() if line.startswith("A4,"))
    assert "● På plan" in a4  # A4's latest status report (data/nye-asker/status_reports.csv)
    assert not (Path(os.environ["KG_STORE"])).exists()  # no local store was built


def test_an_edit_by_another_process_shows_at_the_next_rerun(server):
    at = run()
    before = {m.label: int(m.value) for m in at.metric}["Avhengigheter"]
    from graph.config import backend_options

    other = shared.open_shared(server, **backend_options(server))  # another app process's handle
    edits.save(
        other,
        KARI,
        "dependencies",
        {
            "id": "D900",
            "from": "A7",
            "to": "A4",
            "type": "depends_on",
            "evidence": "explicit",
            "rationale": "Gevinstrealisering venter på A4",
            "source": "S001",
        },
        reason="Vedtatt i styremøtet",
        expected="",
    )
    at.run()  # the next rerun of the same session
    assert not at.exception
    after = {m.label: int(m.value) for m in at.metric}["Avhengigheter"]
    assert after == before + 1
