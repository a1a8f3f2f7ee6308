"""Editing status reports, milestones, risks and decisions (graph/edits.py), kind by kind.

Each case starts from a row of the bundled nye Asker folder, whose values the test states
(and which cite the seed): a valid change is saved with its change set, a refused one says what
is wrong in nb and en and changes nothing, a reader's write is refused, a second editor who
read the old version gets a conflict naming the first one's change, and undo brings the row's
values back as a new change set.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph import changes, edits
from graph.access import AccessDenied, Identity, Role
from graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://data.kommunegraf.no/nye-asker/"
KARI = Identity("kari-sub-1", "Kari Nordmann", Role.EDITOR)
OLA = Identity("ola-sub-2", "Ola Hansen", Role.EDITOR)
PER = Identity("per-sub-3", "Per Leser", Role.READER)


@dataclass
class Case:
    kind: str
    key: str
    row: dict[str, str]  # the CSV row's values this test relies on (cited)
    new: dict[str, str]  # a valid change
    bad: dict[str, str]  # an invalid one
    en: str  # what the refusal must say
    nb: str


CASES = [
    Case(  # milestones.csv row 3: S000 L1948 «Digitale leveranser pr. nå»: Lansert «Juni 2016»
        "milestones",
        "ms-2016-06-nettsider",
        {"title": "Nye Asker kommunes internettsider lansert", "project": "A4", "date": "2016-06"},
        {"date": "2016-07-01", "status": "planned"},
        {"date": "2016-13-45"},
        "column 'date': '2016-13-45' is not a date",
        "kolonne 'date': '2016-13-45' er ikke en dato",
    ),
    Case(  # status_reports.csv: A4, «Sist endret 3. januar 2017», S000 L364
        "status_reports",
        "A4|2017-01-03|S000",
        {
            "status_time": "Mindre forsinkelse som kan tas igjen",
            "status_risk": "Medium",
            "status_budget": "På budsjett",
            "status_gain": "På plan",
        },
        {"status_gain": "Forsinket", "comment": "Gevinstplanen er ikke klar"},
        {"status_risk": "Rød"},
        "column 'status_risk': 'Rød' is not allowed",
        "kolonne 'status_risk': 'Rød' er ikke tillatt",
    ),
    Case(  # risks.csv row 10: S001 L234 «Felles IKT-investeringspott vil ikke være nok»
        "risks",
        "RK9",
        {"title": "Felles IKT-investeringspott vil ikke være nok", "project": "A4"},
        {"likelihood_before": "3", "consequence_before": "4", "measures": "Prioritere"},
        {"likelihood_before": "5"},
        "column 'likelihood_before': 5 is outside 1..4",
        "kolonne 'likelihood_before': 5 er utenfor 1..4",
    ),
    Case(  # decisions.csv row 3: S004 L448 «8.juni 2016 vedtok Stortinget ny kommunestruktur»
        "decisions",
        "stortinget-kommunestruktur",
        {"type": "decision", "body": "stortinget", "date": "2016-06-08"},
        {"outcome": "Vedtatt; Asker, Røyken og Hurum slås sammen", "about": "asker|hurum|royken"},
        {"body": "A4"},  # a project, not a body, person or organisation
        "'A4' is a record in projects, but 'body' must refer to",
        "'A4' er en post i prosjekter, men 'body' må vise til",
    ),
]


@pytest.fixture(scope="module")
def loaded(nye_asker_store: Path) -> Path:
    return nye_asker_store  # built once per run (tests/conftest.py); only read, or copied to write


@pytest.fixture
def store(loaded: Path, tmp_path: Path):
    copy = tmp_path / "store"
    shutil.copytree(loaded, copy, symlinks=True)
    return open_store("embedded", path=copy)


def fingerprint(store) -> tuple[str, int, bytes]:
    return (store.generation.name, len(store), hashlib.sha256(store.dump()).digest())


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_a_change_is_saved_with_its_change_set_and_undone(store, case: Case):
    ds = edits.dataset(store)
    item = edits.read_item(store, ds, case.kind, case.key)
    assert item is not None
    assert {k: item.values.get(k) for k in case.row} == case.row  # the CSV row as loaded
    want = {**item.values, **case.new}
    saved = edits.save(
        store, KARI, case.kind, want, key=case.key, expected=item.version, reason="styremøte"
    )
    now = edits.read_item(store, ds, case.kind, case.key)
    assert now.values == want and now.graphs == {BASE + "graph/edits"}
    ch = saved.change
    assert (ch.action, ch.kind, ch.key, ch.who) == ("change", case.kind, case.key, "Kari Nordmann")
    assert ch.before == item.values and ch.after == want
    # one value per column: the old row's triples are gone, not kept beside the new ones
    for name in case.new:
        assert len(store.query(f"SELECT ?o WHERE {{ $s ?p ?o FILTER(?p = {_prop(case.kind, name)}) }}", {"s": edits.IRI(now.iri)}).rows) == len(want[name].split("|"))  # fmt: skip
    undone = edits.undo(store, OLA, ch.id, reason="for tidlig")
    back = edits.read_item(store, ds, case.kind, case.key)
    assert back.values == item.values and undone.change.undoes == ch.iri
    assert [c.who for c in changes.history(store, BASE, back.iri)] == [
        "Ola Hansen",
        "Kari Nordmann",
    ]


def _prop(kind: str, column: str) -> str:
    from loaders.schema import KIND
    from ontology.terms import iri

    return f"<{iri(KIND[kind].by_name[column].prop)}>"


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_a_refused_save_says_why_in_both_languages_and_changes_nothing(store, case: Case):
    ds = edits.dataset(store)
    item = edits.read_item(store, ds, case.kind, case.key)
    was = fingerprint(store)
    with pytest.raises(edits.EditRefused) as e:
        edits.save(
            store,
            KARI,
            case.kind,
            {**item.values, **case.bad},
            key=case.key,
            expected=item.version,
            reason="feil",
        )
    assert case.en in e.value.message("en") and case.nb in e.value.message("nb")
    assert "nothing was changed" in e.value.message("en")
    assert "ingenting er endret" in e.value.message("nb")
    assert fingerprint(store) == was and changes.changes(store, BASE) == []
    assert edits.read_item(store, ds, case.kind, case.key).values == item.values


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_a_readers_write_is_refused_and_nothing_is_written(store, case: Case):
    ds = edits.dataset(store)
    item = edits.read_item(store, ds, case.kind, case.key)
    was = fingerprint(store)
    for who in (PER, Identity("", "Ingen", Role.EDITOR)):
        with pytest.raises(AccessDenied):
            edits.save(
                store,
                who,
                case.kind,
                {**item.values, **case.new},
                key=case.key,
                expected=item.version,
                reason="forfalsket",
            )
        with pytest.raises(AccessDenied):
            edits.save(store, who, case.kind, None, key=case.key, reason="forfalsket")
    assert fingerprint(store) == was


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_the_second_editor_gets_a_conflict_with_the_first_ones_change(store, case: Case):
    ds = edits.dataset(store)
    item = edits.read_item(store, ds, case.kind, case.key)
    edits.save(
        store,
        KARI,
        case.kind,
        {**item.values, **case.new},
        key=case.key,
        expected=item.version,
        reason="Kari sin endring",
    )
    was = fingerprint(store)
    with pytest.raises(edits.Conflict) as e:
        edits.save(
            store,
            OLA,
            case.kind,
            {**item.values, "note": "Ola"},
            key=case.key,
            expected=item.version,
            reason="Ola sin endring",
        )
    assert e.value.other.who == "Kari Nordmann" and e.value.other.after == {
        **item.values,
        **case.new,
    }
    assert "Kari sin endring" in e.value.message("en") and "konflikt" in e.value.message("nb")
    assert fingerprint(store) == was


def test_a_milestone_is_removed_and_added_back_by_undo(store):
    ds = edits.dataset(store)
    item = edits.read_item(store, ds, "milestones", "ms-2016-06-nettsider")
    gone = edits.save(
        store,
        KARI,
        "milestones",
        None,
        key="ms-2016-06-nettsider",
        expected=item.version,
        reason="feil",
    )
    assert gone.change.action == "remove" and gone.change.after == {}
    assert edits.read_item(store, ds, "milestones", "ms-2016-06-nettsider") is None
    edits.undo(store, KARI, gone.change.id, reason="riktig likevel")
    assert edits.read_item(store, ds, "milestones", "ms-2016-06-nettsider").values == item.values
    # a new status report is keyed by project, date and source: the same three again is refused
    new = {"project": "A4", "date": "2017-08-31", "status_time": "På plan", "source": "S001"}
    edits.save(store, KARI, "status_reports", new, reason="ny", expected="")
    was = fingerprint(store)
    with pytest.raises(edits.EditRefused, match="already used"):
        edits.save(store, OLA, "status_reports", {**new, "status_risk": "Lav"}, reason="ny")
    assert fingerprint(store) == was
