"""Shared fixtures: the bundled nye Asker graph (loaded once) and tiny datasets built in code."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

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
def kg_store(tmp_path_factory) -> Path:
    """The bundled graph in a temporary persistent store, as the app and the CLI open it
    (KG_STORE). Loaded once per run; the tests that use it only read."""
    path = tmp_path_factory.mktemp("kg") / "store"
    store = open_store("embedded", path=path)
    load(store, NYE_ASKER)
    store.close()
    old = os.environ.get("KG_STORE")
    os.environ["KG_STORE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("KG_STORE", None)
    else:
        os.environ["KG_STORE"] = old
