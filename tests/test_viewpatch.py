"""The networkx view patched with another process's edits equals one built from scratch.

graph/viewpatch.py recomputes only the nodes and edges an edit touched. Here another
OS process saves (as a second app process would), this process patches the view it had, and
the result must equal a full build (graph.answers.common._labelled) of the graph now: every
node with its attributes, every edge with its key, qualifiers and certainty. On Neo4j the
patch runs where the app uses it (``graph_for`` on a :class:`Neo4jReplica`, the edits read from
the replica's log) and the full build must NOT have been called; on the embedded store the
edits' quads are the difference between the generation before and after.

Golden facts from data/nye-asker: A7, A4 and A2 are projects (projects.csv); D1 is «A4
depends_on A2» (dependencies.csv, S000 L1857-1860); nothing makes A7 depend on A4 or A2, so
before the edits there is no dependsOn edge A7 → A4 (asserted, so the patch has work to do).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from servers import neo4j_server  # noqa: F401 - fixture

from graph import shared, viewpatch
from graph.answers.common import _labelled, graph_for, label_nodes
from graph.push import push
from graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://data.kommunegraf.no/nye-asker/"
A2, A4, A7 = (f"{BASE}project/{x}" for x in ("A2", "A4", "A7"))
DEP = "https://data.kommunegraf.no/nye-asker/dependency/D900"

# Run in another OS process: each step is (kind, key or None, values or None, merge with the
# current values). Step 1 adds D900 A7 → A4; step 2 moves it to A2 as implied (its certainty
# becomes interpreted), changes D1's criticality, a milestone's date and a decision's
# organisations, then removes a risk; step 3 changes D900's rationale alone.
EDIT = """
import json, os, sys
from graph import edits, shared
from graph.access import Identity, Role
from graph.config import backend_options
from graph.store import open_store
name = os.environ["KG_BACKEND"]
if name == "embedded":
    store = open_store("embedded", path=os.environ["KG_STORE"])
else:
    store = shared.open_shared(name, **backend_options(name))
who = Identity("ola-sub-2", "Ola Hansen", Role.EDITOR)
for kind, key, values, merge in json.loads(sys.argv[1]):
    ds = edits.dataset(store)
    item = edits.read_item(store, ds, kind, key) if key else None
    if merge and item is not None:
        values = {**item.values, **values}
    edits.save(store, who, kind, values, key=key, reason="test",
               expected=item.version if item else "")
print(shared.version(store))
"""
ADD = [
    [
        "dependencies",
        None,
        {
            "id": "D900",
            "from": "A7",
            "to": "A4",
            "type": "depends_on",
            "criticality": "high",
            "evidence": "explicit",
            "rationale": "Styremøtet 3. mars",
            "source": "S001",
        },
        False,
    ]
]
MORE = [
    ["dependencies", "D900", {"to": "A2", "evidence": "implied", "rationale": "tolket"}, True],
    ["dependencies", "D1", {"criticality": "low"}, True],
    ["milestones", "ms-2016-06-nettsider", {"date": "2016-07-01", "status": "planned"}, True],
    ["decisions", "stortinget-kommunestruktur", {"about": "asker|hurum"}, True],
    ["risks", "RK9", None, False],
]
# Alone, after the others: only a literal of a record already in the edits graph, so the quads
# in and out name neither project; the patch must find the edge A7 → A2 through the record.
RATIONALE = [["dependencies", "D900", {"rationale": "bare tolket"}, True]]


def snapshot(g) -> tuple[dict, dict]:
    nodes = {n: dict(d) for n, d in g.nodes(data=True)}
    edges = {(u, v, k): dict(d) for u, v, k, d in g.edges(keys=True, data=True)}
    return nodes, edges


def deps(g, a: str, b: str) -> list[dict]:
    return [d for d in (g.get_edge_data(a, b) or {}).values() if d["predicate"] == "dependsOn"]


def edit_elsewhere(env: dict[str, str], steps: list) -> None:
    out = subprocess.run(
        [sys.executable, "-c", EDIT, json.dumps(steps)],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]


def check_after_add(g) -> None:
    (d,) = deps(g, A7, A4)
    assert d["rationale"] == "Styremøtet 3. mars" and d["certainty"] == "stated"


def check_after_more(g) -> None:
    assert deps(g, A7, A4) == []  # moved away: the old edge must NOT stay
    (d,) = deps(g, A7, A2)
    assert d["relation"] == DEP and d["certainty"] == "interpreted"


def check_after_rationale(g) -> None:
    (d,) = deps(g, A7, A2)
    assert d["rationale"] == "bare tolket" and d["certainty"] == "interpreted"


PHASES = ((ADD, check_after_add), (MORE, check_after_more), (RATIONALE, check_after_rationale))


@pytest.fixture(scope="module")
def loaded(nye_asker_store: Path) -> Path:
    return nye_asker_store  # built once per run (tests/conftest.py); only read, or copied to write


def test_embedded_patch_equals_a_fresh_build(loaded, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(loaded, path, symlinks=True)
    env = {"KG_BACKEND": "embedded", "KG_STORE": str(path)}
    g = _labelled(open_store("embedded", path=path), "nb")
    assert deps(g, A7, A4) == []
    for steps, check in PHASES:
        before = open_store("embedded", path=path, read_only=True)  # this generation, kept
        edit_elsewhere(env, steps)
        now = open_store("embedded", path=path, read_only=True)
        old, new = set(before.quads()), set(now.quads())
        assert new != old
        assert viewpatch.patch(now, g, old - new, new - old, "nb", label_nodes)
        assert snapshot(g) == snapshot(_labelled(now, "nb"))
        check(g)


def test_neo4j_view_follows_another_process_edits(loaded, neo4j_server):  # noqa: F811
    push(open_store("embedded", path=loaded, read_only=True), neo4j_server.store())
    env = {
        "KG_BACKEND": "neo4j",
        "KG_NEO4J_URI": neo4j_server.uri,
        "KG_NEO4J_PASSWORD_FILE": str(neo4j_server.password_file),
    }
    mine = shared.Neo4jReplica(neo4j_server.store())
    first = graph_for(mine, "nb")
    assert deps(first, A7, A4) == []
    builds: list[int] = []

    def build():  # the full build: must NOT run when the view can be patched
        builds.append(1)
        return _labelled(mine, "nb")

    for steps, check in PHASES:
        seen = shared.version(mine)
        edit_elsewhere(env, steps)
        assert shared.version(mine) != seen  # the replica caught up with the other process
        g = viewpatch.follow(mine, "nb", build, label_nodes)
        assert builds == []
        assert snapshot(g) == snapshot(_labelled(mine, "nb"))
        check(g)
    assert deps(first, A7, A4) == []  # the view handed out earlier is not changed under it
    mine.close()


def test_a_source_documents_type_is_not_patched(loaded):
    """A change that reaches past the nodes it names makes the caller build again."""
    import pyoxigraph as ox

    from ontology.terms import KG

    store = open_store("embedded", path=loaded, read_only=True)
    g = _labelled(store, "nb")
    q = ox.Quad(
        ox.NamedNode(f"{BASE}source/S001"),
        ox.NamedNode(KG["documentType"]),
        ox.Literal("register"),
        ox.NamedNode(f"{BASE}graph/sources"),
    )
    before = snapshot(g)
    assert not viewpatch.patch(store, g, [], [q], "nb", label_nodes)
    assert snapshot(g) == before
