"""kg impact / whatif / deps / critical-path / timeline as a user runs them: ranked rows with
why-paths, one JSON document per answer, exit 1 with nb and en messages for user errors."""

from __future__ import annotations

import json

import pytest
from conftest import NYE_ASKER
from test_cli import kg


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("impact-cli") / "store"
    done = kg("load", str(NYE_ASKER), store=path)
    assert done.returncode == 0, done.stderr
    return path


def section(body: dict, key: str) -> list[dict]:
    """The rows of one section of a what-if (one JSON document with its parts as sections)."""
    return next(s["rows"] for s in body["sections"] if s["key"] == key)


def test_impact_json_is_ranked_with_every_hop_and_the_count_left_out(store):
    out = kg("impact", "A2", "-f", "json", store=store)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    first = body["rows"][0]
    # A4's «Viktigste avhengighet: A2» (S000 L1857-1860) is the first, direct and full-strength row.
    assert (first["code"], first["depth"], first["strength"]) == ("A4", 1, 1.0)
    assert first["hops"][0]["locator"] == "L1857-1860" and first["hops"][0]["source"] == "S000"
    depths = [r["depth"] for r in body["rows"]]
    assert depths == sorted(depths, key=lambda d: d != 1)  # direct links first
    assert body["left_out"] > 0 and all(r["strength"] >= body["min_strength"] for r in body["rows"])
    every = json.loads(kg("impact", "A2", "--all", "-f", "json", store=store).stdout)
    assert len(every["rows"]) == len(body["rows"]) + body["left_out"] and every["left_out"] == 0
    # An interpretation is marked: A4 → del-grunnlagsdokument is «implied» (S000 L583-586).
    grunnlag = next(r for r in body["rows"] if r["code"] == "del-grunnlagsdokument")
    assert grunnlag["interpreted"] == "yes" and grunnlag["hops"][-1]["interpreted"] is True


def test_impact_limit_shows_the_first_rows_and_counts_the_rest(store):
    """``--limit N`` (issue 16: a hub's first page): the first N rows of the whole ranking, and
    the table and the JSON say how many there are; without it every row, as before."""
    whole = json.loads(kg("impact", "A2", "-f", "json", store=store).stdout)
    assert len(whole["rows"]) > 2 and "total" not in whole and "not_shown" not in whole
    out = kg("impact", "A2", "--limit", "2", "-f", "json", store=store)
    assert out.returncode == 0, out.stderr
    page = json.loads(out.stdout)
    # A4's «Viktigste avhengighet: A2» (S000 L1857-1860) still leads the page.
    assert page["rows"] == whole["rows"][:2] and page["rows"][0]["code"] == "A4"
    assert page["total"] == len(whole["rows"]) and page["not_shown"] == len(whole["rows"]) - 2
    assert page["truncated"] is True and whole["truncated"] is False
    assert page["left_out"] == whole["left_out"]  # the weak rows are still counted apart
    n = len(whole["rows"])
    table = kg("impact", "A2", "--limit", "2", store=store, lang="nb").stdout
    assert f"Viser 2 av {n} treff" in table and "A4" in table
    assert f"Showing 2 of {n} rows" in kg("impact", "A2", "--limit", "2", store=store).stdout
    # Must not: a limit the answer does not reach says nothing of a page.
    assert "Showing" not in kg("impact", "A2", "--limit", str(n), store=store).stdout
    bad = kg("impact", "A2", "--limit", "-1", store=store)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "--limit -1" in bad.stderr and (
        "0 or more" in bad.stderr or "0 eller flere" in bad.stderr
    )


def test_deps_starts_from_any_node_kind_and_ignores_case(store):
    # Kunnskapsgrunnlag del 2 (an A1 deliverable) refers to A/P 3, A6 and A4 (S000 L598-605).
    out = kg("deps", "del-kunnskapsgrunnlag-2", "-f", "json", store=store)
    assert out.returncode == 0, out.stderr
    assert {"A/P 3", "A6", "A4"} <= {
        r["code"] for r in json.loads(out.stdout)["rows"] if r["depth"] == 1
    }
    lower = kg("deps", "a4", "-f", "json", store=store)
    assert lower.returncode == 0 and json.loads(lower.stdout) == json.loads(
        kg("deps", "A4", "-f", "json", store=store).stdout
    )


def test_unknown_code_gets_three_suggestions_in_both_languages(store):
    en = kg("impact", "gerika", store=store)
    nb = kg("impact", "gerika", store=store, lang="nb")
    assert (
        en.returncode == 1 and "did you mean gerica" in en.stderr and "Traceback" not in en.stderr
    )
    assert nb.returncode == 1 and "mente du gerica" in nb.stderr


def test_whatif_prints_the_as_of_date_and_parses_dates_people_write(store):
    out = kg("whatif", "A2", "--weeks", "8", store=store)
    assert out.returncode == 0 and out.stdout.startswith(
        "As of: 2017-02-01 (the dataset's status date)"
    )
    late = kg(
        "whatif",
        "A2",
        "--weeks",
        "8",
        "--as-of",
        "20.02.2019",
        "-f",
        "json",
        store=store,
        lang="nb",
    )
    body = json.loads(late.stdout)
    assert body["as_of"] == "2019-02-20" and [s["key"] for s in body["sections"]] == [
        "delays",
        "milestones",
    ]
    milestones = section(body, "milestones")
    assert milestones and all(m["date"] >= "2019-02-20" for m in milestones)  # passed: not at risk
    launch = next(m for m in milestones if m["milestone"] == "Nye Asker kommune lanseres")
    assert (launch["owner"], launch["board"], launch["decides"]) == (
        "Fellesnemnda",
        "Programledelse",
        "Fellesnemnda",
    )
    iso = json.loads(kg("whatif", "A2", "--as-of", "2019-02-20", "-f", "json", store=store).stdout)
    assert iso["as_of"] == "2019-02-20"
    bad = kg("whatif", "A2", "--as-of", "20/02/2019", store=store)
    assert bad.returncode == 1 and "is not a date" in bad.stderr and "Traceback" not in bad.stderr


def test_switch_off_names_users_decisions_and_ranked_affected(store):
    body = json.loads(
        kg("whatif", "--system", "gerica", "-f", "json", store=store, lang="nb").stdout
    )
    # «Omforent ønske om valg av Gerica – Brukes i Røyken og Asker» (S001 L282).
    assert {u["municipality"] for u in section(body, "users")} == {
        "Asker kommune",
        "Røyken kommune",
    }
    assert [d["state"] for d in section(body, "decisions")] == ["valgt for nye Asker"]
    affected = section(body, "affected")
    assert affected[0]["code"] == "A4" and "S001 L282" in affected[0]["why"]
    # The switch-off is no list of every project with empty paths (issue 12): each row has one.
    assert all("→[" in r["why"] for r in affected) and body["as_of"] == "2017-02-01"


def test_critical_path_and_timeline_are_json_documents(store):
    chain = json.loads(kg("critical-path", "ms-2020-01-01", "-f", "json", store=store).stdout)[
        "rows"
    ]
    assert [r["code"] for r in chain][-1] == "ms-2020-01-01" and chain[0]["code"] == "A2"
    assert "partOf" not in {r["relation_to_next"] for r in chain}
    bars = json.loads(
        kg("timeline", "--slip", "A2", "--weeks", "8", "-f", "json", store=store).stdout
    )["rows"]
    a4 = next(b for b in bars if b["code"] == "A4")
    assert (a4["end"], a4["new_end"]) == ("2020-01-01", "2020-02-26")
