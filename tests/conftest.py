"""Shared fixtures: the bundled nye Asker graph (loaded once), tiny datasets built in code, and
the expensive start-ups shared by the whole run: one Neo4j (emptied for each module that uses
it) and one OIDC provider (tests/servers.py, tests/oidc.py), and one headless Chromium (a fresh
context per test, as before).

Fixtures for new tests: ``synth10k`` (a 10k-preset synthetic dataset per seed, generated once
per run), ``optimize_calls`` (the compactions of store generations made during a test),
``nye_asker_store`` (a store of data/nye-asker built once: copy it with
``copy_store`` to write) and ``asker_copy`` (such a copy, opened, per test); ``neo4j_server``,
``oxigraph_server``, ``oidc_server`` and ``browser`` need no import.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from oidc import oidc_process, oidc_server  # noqa: F401 - fixtures, one per run
from servers import (  # noqa: F401 - fixtures, and the one Chromium launch line
    CHROMIUM,
    CHROMIUM_ARGS,
    neo4j_process,
    neo4j_server,
    oxigraph_server,
)

from graph import embedded, synth
from graph.load import load
from graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
NYE_ASKER = ROOT / "data" / "nye-asker"

MINI = {
    "sources": [{"id": "S1", "title": "Prosjektplan", "doc_type": "slides"}],
    "organizations": [
        {"id": "kommune-a", "name": "Kommune A", "type": "municipality", "org_form": "kommune"},
        {"id": "iks-x", "name": "IKT X IKS", "type": "inter_municipal", "org_form": "IKS"},
    ],
    "bodies": [
        {"id": "styret", "name": "Styret", "type": "prosjektstyre"},
        {"id": "radet", "name": "Rådet", "type": "fellesnemnd", "level": "politisk"},
    ],
    "reporting_lines": [{"from": "styret", "to": "radet"}],
    "projects": [
        {
            "id": "P1",
            "code": "P1",
            "title": "Første prosjekt",
            "type": "project",
            "phase": "Konsept",
        },
        {
            "id": "P2",
            "code": "P2",
            "title": "Andre prosjekt",
            "type": "project",
            "start": "2017-01-01",
        },
    ],
    "dependencies": [
        {
            "id": "D1",
            "from": "P2",
            "to": "P1",
            "type": "depends_on",
            "evidence": "explicit",
            "rationale": "P2 trenger P1",
            "criticality": "primary",
        },
    ],
    "budget_lines": [
        {
            "id": "B1",
            "title": "Drift",
            "organization": "kommune-a",
            "year": "2017",
            "type": "drift",
            "amount": "1000",
        }
    ],
}


def write_dataset(
    folder: Path, tables: dict[str, list[dict]], name: str = "mini", **csv_opts
) -> Path:
    """Write ``tables`` as a dataset folder; every row gets source S1 unless it says otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.yaml").write_text(
        f"name: {name}\nbase: https://example.org/{name}/\n", encoding="utf-8"
    )
    for kind, rows in tables.items():
        rows = [{"source": "S1", **r} if kind != "sources" else {"source": "S1", **r} for r in rows]
        header = list(dict.fromkeys(k for r in rows for k in r))
        with open(
            folder / f"{kind}.csv", "w", newline="", encoding=csv_opts.get("encoding", "utf-8")
        ) as f:
            w = csv.DictWriter(f, header, delimiter=csv_opts.get("delimiter", ","))
            w.writeheader()
            w.writerows(rows)
    return folder


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "mini", MINI)


@pytest.fixture(scope="session")
def asker():
    """The bundled nye Asker dataset in an in-memory store (loaded once per test run)."""
    store = open_store("memory")
    load(store, NYE_ASKER)
    return store


@pytest.fixture(scope="session")
def synth10k(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """``synth10k(seed)``: the folder of graph/synth.py's "10k" preset made with ``seed``,
    generated once per seed per run. Read only (copy it to change it)."""
    made: dict[int, Path] = {}

    def folder(seed: int) -> Path:
        if seed not in made:
            out = tmp_path_factory.mktemp(f"synth{seed}") / "s10k"
            preset = synth.PRESETS["10k"]
            synth.generate(out, preset.municipalities, seed=seed, density=preset.density)
            made[seed] = out
        return made[seed]

    return folder


@pytest.fixture
def optimize_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One "optimize" for every compaction of a new store generation (graph/embedded.py's
    ``_optimize``) during the test, which still compacts."""
    calls: list[str] = []
    optimize = embedded._optimize

    def counted(writer: object) -> None:
        calls.append("optimize")
        optimize(writer)  # type: ignore[arg-type]

    monkeypatch.setattr(embedded, "_optimize", counted)
    return calls


@pytest.fixture(scope="session")
def nye_asker_store(tmp_path_factory) -> Path:
    """data/nye-asker loaded into a persistent (embedded) store once per run. Never write to it
    or hand it to code that writes: copy it (``copy_store``) first, which takes milliseconds
    where a load takes seconds."""
    path = tmp_path_factory.mktemp("nye-asker") / "store"
    store = open_store("embedded", path=path)
    load(store, NYE_ASKER)
    store.close()
    return path


def copy_store(source: Path, target: Path) -> Path:
    """A private copy of a closed store's folder (RocksDB files), to open and write to, with the
    load snapshots kept beside it (graph/snapshots.py: ``<store>/../snapshots``, which the
    History page and ``kg changes`` read): a copy must look like the load it stands for."""
    shutil.copytree(source, target, symlinks=True)
    snapshots = source.parent / "snapshots"
    if snapshots.exists():
        shutil.copytree(snapshots, target.parent / "snapshots", symlinks=True)
    return target


@pytest.fixture
def asker_copy(nye_asker_store: Path, tmp_path: Path):
    """A writable embedded store holding data/nye-asker, this test's own."""
    return open_store("embedded", path=copy_store(nye_asker_store, tmp_path / "store"))


@pytest.fixture(scope="session")
def kg_store(tmp_path_factory, nye_asker_store: Path) -> Path:
    """The bundled graph in a temporary persistent store, as the app and the CLI open it
    (KG_STORE). Built once per run (a copy of ``nye_asker_store``); the tests that use it only
    read."""
    path = copy_store(nye_asker_store, tmp_path_factory.mktemp("kg") / "store")
    old = os.environ.get("KG_STORE")
    os.environ["KG_STORE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("KG_STORE", None)
    else:
        os.environ["KG_STORE"] = old


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the run (Playwright); tests use ``browser``."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser(chromium):
    """The run's Chromium. Every test opens its own context (cookies, storage and pages of its
    own), as with a browser per module; whatever context a module leaves open is closed when it
    ends, so no page keeps talking to an app server that has stopped."""
    yield chromium
    for ctx in list(chromium.contexts):
        ctx.close()
