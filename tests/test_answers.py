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
from conftest import NYE_ASKER, ROOT

from graph import answers as V
from graph.answers import planner
from graph.cli import build_parser
from graph.load import load
from graph.store import open_store


def kg(*args: str, store: Path, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_STORE": str(store), "KG_LANG": lang}
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def path(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("answers") / "store"
    load(open_store("embedded", path=p), NYE_ASKER)
    return p


@pytest.fixture(scope="module")
def store(path):
    return open_store("embedded", path=path, read_only=True)


# Every command that takes --format and prints an answer on the bundled graph (the rest write
# files, change the store or need a server).
JSON_COMMANDS = [
    ("stats",), ("query", "SELECT ?s WHERE { ?s a kg:Project } LIMIT 3"), ("deps", "A4"),
    ("deps", "A4", "--reverse"), ("impact", "d-ikt"), ("whatif", "A2", "--weeks", "8"),
    ("whatif", "--system", "gerica"), ("who", "A4"), ("trace", "--sdg", "11"), ("trace", "--project", "AP1"),
    ("gaps",), ("queries",), ("run", "dependencies", "-p", "project=A4"), ("validate",), ("snapshots",),
    ("import", "suggest", "{PP}"), ("kpis",), ("kpis", "K1"), ("budget",), ("risks",),
]  # fmt: skip


def test_every_json_command_is_listed():
    """A new command with --format must be added above (or here, with the reason it cannot run)."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    listed = {c[0] for c in JSON_COMMANDS}
    not_run = {
        "load",
        "export",
        "push",
        "synth",
        "diff",
        "as-of",
        "export-pp",
        "export-archimate",
        "export-rdf",
    }
    assert set(sub.choices) == listed | not_run, set(sub.choices) ^ (listed | not_run)


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=" ".join)
def test_json_output_is_one_document(path, args, tmp_path):
    if "{PP}" in args:  # a Prosjektportalen export with columns the importer does not know
        sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "importers"))
        import vestby

        args = tuple(str(vestby.portfolio(tmp_path, 1)) if a == "{PP}" else a for a in args)
    out = kg(*args, "--format", "json", store=path)
    assert out.returncode in (0, 1), out.stderr  # validate exits 1 when it finds violations
    body = json.loads(out.stdout)  # raises on two documents one after the other ("Extra data")
    assert isinstance(body, dict) and ("rows" in body or "sections" in body), out.stdout[:300]


def cli_rows(path: Path, *args: str, lang: str = "en") -> dict:
    out = kg(*args, "--format", "json", "--lang", lang, store=path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def plain(rows: list[dict]) -> list[dict]:
    """Rows as JSON carries them (dates as ISO text, IRIs as strings)."""
    return json.loads(json.dumps(rows, default=str, ensure_ascii=False))


def test_who_names_the_people_in_both_languages_as_the_app_does(path, store):
    for lang in ("nb", "en"):
        g = V.graph_for(store, lang)
        a4 = V.find_node(g, "A4", V.PROJECT_KINDS)
        rows = cli_rows(path, "who", "A4", lang=lang)["rows"]
        by_role = {r["role"]: r["label"] for r in rows}
        # S001 (prosjektmandat Digitale Asker 2020): leader Ragnar Husum, owner Lars Bjerke.
        assert by_role["leader"] == "Ragnar Husum" and by_role["owner"] == "Lars Bjerke", rows
        assert all(r["label"] for r in rows), "no blank names (the bug of issue 11)"
        app = V.accountability(store, g, a4, lang)  # what the governance page shows
        assert [(r["role"], r["label"]) for r in rows] == [(r["role"], r["name"]) for r in app]


def test_deps_impact_whatif_trace_rows_are_the_answers_rows(path, store):
    g = V.graph_for(store, "en")
    a4, a2 = V.find_node(g, "A4", V.PROJECT_KINDS), V.find_node(g, "A2", V.PROJECT_KINDS)
    dikt, gerica = V.find_node(g, "d-ikt"), V.find_node(g, "gerica", {"System"})
    sdg11 = V.find_node(g, "11", V.SDG_KINDS)

    assert cli_rows(path, "deps", "A4")["rows"] == plain(planner.deps(g, a4).shown())
    assert cli_rows(path, "impact", "d-ikt")["rows"] == plain(planner.impact(g, dikt).shown())
    # The app's impact page shows V.impact; the CLI's rows are those rows, kind by kind.
    app = [(k, r.code, r.path) for k, rs in V.impact(g, dikt).items() for r in rs]
    assert [
        (r["kind"], r["code"], r["path"]) for r in cli_rows(path, "impact", "d-ikt")["rows"]
    ] == app

    today = V.as_of(store)
    assert today == dt.date(2017, 2, 1)  # data/nye-asker/status_reports.csv: the newest report
    sc = V.slip(g, store, a2, 8, today.isoformat())  # what the impact page calls
    body = cli_rows(path, "whatif", "A2", "--weeks", "8")
    delays, milestones = body["sections"]
    assert [r["code"] for r in delays["rows"]] == [d["code"] for d in sc.delays]
    assert [r["path"] for r in milestones["rows"]] == [m["path"] for m in sc.milestones]
    assert body == json.loads(json.dumps({"key": "whatif", "sections": [
        {"key": s.key, "title": s.title_in("en"), "columns": s.keys, "rows": plain(s.shown()), "truncated": False}
        for s in planner.whatif(sc, "en").sections]}))  # fmt: skip
    off = V.switch_off(g, store, gerica, today.isoformat())
    body = cli_rows(path, "whatif", "--system", "gerica")
    assert [r["path"] for r in body["sections"][1]["rows"]] == [m["path"] for m in off.milestones]

    assert cli_rows(path, "trace", "--sdg", "11")["rows"] == plain(
        planner.trace_down(store, g, sdg11).shown()
    )
    # The SDG page's trace is built from the same walk (trace_rows): same (target, goal, project).
    page = {(r["target"], r["local_goal"], r["project"]) for r in V.trace_rows(store, g, sdg11)}
    cli = {
        (r["target"], r["local_goal"], r["project"])
        for r in cli_rows(path, "trace", "--sdg", "11")["rows"]
    }
    assert cli == page and cli


def test_one_rdf_export_for_cli_and_app(path, store, tmp_path):
    """kg export and the app's download are the same bytes (one function writes both)."""
    out = tmp_path / "g.ttl"
    assert kg("export", "--to", "turtle", "-o", str(out), store=path).returncode == 0
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
        assert rows and {n: ex.depth[n] for n in ex.reached} == {r["node"]: r["depth"] for r in rows}
