"""Edits with an audit trail on the embedded store (graph/edits.py, graph/changes.py).

The bundled nye Asker dataset is loaded once into a folder; each test works on its own copy.
Golden facts come from data/nye-asker/dependencies.csv, which cites the seed: D1 is «A4
depends_on A2», criticality primary, S000 L1857-1860 («Viktigste avhengighet: A2 - Organisasjon
og tjenesteutvikling»). Every refusal is checked to change nothing: same generation, same
quads, no change set.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph import changes, edits
from graph.access import AccessDenied, Identity, Role
from graph.analysis import impact
from graph.netx import to_networkx
from graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
KARI = Identity("kari-sub-1", "Kari Nordmann", Role.EDITOR)
OLA = Identity("ola-sub-2", "Ola Hansen", Role.EDITOR)
READER = Identity("per-sub-3", "Per Leser", Role.READER)
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


@pytest.fixture(scope="module")
def loaded(nye_asker_store: Path) -> Path:
    return nye_asker_store  # built once per run (tests/conftest.py); only read, or copied to write


@pytest.fixture
def store(loaded: Path, tmp_path: Path):
    copy = tmp_path / "store"
    shutil.copytree(loaded, copy, symlinks=True)
    return open_store("embedded", path=copy)


def fingerprint(store) -> tuple[str, int, bytes]:
    import hashlib

    return (store.generation.name, len(store), hashlib.sha256(store.dump()).digest())


def node(name: str) -> str:
    return f"{BASE}project/{name}"


def test_a_valid_save_adds_the_record_the_change_set_and_the_edge_in_impact(store):
    before = impact(to_networkx(store), node("A4"))
    assert node("A7") not in {r.node for rs in before.values() for r in rs}

    saved = edits.save(
        store, KARI, "dependencies", NEW_DEP, reason="Vedtatt i styremøtet", expected=""
    )

    ds = edits.dataset(store)
    item = edits.read_item(store, ds, "dependencies", "D900")
    assert item is not None and item.values == NEW_DEP
    assert item.graphs == {BASE + "graph/edits"}  # edits live in their own named graph
    reached = impact(to_networkx(store), node("A4"))
    assert node("A7") in {r.node for r in reached.get("Project", [])}
    ch = saved.change
    assert (ch.action, ch.who, ch.subject, ch.reason) == (
        "add",
        "Kari Nordmann",
        "kari-sub-1",
        "Vedtatt i styremøtet",
    )
    assert ch.before == {} and ch.after == NEW_DEP and ch.version_after == item.version
    assert ch.when.startswith("20")
    # PROV-O: the change set is a prov:Activity associated with a prov:Agent named Kari
    rows = store.query(
        """SELECT ?name ?t WHERE { ?c a prov:Activity ; kg:changedRecord $r ;
        prov:wasAssociatedWith ?a ; prov:startedAtTime ?t . ?a a prov:Agent ; foaf:name ?name }""",
        {"r": edits.IRI(item.iri)},
    ).rows
    assert [r[0] for r in rows] == ["Kari Nordmann"]
    # not a node of the planner's views (those list kg: things only)
    assert not [n for n in to_networkx(store) if "/change/" in n or "/agent/" in n]


def test_a_refused_save_says_what_is_wrong_in_both_languages_and_changes_nothing(store):
    was = fingerprint(store)
    bad = {**NEW_DEP, "to": "A99", "criticality": "kritisk"}
    with pytest.raises(edits.EditRefused) as e:
        edits.save(store, KARI, "dependencies", bad, reason="test", expected="")
    en, nb = e.value.message("en"), e.value.message("nb")
    assert "column 'to'" in en and "'A99' refers to no record" in en
    assert "column 'criticality'" in en and "'kritisk' is not allowed" in en
    assert "kolonne 'to'" in nb and "'A99' viser ikke til noen post" in nb
    assert "ingenting er endret" in nb
    assert fingerprint(store) == was
    assert changes.changes(store, BASE) == []
    # a missing reason is refused too (an audit row must say why)
    with pytest.raises(edits.EditRefused, match="'reason' is required"):
        edits.save(store, KARI, "dependencies", NEW_DEP, reason="  ", expected="")
    # an id that is already taken by another record (D1 is in dependencies.csv)
    with pytest.raises(edits.EditRefused, match="id 'D1' is already used"):
        edits.save(store, KARI, "dependencies", {**NEW_DEP, "id": "D1"}, reason="x")
    assert fingerprint(store) == was


def test_two_editors_collide_the_second_gets_the_first_ones_change_and_nothing_is_lost(store):
    ds = edits.dataset(store)
    d1 = edits.read_item(store, ds, "dependencies", "D1")
    assert (d1.values["from"], d1.values["to"], d1.values["criticality"]) == ("A4", "A2", "primary")
    read_by_both = d1.version
    edits.save(
        store,
        KARI,
        "dependencies",
        {**d1.values, "criticality": "high"},
        key="D1",
        expected=read_by_both,
        reason="Kari: nedgradert etter styremøtet",
    )
    was = fingerprint(store)
    with pytest.raises(edits.Conflict) as e:
        edits.save(
            store,
            OLA,
            "dependencies",
            {**d1.values, "rationale": "Ola sin tekst"},
            key="D1",
            expected=read_by_both,
            reason="Ola: ny begrunnelse",
        )
    assert e.value.other is not None and e.value.other.who == "Kari Nordmann"
    assert "Kari Nordmann" in e.value.message("en") and "Kari: nedgradert" in e.value.message("nb")
    assert "criticality=high" in e.value.message("en")
    assert fingerprint(store) == was  # Ola's save wrote nothing
    now = edits.read_item(store, ds, "dependencies", "D1")
    assert now.values["criticality"] == "high" and now.values["rationale"] == d1.values["rationale"]
    # Ola reads again and re-applies: both changes are kept
    edits.save(
        store,
        OLA,
        "dependencies",
        {**now.values, "rationale": "Ola sin tekst"},
        key="D1",
        expected=now.version,
        reason="Ola: ny begrunnelse",
    )
    final = edits.read_item(store, ds, "dependencies", "D1")
    assert (final.values["criticality"], final.values["rationale"]) == ("high", "Ola sin tekst")
    assert [c.who for c in changes.history(store, BASE, final.iri)] == [
        "Ola Hansen",
        "Kari Nordmann",
    ]
    # the CSV row's triples moved: D1 is now in the edits graph only, with one rationale
    assert final.graphs == {BASE + "graph/edits"}
    assert (
        len(store.query("SELECT ?r WHERE { $s kg:rationale ?r }", {"s": edits.IRI(final.iri)}).rows)
        == 1
    )


def test_undo_is_a_new_change_set_that_restores_the_values(store):
    ds = edits.dataset(store)
    d1 = edits.read_item(store, ds, "dependencies", "D1")
    first = edits.save(
        store,
        KARI,
        "dependencies",
        {**d1.values, "type": "waits_for"},
        key="D1",
        expected=d1.version,
        reason="feil type?",
    )
    undone = edits.undo(store, OLA, first.change.id, reason="typen var riktig")
    back = edits.read_item(store, ds, "dependencies", "D1")
    assert back.values == d1.values and back.version == d1.version
    assert undone.change.undoes == first.change.iri and undone.change.who == "Ola Hansen"
    assert undone.change.reason.startswith(f"undo {first.change.id}")
    assert len(changes.history(store, BASE, back.iri)) == 2  # nothing is erased from the trail
    # undoing an add removes the record again; the direct edge of other records stays
    added = edits.save(store, KARI, "dependencies", NEW_DEP, reason="ny", expected="")
    edits.undo(store, KARI, added.change.id, reason="feil prosjekt")
    assert edits.read_item(store, ds, "dependencies", "D900") is None
    assert node("A7") not in {
        r.node for rs in impact(to_networkx(store), node("A4")).values() for r in rs
    }
    assert node("A4") in {r.node for r in impact(to_networkx(store), node("A2")).get("Project", [])}
    # an undo of a change that was changed again since is a conflict, not a silent overwrite
    again = edits.save(
        store,
        KARI,
        "dependencies",
        {**d1.values, "criticality": "low"},
        key="D1",
        expected=d1.version,
        reason="lav",
    )
    edits.save(
        store,
        OLA,
        "dependencies",
        {**d1.values, "criticality": "normal"},
        key="D1",
        expected=again.item.version,
        reason="normal",
    )
    with pytest.raises(edits.Conflict):
        edits.undo(store, KARI, again.change.id, reason="tilbake")


@pytest.mark.parametrize("who", [READER, Identity("", "", Role.EDITOR), None, "editor"])
def test_a_reader_or_a_forged_identity_is_refused_and_nothing_is_written(store, who):
    was = fingerprint(store)
    with pytest.raises(AccessDenied) as e:
        edits.save(store, who, "dependencies", NEW_DEP, reason="forged", expected="")
    assert "refused" in e.value.message("en") and "avvist" in e.value.message("nb")
    with pytest.raises(AccessDenied):
        edits.undo(store, who, "20260101T000000000000-deadbeef", reason="forged")
    assert fingerprint(store) == was


def test_status_report_milestone_risk_and_decision_can_be_added(store):
    ds = edits.dataset(store)
    cases = [
        (
            "status_reports",
            {
                "project": "A4",
                "date": "2017-08-31",
                "status_time": "Mindre forsinkelser",
                "status_risk": "Høy",
                "status_budget": "På budsjett",
                "status_gain": "På plan",
                "comment": "Arkivløsning ikke valgt",
                "source": "S001",
            },
        ),
        (
            "milestones",
            {
                "id": "M900",
                "title": "Valg av arkivløsning",
                "project": "A4",
                "date": "2017-10",
                "status": "planlagt",
                "source": "S001",
            },
        ),
        (
            "risks",
            {
                "id": "RK900",
                "title": "Forsinket arkivvalg",
                "project": "A4",
                "likelihood_before": "3",
                "consequence_before": "4",
                "source": "S001",
            },
        ),
        (
            "decisions",
            {
                "id": "DE900",
                "title": "Arkivløsning utsatt",
                "type": "decision",
                "about": "A2|A4",
                "date": "2017-08-31",
                "source": "S001",
            },
        ),
    ]
    for kind, values in cases:  # (several references are kept sorted, as "A2|A4")
        saved = edits.save(store, KARI, kind, values, reason=f"ny {kind}", expected="")
        item = edits.read_item(store, ds, kind, saved.change.key)
        assert item is not None and item.values == values, kind
    status = edits.read_item(store, ds, "status_reports", "A4|2017-08-31|S001")
    assert status.values["status_risk"] == "Høy"
    with pytest.raises(edits.EditRefused, match="'Grønn' is not allowed"):
        edits.save(
            store,
            KARI,
            "status_reports",
            {**cases[0][1], "date": "2017-09-01", "status_time": "Grønn"},
            reason="x",
            expected="",
        )
    with pytest.raises(edits.EditError, match="cannot be edited here"):
        edits.save(store, KARI, "projects", {"id": "X"}, reason="x")


def test_kg_changes_lists_the_change_sets_with_the_editors_name(store, capsys):
    from graph.cli import main

    edits.save(store, KARI, "dependencies", NEW_DEP, reason="Vedtatt i styremøtet", expected="")
    assert main(["changes", "--store", str(store.root), "--format", "json", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(r["who"], r["action"], r["key"], r["reason"]) for r in doc["rows"]] == [
        ("Kari Nordmann", "add", "D900", "Vedtatt i styremøtet")
    ]
    assert main(["changes", "--store", str(store.root), "--lang", "nb"]) == 0
    assert "Kari Nordmann" in capsys.readouterr().out
    assert main(["changes", "--store", str(store.root), "--dataset", "nope", "--lang", "en"]) == 1
    assert "no dataset nope" in capsys.readouterr().err
