"""One answer per question: every ``--format json`` output is one JSON document, and the CLI
prints the very rows the app's pages are built from (issue 11)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from graph import answers as V
from graph.answers import planner
from graph.cli import build_parser
from graph.cli.common import show
from graph.store import open_store


def kg(*args: str, store: Path, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_STORE": str(store), "KG_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def store(kg_store):
    return open_store("embedded", path=kg_store, read_only=True)


# Every command that takes --format and prints an answer on the bundled graph (the rest write
# files, change the store or need a server).
JSON_COMMANDS = [
    ("stats",),
    ("query", "SELECT ?s WHERE { ?s a kg:Project } LIMIT 3"),
    ("deps", "A4"),
    ("deps", "A4", "--reverse"),
    ("impact", "d-ikt"),
    ("whatif", "A2", "--weeks", "8"),
    ("whatif", "--system", "gerica"),
    ("critical-path", "ms-2020-01-01"),
    ("timeline", "--slip", "A2"),
    ("who", "A4"),
    ("trace", "--sdg", "11"),
    ("trace", "--project", "AP1"),
    ("gaps",),
    ("queries",),
    ("run", "dependencies", "-p", "project=A4"),
    ("validate",),
    ("snapshots",),
    ("status-history",),
    ("import", "suggest", "{PP}"),
    ("changes",),
    ("conflicts",),
    ("kpis",),
    ("kpis", "K1"),
    ("budget",),
    ("risks",),
]


def test_every_json_command_is_listed():
    """A new command with --format must be added above (or here, with the reason it cannot run)."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    listed = {c[0] for c in JSON_COMMANDS}
    not_run = {
        "load",  # writes a store: tested apart (test_load_json_is_one_document)
        "export",
        "push",
        "synth",
        "diff",
        "as-of",
        "export-pp",
        "export-archimate",
        "export-rdf",
        "export-csv",  # writes the CSV folder (tests/test_csv_export.py)
    }
    assert set(sub.choices) == listed | not_run, set(sub.choices) ^ (listed | not_run)


def test_load_json_is_one_document(tmp_path):
    """`kg load --format json`: the report as one JSON document, not the sentence of the table
    format; the loaded-anyway warnings in it in the language chosen."""
    out = kg(
        "load", str(ROOT / "data" / "nye-asker"), "--format", "json", store=tmp_path, lang="nb"
    )
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)  # raises on text or on two documents
    assert not out.stdout.startswith("Lastet")
    assert body["dataset"] == "nye-asker" and body["triples"] > 0
    # data/nye-asker/dependencies.csv row 14 (D13: A3 cooperates with A4, A4 back with A3)
    assert any("rad 14" in w and "A3 → A4 → A3" in w for w in body["warnings"]), body
    assert not any("row 14" in w for w in body["warnings"]), "nb chosen: no English warning"


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=" ".join)
def test_json_output_is_one_document(kg_store, args, tmp_path):
    if "{PP}" in args:  # a Prosjektportalen export with columns the importer does not know
        sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "importers"))
        import vestby

        args = tuple(str(vestby.portfolio(tmp_path, 1)) if a == "{PP}" else a for a in args)
    out = kg(*args, "--format", "json", store=kg_store)
    assert out.returncode in (0, 1), out.stderr  # validate exits 1 when it finds violations
    body = json.loads(out.stdout)  # raises on two documents one after the other ("Extra data")
    # An answer has rows or sections; a suggested import mapping is a document of its own kind.
    shape = ("mapping", "columns") if args[:2] == ("import", "suggest") else ("rows",)
    assert isinstance(body, dict) and (all(k in body for k in shape) or "sections" in body), (
        out.stdout[:300]
    )


def cli_rows(path: Path, *args: str, lang: str = "en") -> dict:
    out = kg(*args, "--format", "json", "--lang", lang, store=path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def plain(rows: list[dict]) -> list[dict]:
    """Rows as JSON carries them (dates as ISO text, IRIs as strings)."""
    return json.loads(json.dumps(rows, default=str, ensure_ascii=False))


def test_who_names_the_people_in_both_languages_as_the_app_does(kg_store, store):
    for lang in ("nb", "en"):
        g = V.graph_for(store, lang)
        a4 = V.find_node(g, "A4", V.PROJECT_KINDS)
        rows = cli_rows(kg_store, "who", "A4", lang=lang)["rows"]
        by_role = {r["role"]: r["label"] for r in rows}
        # S001 (prosjektmandat Digitale Asker 2020): leader Ragnar Husum, owner Lars Bjerke.
        assert by_role["leader"] == "Ragnar Husum" and by_role["owner"] == "Lars Bjerke", rows
        assert all(r["label"] for r in rows), "no blank names (the bug of issue 11)"
        app = V.accountability(store, g, a4, lang)  # what the governance page shows
        assert [(r["role"], r["label"]) for r in rows] == [(r["role"], r["name"]) for r in app]


def as_json(answer, lang: str = "en") -> dict:
    """The answer as the CLI writes it (one JSON document) — the rows the app's page shows."""
    return json.loads(show(answer, "json", lang))


def test_deps_impact_whatif_trace_rows_are_the_answers_rows(kg_store, store):
    g = V.graph_for(store, "en")
    a4, a2 = V.find_node(g, "A4", V.PROJECT_KINDS), V.find_node(g, "A2", V.PROJECT_KINDS)
    dikt, gerica = V.find_node(g, "d-ikt"), V.find_node(g, "gerica", {"System"})
    sdg11 = V.find_node(g, "11", V.SDG_KINDS)

    assert cli_rows(kg_store, "deps", "A4")["rows"] == plain(planner.deps(g, a4).shown())

    # Impact: the app's impact page calls V.impact (graph/answers/scenarios.py) as kg impact does.
    for start, code in ((dikt, "d-ikt"), (a2, "A2")):
        body = cli_rows(kg_store, "impact", code)
        app = V.impact(g, start, lang="en")
        assert body == as_json(app) and body["rows"], code
        assert [(r["code"], r["why"]) for r in body["rows"]] == [
            (r["code"], r["why"]) for r in app.rows
        ]
        assert body["left_out"] == app.facts["left_out"]
    # «Viktigste avhengighet: A2» (S000 L1857-1860): A4 is the first row of A2's impact.
    assert V.impact(g, a2).rows[0]["code"] == "A4"
    every = cli_rows(kg_store, "impact", "A2", "--all")
    assert every == as_json(V.impact(g, a2, show_all=True, lang="en")) and every["left_out"] == 0

    today = V.as_of(store)
    assert today == dt.date(2017, 2, 1)  # data/nye-asker/status_reports.csv: the newest report
    as_of, given = V.as_of_for(store, a2, None)  # what the impact page calls
    assert (as_of, given) == (today, False)
    sc = V.slip(store, g, a2, 8, as_of, given)
    body = cli_rows(kg_store, "whatif", "A2", "--weeks", "8")
    assert body == as_json(sc) and body["as_of"] == "2017-02-01"
    delays, milestones = body["sections"]
    assert [r["code"] for r in delays["rows"]][:2] == ["A2", "A4"]
    launch = next(m for m in milestones["rows"] if m["milestone"] == "Nye Asker kommune lanseres")
    assert launch["owner"] == "Joint committee (of the merging municipalities)"  # S000 L241-243
    off = V.switch_off(store, g, gerica, as_of, "en", False)
    body = cli_rows(kg_store, "whatif", "--system", "gerica")
    assert body == as_json(off) and [s["key"] for s in body["sections"]] == [
        "users",
        "decisions",
        "affected",
    ]
    assert (
        body["sections"][2]["rows"][0]["code"] == "A4"
    )  # S001 L282: Gerica chosen for A4's domain
    # Must NOT happen: the old answer, every main project reached through reporting links.
    assert "A3" not in {r["code"] for r in body["sections"][2]["rows"]}

    assert cli_rows(kg_store, "trace", "--sdg", "11")["rows"] == plain(
        planner.trace_down(store, g, sdg11).shown()
    )
    # The SDG page's trace is built from the same walk (trace_rows): same (target, goal, project).
    page = {(r["target"], r["local_goal"], r["project"]) for r in V.trace_rows(store, g, sdg11)}
    cli = {
        (r["target"], r["local_goal"], r["project"])
        for r in cli_rows(kg_store, "trace", "--sdg", "11")["rows"]
    }
    assert cli == page and cli


def test_one_rdf_export_for_cli_and_app(kg_store, store, tmp_path):
    """kg export and the app's download are the same bytes (one function writes both)."""
    out = tmp_path / "g.ttl"
    assert kg("export", "--to", "turtle", "-o", str(out), store=kg_store).returncode == 0
    assert out.read_bytes() == V.export(store, "turtle")
    assert b"@prefix kg:" in out.read_bytes()[:3000]


def test_the_explorer_reaches_what_kg_deps_lists(store):
    """The dependency explorer (one project, the "depends" relations) walks to the nodes that
    ``kg deps`` lists, at the same depth, both ways."""
    g = V.graph_for(store, "nb")
    a4 = V.find_node(g, "A4", V.PROJECT_KINDS)
    for reverse, direction in ((False, "up"), (True, "down")):
        ex = V.explore(g, [a4], direction, 2, ["depends"])
        rows = planner.deps(g, a4, reverse, 2).rows
        assert rows and {n: ex.depth[n] for n in ex.reached} == {
            r["node"]: r["depth"] for r in rows
        }
