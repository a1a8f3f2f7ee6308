"""Pickers with very many options search first (issue 16: at national scale a picker of 48 000
projects or 96 000 milestones sent and formatted every option on each run).

On the bundled nye Asker graph (29 projects in data/nye-asker/projects.csv) the limit is set to
5 for the test, so its pickers behave as a national one does; with the real limit nothing
changes there.
"""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from views import common as C

APP = str(ROOT / "app.py")
A2, A4 = (f"https://data.kommunegraf.no/nye-asker/project/{p}" for p in ("A2", "A4"))
PROJECTS = len(list(csv.DictReader((ROOT / "data/nye-asker/projects.csv").open(encoding="utf-8"))))


def _page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_a_small_picker_offers_every_option_and_no_search(kg_store) -> None:
    at = _page("explorer")
    assert len(at.multiselect(key="w_dep_projects").options) == PROJECTS == 29
    assert not [w for w in at.text_input if w.key == "w_dep_projects_search"]


def test_a_large_picker_searches_first_and_keeps_the_choice(
    kg_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(C, "PICKER_LIMIT", 5)
    at = _page("explorer")
    picker = at.multiselect(key="w_dep_projects")
    assert picker.value == [A4]  # the default, kept in
    assert len(picker.options) == 5 and picker.options[0] == "Prosjekt A4 - Digitale Asker 2020"
    assert f"Viser 5 av {PROJECTS} treff" in _captions(at)

    at.text_input(key="w_dep_projects_search").set_value("a2").run()  # any case
    picker = at.multiselect(key="w_dep_projects")
    assert picker.value == [A4]  # still chosen
    found = picker.options[1:]
    assert "Prosjekt A2 - Organisering og tjenesteutvikling" in found
    # nothing offered that neither matches nor is chosen
    assert all("a2" in o.lower() for o in found), found
    assert "Prosjekt A3 - Kommunikasjon" not in picker.options

    at.multiselect(key="w_dep_projects").select(A2).run()
    assert not at.exception
    assert at.multiselect(key="w_dep_projects").value == [A4, A2]

    at.text_input(key="w_dep_projects_search").set_value("zzz").run()
    assert "Ingen treff for «zzz»" in _captions(at)
    assert len(at.multiselect(key="w_dep_projects").options) == 2  # the two chosen only


def test_the_search_speaks_english_too(kg_store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "PICKER_LIMIT", 5)
    at = AppTest.from_file(APP, default_timeout=180)
    at.context = {"locale": "en-US"}
    at.run()
    at.switch_page("views/impact.py").run()
    assert not at.exception, [e.value for e in at.exception]
    search = at.text_input(key="w_imp_project_search")
    assert search.label == f"Search among {PROJECTS}"
    assert f"Showing 5 of {PROJECTS} matches" in _captions(at)
    assert len(at.selectbox(key="w_imp_project").options) == 5


def test_the_search_finds_a_node_by_its_code_too(kg_store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planner may know the code, not the name: «kommunestyre-royken» is the id of the body
    named «Kommunestyret i Røyken kommune» (data/nye-asker/bodies.csv, row 3), and no node's
    name holds that text."""
    monkeypatch.setattr(C, "PICKER_LIMIT", 5)
    at = _page("impact")
    at.segmented_control(key="w_imp_mode").set_value("impact").run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key="w_imp_node_search").set_value("Kommunestyre-Royken").run()
    assert not at.exception, [e.value for e in at.exception]
    options = at.selectbox(key="w_imp_node").options  # as shown: name (kind)
    body = [o for o in options if o.startswith("Kommunestyret i Røyken kommune")]
    assert len(body) == 1, options
    assert "Ingen treff" not in _captions(at)
    # besides it only the node chosen before (A2 by default), nothing that does not match
    assert [o for o in options if o not in body] == [
        o for o in options if o.startswith("Prosjekt A2 - ")
    ], options


def test_the_count_covers_the_chosen_value_outside_the_matches(
    kg_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caption counts what there is to show: the matches and the value chosen above them.
    «a1» is in the code of six projects (data/nye-asker/projects.csv: A1, A1-1 … A1-5), not in
    A4's, which stays chosen: 5 shown of 7, not «5 of 6»."""
    monkeypatch.setattr(C, "PICKER_LIMIT", 5)
    rows = list(csv.DictReader((ROOT / "data/nye-asker/projects.csv").open(encoding="utf-8")))
    codes = [r["id"] for r in rows if "a1" in (r["id"] + r["title"]).lower()]
    assert len(codes) == 6 and "A4" not in codes
    at = _page("explorer")
    at.text_input(key="w_dep_projects_search").set_value("a1").run()
    picker = at.multiselect(key="w_dep_projects")
    assert picker.value == [A4] and len(picker.options) == 5
    assert "Viser 5 av 7 treff" in _captions(at)
    assert "av 6 treff" not in _captions(at)


def _nye_asker_upload() -> C.Upload:
    """data/nye-asker loaded as a planner's upload (a .zip of the folder), in its own store."""
    import io
    import zipfile

    from graph import answers as V

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted((ROOT / "data/nye-asker").iterdir()):
            if f.is_file():
                z.write(f, f.name)
    up = V.load_upload("nye-asker.zip", buf.getvalue())
    return C.Upload(up.store, up.name, up.title, "nye-asker.zip", up.records, up.triples, {})


def test_a_search_belongs_to_the_dataset_it_was_typed_on(
    kg_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search typed on one dataset must not filter the picker of the next one chosen; coming
    back, the planner finds it again."""
    monkeypatch.setattr(C, "PICKER_LIMIT", 5)
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state[C.UPLOADS] = {"upload:other": _nye_asker_upload()}
    at.run()
    at.switch_page("views/explorer.py").run()
    at.text_input(key="w_dep_projects_search").set_value("a2").run()
    assert "Prosjekt A1 - Sektor- og temaplaner" not in at.multiselect(key="w_dep_projects").options

    at.selectbox(key=C.DATASET).set_value("upload:other").run()
    assert not at.exception, [e.value for e in at.exception]
    searches = [w for w in at.text_input if w.key.startswith("w_dep_projects_search")]
    assert len(searches) == 1 and searches[0].value == ""  # NOT «a2» from the other dataset
    options = at.multiselect(key="w_dep_projects").options
    assert len(options) == 5 and "Prosjekt A1 - Sektor- og temaplaner" in options
    assert f"Viser 5 av {PROJECTS} treff" in _captions(at)

    at.selectbox(key=C.DATASET).set_value(C.BUNDLED).run()
    assert at.text_input(key="w_dep_projects_search").value == "a2"
    assert "Prosjekt A1 - Sektor- og temaplaner" not in at.multiselect(key="w_dep_projects").options
