"""The ICT page of a county or the country: the evaluations follow the municipalities chosen
for the matrix's columns (issue 16: at 10M triples every evaluation of the country was
formatted and sent on each visit, 0.9 s of the page's CPU).

The dataset is graph/synth.py's, made here with ten municipalities (more than
``ICT_COLUMNS``, so the planner chooses the columns); the golden rows are read from the
``evaluations.csv`` the test made, not from the product.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from graph import answers as V
from graph import synth
from graph.load import load
from graph.store import open_store

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Counter[str]]:
    """The store of a ten-municipality dataset, and its evaluations per municipality code as
    the file the test made has them."""
    data = tmp_path_factory.mktemp("county") / "data"
    synth.generate(data, 10, seed=3, density=0.12)
    path = tmp_path_factory.mktemp("county") / "store"
    old = os.environ.get("KG_SNAPSHOTS")
    os.environ["KG_SNAPSHOTS"] = "0"
    try:
        load(open_store("embedded", path=path), data)
    finally:
        if old is None:
            os.environ.pop("KG_SNAPSHOTS", None)
        else:
            os.environ["KG_SNAPSHOTS"] = old
    rows = list(csv.DictReader((data / "evaluations.csv").open(encoding="utf-8")))
    assert rows
    return path, Counter(r["municipality"] for r in rows)


def _id(g: object, m: str) -> str:
    """The municipality's id as the files write it (k0301)."""
    return str(g.nodes[m]["id"])  # type: ignore[attr-defined]


@pytest.fixture
def store_env(county: tuple[Path, Counter[str]]) -> Iterator[None]:
    old = os.environ.get("KG_STORE")
    os.environ["KG_STORE"] = str(county[0])
    yield
    if old is None:
        os.environ.pop("KG_STORE", None)
    else:
        os.environ["KG_STORE"] = old


def test_the_evaluations_of_chosen_municipalities_are_theirs_and_no_others(
    county: tuple[Path, Counter[str]],
) -> None:
    path, per = county
    store = open_store("embedded", path=path, read_only=True)
    g = V.graph_for(store, "nb")
    every = V.ict_municipalities(g)
    assert len(every) > V.ICT_COLUMNS  # the planner chooses the columns here
    chosen = [m for m in every if _id(g, m) in per][:2]
    assert len(chosen) == 2
    rows = V.evaluations(store, g, municipalities=chosen)
    names = {V.name(g, m): _id(g, m) for m in chosen}
    assert Counter(names[r["municipality"]] for r in rows) == {
        names[V.name(g, m)]: per[_id(g, m)] for m in chosen
    }
    # every municipality when none is named: all the file's rows
    assert len(V.evaluations(store, g)) == sum(per.values())
    assert V.evaluations(store, g, municipalities=[]) == []


def test_the_ict_page_shows_the_evaluations_of_the_columns_only(
    county: tuple[Path, Counter[str]], store_env: None
) -> None:
    path, per = county
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("views/ict.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = at.multiselect(key="w_ict_municipalities").value
    assert 0 < len(shown) == V.ICT_COLUMNS
    store = open_store("embedded", path=path, read_only=True)
    g = V.graph_for(store, "nb")
    evals = next(d.value for d in at.dataframe if "Modenhet: oppgaver" in map(str, d.value.columns))
    seen = Counter(evals["Kommune"])
    expected = {V.name(g, m): per[_id(g, m)] for m in shown if per[_id(g, m)]}
    assert seen == expected
    others = {V.name(g, m) for m in V.ict_municipalities(g)} - {V.name(g, m) for m in shown}
    assert others and not others & set(seen)  # no row of a municipality not chosen
    captions = " ".join(c.value for c in at.caption)
    assert f"Viser evalueringene for {V.ICT_COLUMNS} kommuner" in captions


def test_no_municipality_chosen_asks_for_one(
    county: tuple[Path, Counter[str]], store_env: None
) -> None:
    """Every column deselected: the page asks for a municipality; it must not say the dataset
    has no systems or no evaluations (systems.csv of the dataset the test made has rows)."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("views/ict.py").run()
    at.multiselect(key="w_ict_municipalities").set_value([]).run()
    assert not at.exception, [e.value for e in at.exception]
    infos = " ".join(i.value for i in at.info)
    assert "Velg minst én kommune" in infos
    assert "Ingen IKT-systemer" not in infos and "Ingen evalueringer" not in infos
    assert not [d for d in at.dataframe if "Modenhet: oppgaver" in map(str, d.value.columns)]


def test_a_dataset_without_systems_says_so_and_asks_for_no_municipality(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/conftest.py's MINI has no systems.csv: no ICT systems, and no municipality picker
    to choose from, so the page must not ask for a municipality."""
    from conftest import MINI, write_dataset

    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    path = tmp_path / "store"
    store = open_store("embedded", path=path)
    load(store, write_dataset(tmp_path / "mini", MINI))
    store.close()
    monkeypatch.setenv("KG_STORE", str(path))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("views/ict.py").run()
    assert not at.exception, [e.value for e in at.exception]
    infos = " ".join(i.value for i in at.info)
    assert "Ingen IKT-systemer i datasettet." in infos
    assert "Velg minst én kommune" not in infos
