"""A one-shot ``kg`` command starts without the app's stack, and ``kg load`` builds the app's
views beside the store's write and compaction (issue 16: a fresh ``kg impact`` ≤ 0.5 s, ``kg load`` ≤ 10 s).

No timing is asserted: what is checked is what a command imports and where the views end up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NYE_ASKER, ROOT

from graph.store import open_store

HEAVY = ("rdflib", "pandas", "neo4j", "streamlit", "pyshacl")


def _python(code: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_STORE": str(store), "KG_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "store"
    done = _python(
        f"from graph.cli import main; raise SystemExit(main(['load', {str(NYE_ASKER)!r}]))", path
    )
    assert done.returncode == 0, done.stderr
    return path


def test_kg_impact_imports_neither_rdflib_nor_pandas_nor_the_neo4j_driver(store: Path) -> None:
    # A2 "Kommunikasjon" is a sub-project of the nye Asker programme (data/nye-asker/projects.csv)
    code = (
        "import sys, json\n"
        "from graph.cli import main\n"
        "rc = main(['impact', 'A2', '-f', 'json'])\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)\n"
        "raise SystemExit(rc)\n"
    )
    done = _python(code, store)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)  # the answer itself is there: one JSON document with rows
    assert body["rows"], body
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert loaded == [], f"kg impact imported {loaded}"


def test_kg_load_alone_imports_no_app_stack(store: Path) -> None:
    code = (
        "import sys, json\n"
        "import graph.cli\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = _python(code, store)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_prefixes_written_out_are_rdflibs() -> None:
    from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

    from ontology.terms import PREFIXES, iri

    expected = {"rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS}
    expected |= {"dct": DCTERMS, "prov": PROV, "org": ORG, "foaf": FOAF}
    for prefix, ns in expected.items():
        assert PREFIXES[prefix] == str(ns), prefix
    assert iri("skos:prefLabel") == str(SKOS.prefLabel)
    with pytest.raises(AttributeError):  # still a closed namespace: a typo fails
        iri("skos:prefLable")


def test_kg_push_defaults_are_graph_push_defaults() -> None:
    from graph import push
    from graph.cli import push as cli_push

    assert (cli_push.BATCH_ROWS, cli_push.TX_ROWS) == (push.BATCH_ROWS, push.TX_ROWS)


def test_the_views_built_during_compaction_belong_to_the_compacted_generation(store: Path) -> None:
    # The load compacts the generation it writes before it switches to it (issue 16, ninth
    # round): one generation, gen-1, holds the data, compacted, and every view file.
    s = open_store("embedded", path=store, read_only=True)
    gen = Path(s.opened).name
    views = sorted(p.name for p in (store / "views").iterdir())
    assert any(n.startswith(f"{gen}.netx-en-0.") for n in views), views  # KG_LANG=en above
    assert any(n.startswith(f"{gen}.labelled-") for n in views), views
    assert f"{gen}.viewlines.2.nq" in views
    # no compacted copy after the switch: nothing is left under any other generation's name
    assert gen == "gen-1" and not [n for n in views if not n.startswith("gen-1.")], views
    assert not (store / "gen-2").exists()


def test_compact_runs_meanwhile_once_and_a_failure_keeps_the_old_generation(
    tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.load import load

    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    empty = open_store("embedded", path=tmp_path / "empty")
    calls: list[str] = []
    assert empty.compact(meanwhile=lambda: calls.append("empty")) is False
    assert calls == ["empty"]  # nothing to compact: it runs all the same

    store = open_store("embedded", path=tmp_path / "store")
    load(store, mini)
    before, gen = sorted(map(str, store.quads())), store.generation
    assert store.compact(meanwhile=lambda: calls.append("ran")) is True
    assert calls == ["empty", "ran"] and store.generation != gen

    gen = store.generation

    def fail() -> None:
        raise RuntimeError("the views failed")

    with pytest.raises(RuntimeError):
        store.compact(meanwhile=fail)
    assert store.generation == gen  # not flipped, and the half-made copy is gone
    assert not (tmp_path / "store" / f"gen-{int(gen.name[4:]) + 1}").exists()
    assert sorted(map(str, store.quads())) == before
