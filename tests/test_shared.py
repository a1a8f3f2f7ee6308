"""Edits on every backend, and several app processes on one server (issue 17, part 5).

The same contract on the embedded store, a real Oxigraph server (SPARQL 1.1 + Graph Store
Protocol + Update) and a real Neo4j 5 (tests/servers.py starts both): an editor adds a
dependency with a rationale, and a *second handle* on the same graph (what another app process
holds) sees it at its next read: in impact, in the item's history with her name. A reader's
forged write is refused and changes nothing. Two editors collide: the second gets the first
one's change and nothing is lost. On the servers another OS process saves too, and this one's
version moves (the app's caches are keyed by it).

Golden facts come from data/nye-asker/dependencies.csv, which cites the seed: D1 is «A4
depends_on A2», criticality primary (S000 L1857-1860); nothing in the dataset makes A7
depend on A4, so A7 must NOT be in A4's impact before the edit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from servers import neo4j_server, oxigraph_server  # noqa: F401 - fixtures

from graph import changes, edits, shared
from graph.access import AccessDenied, Identity, Role
from graph.analysis import impact
from graph.netx import to_networkx
from graph.push import push
from graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
KARI = Identity("kari-sub-1", "Kari Nordmann", Role.EDITOR)
OLA = Identity("ola-sub-2", "Ola Hansen", Role.EDITOR)
READER = Identity("per-sub-3", "Per Leser", Role.READER, extra={"forged": True})
BASE = "https://data.kommunegraf.no/nye-asker/"
NEW_DEP = {
    "id": "D900",
    "from": "A7",
    "to": "A4",
    "type": "depends_on",
    "criticality": "high",
    "evidence": "explicit",
    "rationale": "Styremøtet 3. mars: gevinstrealisering venter på A4",
    "source": "S001",
}
BACKENDS = ["embedded", "sparql", "neo4j"]


def node(name: str) -> str:
    return f"{BASE}project/{name}"


@pytest.fixture(scope="module")
def loaded(nye_asker_store: Path) -> Path:
    return nye_asker_store  # built once per run (tests/conftest.py); only read, or copied to write


class Backend:
    """A fresh copy of the bundled graph on one backend, and handles on it (one per 'process')."""

    def __init__(self, name: str, loaded: Path, tmp: Path, request) -> None:
        self.name, self.env = name, {}
        self.handles: list = []
        if name == "embedded":
            self.path = tmp / "store"
            shutil.copytree(loaded, self.path, symlinks=True)
            self.env = {"KG_BACKEND": "embedded", "KG_STORE": str(self.path)}
        elif name == "sparql":
            server = request.getfixturevalue("oxigraph_server")
            self.options = {
                "query_url": server.query_url,
                "store_url": server.store_url,
                "update_url": server.query_url.replace("/query", "/update"),
            }
            push(open_store("embedded", path=loaded, read_only=True), self.open())
            self.env = {
                "KG_BACKEND": "sparql",
                "KG_SPARQL_QUERY_URL": self.options["query_url"],
                "KG_SPARQL_STORE_URL": self.options["store_url"],
                "KG_SPARQL_UPDATE_URL": self.options["update_url"],
            }
        else:
            self.server = request.getfixturevalue("neo4j_server")
            push(open_store("embedded", path=loaded, read_only=True), self.server.store())
            self.env = {
                "KG_BACKEND": "neo4j",
                "KG_NEO4J_URI": self.server.uri,
                "KG_NEO4J_PASSWORD_FILE": str(self.server.password_file),
            }

    def open(self):
        if self.name == "embedded":
            store = open_store("embedded", path=self.path)
        elif self.name == "sparql":
            store = open_store("sparql", **self.options)
        else:
            store = shared.Neo4jReplica(self.server.store())
        self.handles.append(store)
        return store

    def close(self) -> None:
        for h in self.handles:
            h.close()


@pytest.fixture(params=BACKENDS)
def backend(request, loaded, tmp_path):
    b = Backend(request.param, loaded, tmp_path, request)
    yield b
    b.close()


def reached(store, start: str) -> set[str]:
    return {r.node for rs in impact(to_networkx(store), node(start)).values() for r in rs}


def test_an_editor_adds_a_dependency_and_another_process_sees_it(backend):
    mine, other = backend.open(), backend.open()
    seen = shared.version(other)
    assert node("A7") not in reached(other, "A4")  # not in the documents: the edit adds it

    saved = edits.save(
        mine, KARI, "dependencies", NEW_DEP, reason="Vedtatt i styremøtet", expected=""
    )

    assert saved.item is not None and saved.item.values == NEW_DEP
    assert (saved.change.who, saved.change.reason) == ("Kari Nordmann", "Vedtatt i styremøtet")
    mine_log = changes.history(mine, BASE, saved.item.iri)  # the saving process reads it back
    assert [(c.who, c.reason) for c in mine_log] == [("Kari Nordmann", "Vedtatt i styremøtet")]
    assert shared.version(other) != seen  # the other process's caches must be rebuilt
    ds = edits.dataset(other)
    item = edits.read_item(other, ds, "dependencies", "D900")
    assert item is not None and item.values == NEW_DEP and item.graphs == {BASE + "graph/edits"}
    assert node("A7") in reached(other, "A4")
    log = changes.history(other, BASE, item.iri)
    assert [(c.who, c.action, c.reason) for c in log] == [
        ("Kari Nordmann", "add", "Vedtatt i styremøtet")
    ]
    assert log[0].after["rationale"] == NEW_DEP["rationale"]
    if backend.name == "neo4j":  # the property graph changed too: Cypher answers in the engine
        from graph.queries import run

        rows = run(other.server, "dependents", {"project": "A4"}).dicts()
        a7 = [r for r in rows if r["code"] == "A7"]
        assert a7 and a7[0]["rationale"] == NEW_DEP["rationale"] and a7[0]["depth"] == 1


def test_a_readers_forged_write_is_refused_and_changes_nothing(backend):
    store = backend.open()
    was = shared.version(store)
    with pytest.raises(AccessDenied) as e:
        edits.save(store, READER, "dependencies", NEW_DEP, reason="forfalsket", expected=None)
    assert "leser" in e.value.message("nb") and "reader" in e.value.message("en")
    with pytest.raises(AccessDenied):
        edits.save(store, READER, "dependencies", None, reason="slett", key="D1")
    assert shared.version(store) == was
    ds = edits.dataset(store)
    assert edits.read_item(store, ds, "dependencies", "D900") is None
    assert edits.read_item(store, ds, "dependencies", "D1") is not None
    assert changes.changes(store, BASE) == []


def test_two_editors_collide_and_the_second_gets_the_conflict(backend):
    kari_app, ola_app = backend.open(), backend.open()
    ds = edits.dataset(kari_app)
    d1 = edits.read_item(ola_app, ds, "dependencies", "D1")
    assert (d1.values["from"], d1.values["to"], d1.values["criticality"]) == ("A4", "A2", "primary")
    read_by_both = d1.version
    edits.save(
        kari_app,
        KARI,
        "dependencies",
        {**d1.values, "criticality": "high"},
        key="D1",
        expected=read_by_both,
        reason="Kari: nedgradert etter styremøtet",
    )
    with pytest.raises(edits.Conflict) as e:
        edits.save(
            ola_app,
            OLA,
            "dependencies",
            {**d1.values, "rationale": "Ola sin tekst"},
            key="D1",
            expected=read_by_both,
            reason="Ola: ny begrunnelse",
        )
    assert e.value.other is not None and e.value.other.who == "Kari Nordmann"
    assert "Kari: nedgradert" in e.value.message("nb") and "criticality=high" in e.value.message(
        "en"
    )
    shared.version(ola_app)
    now = edits.read_item(ola_app, ds, "dependencies", "D1")
    assert now.values["criticality"] == "high" and now.values["rationale"] == d1.values["rationale"]
    assert [c.who for c in changes.history(ola_app, BASE, now.iri)] == ["Kari Nordmann"]
    # Ola reads again and re-applies: both changes are kept, in the trail too
    edits.save(
        ola_app,
        OLA,
        "dependencies",
        {**now.values, "rationale": "Ola sin tekst"},
        key="D1",
        expected=now.version,
        reason="Ola: ny begrunnelse",
    )
    shared.version(kari_app)  # Kari's next page run: the app reads the version first
    final = edits.read_item(kari_app, ds, "dependencies", "D1")
    assert (final.values["criticality"], final.values["rationale"]) == ("high", "Ola sin tekst")
    assert [c.who for c in changes.history(kari_app, BASE, final.iri)] == [
        "Ola Hansen",
        "Kari Nordmann",
    ]
    # undo is one more change set, on every backend
    undone = edits.undo(
        kari_app, KARI, changes.history(kari_app, BASE, final.iri)[0].id, reason="x"
    )
    assert undone.item is not None and undone.item.values["rationale"] == d1.values["rationale"]


SAVE_ELSEWHERE = """
import json, sys
from graph import edits, shared
from graph.access import Identity, Role
from graph.config import backend_options
import os
name = os.environ["KG_BACKEND"]
if name == "embedded":
    from graph.store import open_store
    store = open_store("embedded", path=os.environ["KG_STORE"])
else:
    store = shared.open_shared(name, **backend_options(name))
saved = edits.save(store, Identity("ola-sub-2", "Ola Hansen", Role.EDITOR), "dependencies",
                   json.loads(sys.argv[1]), reason="fra den andre prosessen", expected="")
print(shared.version(store))
"""


def test_an_edit_in_another_os_process_moves_this_ones_version(backend):
    mine = backend.open()
    before = shared.version(mine)
    env = {**os.environ, **backend.env, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", SAVE_ELSEWHERE, json.dumps({**NEW_DEP, "id": "D901"})],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    after = shared.version(mine)
    assert after != before and after == out.stdout.strip().splitlines()[-1]
    item = edits.read_item(mine, edits.dataset(mine), "dependencies", "D901")
    assert item is not None and item.values["from"] == "A7"
    assert [c.who for c in changes.history(mine, BASE, item.iri)] == ["Ola Hansen"]


def test_kg_changes_lists_the_servers_change_sets(backend, monkeypatch, capsys):
    edits.save(
        backend.open(), KARI, "dependencies", NEW_DEP, reason="Vedtatt i styremøtet", expected=""
    )
    for k, v in backend.env.items():
        monkeypatch.setenv(k, v)
    from graph.cli import main

    assert main(["changes", "--backend", backend.name, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [(r["who"], r["action"], r["key"], r["reason"]) for r in rows] == [
        ("Kari Nordmann", "add", "D900", "Vedtatt i styremøtet")
    ]
    assert rows[0]["after"]["rationale"] == NEW_DEP["rationale"]
