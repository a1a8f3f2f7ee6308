"""Edits exported back to the CSV folder: load(export(edited)) gives the edited graph.

The bundled nye Asker folder (data/nye-asker) is loaded into a temporary store, edited through
graph/edits.py (one change of each editable kind, an add, a remove and an undo), exported with
graph/csvexport.py into a new folder, and that folder is loaded into a fresh store. The two
stores must hold the same triples of the dataset, except the change sets and their agents (the
audit trail is not a CSV record) and the row numbers (``kg:sourceRow``: appended and removed
rows move the others) and the manifest's load time. Golden values are the ones this test
writes; the rows it does not edit must come back byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import changes, csvexport, edits
from graph.access import Identity, Role
from graph.cli import main
from graph.load import load
from graph.store import open_store
from loaders.sourcefile import per_record
from ontology.terms import KG, iri

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "nye-asker"
BASE = "https://data.kommunegraf.no/nye-asker/"
KARI = Identity("kari-sub-1", "Kari Nordmann", Role.EDITOR)
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
NEW_STATUS = {
    "project": "A4",
    "date": "2017-08-31",
    "status_time": "Mindre forsinkelser",
    "status_risk": "Høy",
    "status_budget": "På budsjett",
    "status_gain": "På plan",
    "comment": "Arkivløsning ikke valgt, «sitat», komma",
    "source": "S001",
}


@pytest.fixture(scope="module")
def loaded(nye_asker_store: Path) -> Path:
    return nye_asker_store  # built once per run (tests/conftest.py); only read, or copied to write


@pytest.fixture
def store(loaded: Path, tmp_path: Path):
    copy = tmp_path / "store"
    shutil.copytree(loaded, copy, symlinks=True)
    return open_store("embedded", path=copy)


def change(store, kind: str, key: str, reason: str, **new: str):
    ds = edits.dataset(store)
    item = edits.read_item(store, ds, kind, key)
    assert item is not None, (kind, key)
    return edits.save(
        store, KARI, kind, {**item.values, **new}, key=key, expected=item.version, reason=reason
    )


def edit_every_kind(store) -> None:
    change(store, "dependencies", "D1", "nedgradert", criticality="high")
    change(store, "dependencies", "D4", "venter", type="waits_for")  # typed edge moves too
    edits.save(store, KARI, "dependencies", NEW_DEP, reason="ny", expected="")
    d3 = edits.read_item(store, edits.dataset(store), "dependencies", "D3")
    edits.save(store, KARI, "dependencies", None, key="D3", expected=d3.version, reason="feil")
    change(store, "milestones", "ms-2016-06-nettsider", "ny dato", date="2016-07-01")
    change(store, "status_reports", "A4|2017-01-03|S000", "rettet", status_gain="Forsinket")
    edits.save(store, KARI, "status_reports", NEW_STATUS, reason="ny rapport", expected="")
    change(store, "risks", "RK9", "vurdert", likelihood_before="3", consequence_before="4")
    change(store, "decisions", "stortinget-kommunestruktur", "utfall", outcome="Vedtatt, 2017?")
    wrong = change(store, "risks", "RK5", "feil", status="Lukket")
    edits.undo(store, KARI, wrong.change.id, reason="var åpen")


def triples(store) -> set[tuple[str, str, str]]:
    skip_p = {KG.sourceRow, iri("dct:modified")}
    out = set()
    # A load says a record's file once, of its graph; an edited record says its own: compared
    # per record (loaders/sourcefile.py).
    for q in per_record(store.quads(None, None, None, None)):
        g = getattr(q.graph_name, "value", "")
        s, p = str(q.subject.value), q.predicate.value
        if not g.startswith(BASE + "graph/") or p in skip_p:
            continue
        if s.startswith((BASE + "change/", BASE + "agent/")):
            continue
        out.add((str(q.subject), str(q.predicate), str(q.object)))
    return out


def test_load_of_the_export_gives_the_edited_graph(store, tmp_path):
    edit_every_kind(store)
    out = tmp_path / "exported"
    rep = csvexport.export_csv(store, DATA, out)
    assert (rep.changed, rep.added, rep.removed) == (6, 2, 1)  # RK5's undo is a change back
    assert sorted(rep.files) == [
        "decisions.csv",
        "dependencies.csv",
        "milestones.csv",
        "risks.csv",
        "status_reports.csv",
    ]
    fresh = open_store("embedded", path=tmp_path / "fresh")
    load(fresh, out)
    a, b = triples(store), triples(fresh)
    assert a - b == set() and b - a == set()
    assert len(a) > 5000  # the whole dataset was compared, not an empty graph
    # what the folder now says, as a programme office reads it in the diff
    deps = (out / "dependencies.csv").read_text(encoding="utf-8").splitlines()
    orig = (DATA / "dependencies.csv").read_text(encoding="utf-8").splitlines()
    assert deps[1].startswith("D1,A4,A2,depends_on,high,")  # in its place, the rest as it was
    assert deps[2] == orig[2]  # D2: untouched, byte for byte
    assert not [r for r in deps if r.startswith("D3,")]  # removed
    assert deps[-1].startswith("D900,A7,A4,depends_on,high,explicit,")  # appended
    assert len(deps) == len(orig)  # one removed, one added
    status = (out / "status_reports.csv").read_text(encoding="utf-8")
    assert '"Arkivløsning ikke valgt, «sitat», komma"' in status
    risks = (out / "risks.csv").read_text(encoding="utf-8")
    assert risks == (DATA / "risks.csv").read_text(encoding="utf-8").replace(
        "RK9,Felles IKT-investeringspott vil ikke være nok,A4,,,",
        "RK9,Felles IKT-investeringspott vil ikke være nok,A4,3,4,",
    )  # RK5 changed and undone: back as it was; RK9 with its new values
    # the source folder itself is untouched when --out names another folder
    assert (DATA / "dependencies.csv").read_text(encoding="utf-8").splitlines() == orig


def test_a_load_that_would_lose_edits_is_refused_until_they_are_exported(store, tmp_path, capsys):
    from loaders.dataset import read_dataset

    edit_every_kind(store)
    folder = tmp_path / "folder"
    shutil.copytree(DATA, folder)
    lost = csvexport.unsaved_edits(store, "nye-asker", read_dataset(folder).records)
    assert "dependencies.csv D900" in lost and "dependencies.csv D3" in lost
    assert "milestones.csv ms-2016-06-nettsider" in lost
    assert "status_reports.csv A4|2017-08-31|S001" in lost
    was = store.dump()
    args = ["load", str(folder), "--store", str(store.root), "--no-warm"]
    assert main([*args, "--lang", "nb"]) == 1
    err = capsys.readouterr().err
    assert "kg export-csv" in err and "ville gått tapt" in err and "dependencies.csv D900" in err
    assert "Traceback" not in err
    store.refresh()
    assert store.dump() == was  # refused: nothing replaced
    # export into the folder itself, then the load goes through and keeps the edits
    assert main(["export-csv", str(folder), "--store", str(store.root), "--lang", "en"]) == 0
    assert "6 changed, 2 added, 1 removed" in capsys.readouterr().out
    assert csvexport.unsaved_edits(store, "nye-asker", read_dataset(folder).records) == []
    trail = [(c.iri, c.who, c.reason) for c in changes.changes(store, BASE)]
    assert len(trail) == 11  # ten saves and one undo
    assert main([*args, "--lang", "en"]) == 0
    store.refresh()
    ds = edits.dataset(store)
    assert edits.read_item(store, ds, "dependencies", "D900").values == NEW_DEP
    assert edits.read_item(store, ds, "dependencies", "D3") is None
    # the records now come from the folder, and their history stayed through the load
    assert edits.read_item(store, ds, "dependencies", "D1").graphs == {
        BASE + "graph/dependencies.csv"
    }
    assert [(c.iri, c.who, c.reason) for c in changes.changes(store, BASE)] == trail
    d1 = changes.history(store, BASE, BASE + "dependency/D1")
    assert [c.reason for c in d1] == ["nedgradert"]
    # and --discard-edits replaces edits knowingly
    change(store, "dependencies", "D1", "igjen", criticality="low")
    assert main([*args, "--lang", "en"]) == 1
    assert "--discard-edits" in capsys.readouterr().err
    assert main([*args, "--discard-edits", "--lang", "en"]) == 0
    store.refresh()
    assert edits.read_item(store, ds, "dependencies", "D1").values["criticality"] == "high"
    assert changes.changes(store, BASE) == []  # discarded knowingly, history and all


def test_export_errors_name_the_folder_and_change_nothing(store, tmp_path, capsys):
    root = str(store.root)
    assert main(["export-csv", str(tmp_path), "--store", root, "--lang", "nb"]) == 1
    assert "er ikke en datasettmappe" in capsys.readouterr().err
    out = tmp_path / "full"
    out.mkdir()
    (out / "x.txt").write_text("keep")
    assert main(["export-csv", str(DATA), "--out", str(out), "--store", root, "--lang", "en"]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["x.txt"]
