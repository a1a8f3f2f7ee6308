"""``kg diff``, ``kg snapshots`` and ``kg status-history`` print the answers the app's History page
shows (graph/answers/history.py), row for row (issue 18, part 2).

The history is three monthly Prosjektportalen exports of «Nye Testby» written cell by cell in
tests/fixtures/importers/testby.py and imported with ``kg import pp``; the expected changes are
those cells (T1's «Status fremdrift» På plan in January, Mindre forsinkelser in February; T2 is
in January's export only).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "importers"))
from testby import FEB, JAN, MAR, add_edit, build_store, kg  # noqa: E402

from graph import snapshots  # noqa: E402
from graph.answers import history as H  # noqa: E402
from graph.cli.common import show  # noqa: E402
from graph.store import open_store  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("history"))


def plain(value: object) -> object:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_kg_diff_json_is_the_answer_the_app_shows(store, lang):
    out = kg("diff", JAN, FEB, "--format", "json", store=store, lang=lang)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    answer = H.changes_between(snapshots.root_for(store), JAN, FEB, None, lang)
    keys = [*answer.keys, *answer.extra]
    assert body["rows"] == plain([{k: r[k] for k in keys} for r in answer.rows])
    assert body["columns"] == ["category", "subject", "change"]
    assert (body["dataset"], body["from"], body["to"]) == ("nye-testby", JAN, FEB)
    rows = {(r["category_code"], r["subject"], r["change"]) for r in body["rows"]}
    if lang == "nb":
        assert (
            "status",
            "T1 Skolebygg",
            "status fremdrift: På plan → Mindre forsinkelser (2024-02-28)",
        ) in rows
        assert (
            "projects",
            "T2 Ny saksbehandling",
            "ikke med i denne eksporten (2024-02-29)",
        ) in rows
        # the category in the reader's language, never graph.diff's English code
        assert {r["category"] for r in body["rows"]} >= {"prosjekter", "kilder", "status"}
        assert not {r["category"] for r in body["rows"]} & {"projects", "sources"}
    else:
        assert (
            "status",
            "T1 Skolebygg",
            "schedule: På plan → Mindre forsinkelser (2024-02-28)",
        ) in rows
        assert {r["category"] for r in body["rows"]} >= {"projects", "sources", "status"}
    # March's change is not between January and February
    assert not any("Forsinket" in r["change"] for r in body["rows"])


def test_kg_diff_table_and_csv(store):
    out = kg("diff", JAN, FEB, store=store)
    assert out.returncode == 0, out.stderr
    answer = H.changes_between(snapshots.root_for(store), JAN, FEB, None, "nb")
    lines = out.stdout.splitlines()
    assert lines[0] == f"Endringer i nye-testby fra {JAN} til {FEB}: {len(answer.rows)}"
    assert lines[1].split() == ["category", "subject", "change"]
    assert out.stdout == answer.title_in("nb") + "\n" + show(answer, "table", "nb") + "\n"
    out = kg("diff", "previous", "latest", "-f", "csv", store=store)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(out.stdout.splitlines()))  # one table: no headline above it
    assert (
        "status",
        "T1 Skolebygg",
        "status fremdrift: Mindre forsinkelser → Forsinket (2024-03-29)",
    ) in {(r["category"], r["subject"], r["change"]) for r in rows}


def test_kg_snapshots_is_the_snapshot_answer(store):
    out = kg("snapshots", "--format", "json", store=store)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert [(r["dataset"], r["date"]) for r in body["rows"]] == [
        ("nye-testby", JAN),
        ("nye-testby", FEB),
        ("nye-testby", MAR),
    ]
    answer = H.snapshot_list(snapshots.root_for(store), None, "nb")
    assert [r["bytes"] for r in body["rows"]] == [r["bytes"] for r in answer.rows]


def test_status_history_marks_a_project_left_out_of_an_export(store):
    out = kg("status-history", "--project", "T2", "--format", "json", store=store)
    assert out.returncode == 0, out.stderr
    rows = {r["dimension"]: r for r in json.loads(out.stdout)["rows"]}
    time = rows["Status fremdrift"]
    assert (time[JAN], time[FEB], time[MAR]) == (
        "På plan",
        "ikke med i eksporten",
        "ikke med i eksporten",
    )
    assert time["states"] == {JAN: "value", FEB: "absent", MAR: "absent"}
    answer = H.status_strip(snapshots.root_for(store), "nye-testby", "nb", "T1")
    t1 = {r["dimension"]: r for r in answer.rows}["Status fremdrift"]
    assert [t1["colours"][d] for d in (JAN, FEB, MAR)] == ["green", "amber", "red"]
    # only the dimensions the exports have: no quality or gains rows
    assert {r["dimension"] for r in answer.rows} == {
        "Status fremdrift",
        "Status økonomi",
        "Status risiko",
        "Fase",
    }


def test_bad_dates_and_datasets_are_user_errors(store):
    out = kg("diff", "2023-01-01", store=store)
    assert out.returncode == 1 and "ingen øyeblikksbilde av nye-testby" in out.stderr
    assert "Traceback" not in out.stderr
    out = kg("status-history", "--dataset", "nye-ukjent", store=store, lang="en")
    assert out.returncode == 1 and "no snapshots of 'nye-ukjent'" in out.stderr
    assert "Traceback" not in out.stderr


def test_kg_changes_is_the_edit_answer(store):
    add_edit(store)
    out = kg("changes", "--format", "json", store=store, lang="en")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    s = open_store("embedded", path=store, read_only=True)
    try:
        answer = H.edit_log(s, None, None, "nb", full=True)
    finally:
        s.close()
    assert body["columns"] == answer.keys
    assert body["rows"] == plain(answer.shown())
    row = answer.rows[0]
    assert (row["who"], row["action"], row["key"], row["reason"]) == (
        "Kari Nordmann",
        "add",
        "D1",
        "Avtalt i styremøtet",
    )
    assert (row["action_text"], row["kind_text"]) == ("la til", "avhengighet")
    assert ("from", None, "T3") in row["changed"]
    table = kg("changes", store=store)
    assert table.returncode == 0 and "Kari Nordmann" in table.stdout
    # the columns a table shows: before/after only in the JSON document
    assert "before" not in table.stdout.splitlines()[0]
