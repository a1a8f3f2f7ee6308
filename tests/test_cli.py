"""The kg command as a user runs it: real processes, exit codes 0/1/2, messages in nb and en."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NYE_ASKER, ROOT


def kg(
    *args: str, store: Path, lang: str = "en", stdin: str | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_STORE": str(store), "KG_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    done = kg("load", str(NYE_ASKER), store=path)
    assert done.returncode == 0, done.stderr
    assert "reading and validating" in done.stderr  # progress is shown
    return path


def test_load_reports_records_and_triples(store):
    out = kg("stats", store=store)
    assert out.returncode == 0
    assert out.stdout.startswith("Triples: ")
    assert "Project" in out.stdout and "GovernanceBody" in out.stdout


def test_load_prepares_the_apps_view_of_the_new_generation(store):
    # The app opens a big graph in well under a second only if its view is already built.
    live = (store / "current").resolve().name
    assert list((store / "views").glob(f"{live}.labelled-en.*.pickle"))


def test_deps_a4_lists_a2_first_with_its_source(store):
    out = kg("deps", "A4", "--format", "json", store=store)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["rows"]
    a2 = next(r for r in rows if r["code"] == "A2")
    assert (
        a2["depth"] == 1 and "Viktigste avhengighet" in a2["rationale"] and "S000" in a2["source"]
    )


def test_query_csv_and_a_refused_update(store):
    ok = kg(
        "query",
        "SELECT ?code WHERE { ?p skos:notation ?code } ORDER BY ?code LIMIT 3",
        "-f",
        "csv",
        store=store,
    )
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "code"
    bad = kg("query", "DELETE WHERE { ?s ?p ?o }", store=store, lang="nb")
    assert bad.returncode == 1
    assert bad.stderr.strip() == (
        "Feil: avvist: DELETE ville endret grafen; bare lesespørringer "
        "(SELECT, ASK, CONSTRUCT, DESCRIBE) er tillatt"
    )


def test_run_named_query_with_a_bad_parameter(store):
    out = kg("run", "dependencies", "--param", "project=A9", store=store)
    assert out.returncode == 1
    # The message names the three closest project codes (A5–A7 exist; A9 does not).
    assert out.stderr.strip() == (
        "Error: dependencies: parameter 'project': nothing is called 'A9' (projects); did you mean A7, A6, A5?"
    )
    typo = kg("run", "dependencies", "--param", "projekt=A4", store=store)
    assert typo.returncode == 1 and "unknown parameter 'projekt' (known: project)" in typo.stderr


def test_malformed_query_is_a_user_error(store):
    out = kg("query", "SELECT ?x WHERE { ?x ", store=store)
    assert out.returncode == 1 and out.stderr.startswith("Error: malformed query")


def test_row_limit_is_reported_not_silent(store):
    out = kg("query", "SELECT ?s WHERE { ?s ?p ?o }", "--limit", "5", "-f", "json", store=store)
    assert out.returncode == 0
    body = json.loads(out.stdout)
    assert len(body["rows"]) == 5 and body["truncated"] is True
    assert "cut at 5 rows" in out.stderr


def test_failed_load_exits_1_and_leaves_the_graph(store, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "manifest.yaml").write_text(
        "name: nye-asker\nbase: https://data.kommunegraf.no/nye-asker/\n"
    )
    (bad / "projects.csv").write_text("id,title,type,source\nA4,X,project,S9\n")
    before = kg("stats", store=store).stdout
    out = kg("load", str(bad), store=store, lang="nb")
    assert out.returncode == 1
    assert (
        "projects.csv, rad 2, kolonne 'source': 'S9' viser ikke til noen post i kilder"
        in out.stderr
    )
    assert kg("stats", store=store).stdout == before


@pytest.mark.parametrize(
    "fmt,marker",
    [("turtle", "@prefix"), ("ntriples", "<http"), ("jsonld", "@id"), ("graphml", "<graphml")],
)
def test_export_formats(store, tmp_path, fmt, marker):
    target = tmp_path / f"out.{fmt}"
    out = kg("export", "--to", fmt, "-o", str(target), store=store)
    assert out.returncode == 0, out.stderr
    assert marker in target.read_text(encoding="utf-8")[:5000]


def test_whatif_and_who_and_gaps(store):
    whatif = kg("whatif", "A2", "--weeks", "8", "-f", "csv", store=store)
    assert (
        whatif.returncode == 0
        and "Nye Asker kommune lanseres,2020-01-01,8.0,2020-02-26" in whatif.stdout
    )
    who = kg("who", "A4", store=store)
    assert who.returncode == 0 and "fellesnemnda" in who.stdout
    gaps = kg("gaps", store=store)
    assert (
        gaps.returncode == 0
        and "## Prioritised targets with no project or action (28)" in gaps.stdout
    )


def test_no_graph_yet_is_a_clear_error(tmp_path):
    out = kg("stats", store=tmp_path / "empty")
    assert out.returncode == 1 and "run 'kg load data/nye-asker' first" in out.stderr


def test_trace_from_an_sdg_walks_the_view_with_the_named_querys_rows(store):
    walked = kg("trace", "--sdg", "11", "--format", "json", store=store)
    named = kg("run", "trace_down", "-p", "sdg=11", "--format", "json", store=store)
    assert walked.returncode == 0 and named.returncode == 0, walked.stderr + named.stderr
    key = lambda r: (r["target"], r["local_goal"], r["step"], r["project"], r["kpi"])  # noqa: E731
    rows = json.loads(walked.stdout)["rows"]
    assert rows and {key(r) for r in rows} == {key(r) for r in json.loads(named.stdout)["rows"]}
    assert any(r["project_code"] == "A/P 1" for r in rows)
