"""Issue 6: change over time (history, snapshots, diff, as-of), exports and the kg commands.

Imports of «Nye Vestby» (tests/fixtures/importers/vestby.py, not in the repository's data):
two monthly Prosjektportalen exports and two registers. Expected answers are written by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import MINI, NYE_ASKER, ROOT, write_dataset

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "importers"))
import vestby  # noqa: E402
from vestby import BASE, FEB, JAN, status_rows  # noqa: E402

from graph import archimate, exports, snapshots  # noqa: E402
from graph.diff import diff  # noqa: E402
from graph.imports import import_file  # noqa: E402
from graph.load import load  # noqa: E402
from graph.store import open_store  # noqa: E402
from loaders.importing import read_workspace  # noqa: E402


@pytest.fixture
def vestby_store(tmp_path):
    return vestby.store(tmp_path)


# -- history, snapshots and diff -------------------------------------------------------------------


def test_a_reimport_adds_history_and_an_old_export_does_not_undo_a_newer_one(tmp_path):
    store = open_store("memory")
    jan, feb = vestby.portfolio(tmp_path, 1), vestby.portfolio(tmp_path, 2)
    import_file(store, jan, "pp", "Nye Vestby")
    import_file(store, jan, "pp", "Nye Vestby")  # the same file twice: nothing new
    n = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?r a kg:StatusReport ; kg:statusOf ?p FILTER(STRSTARTS(STR(?p), '{BASE}')) }}"
    assert store.query(n).rows == [(6,)]
    import_file(store, feb, "pp", "Nye Vestby")
    # DV, DV-3 and DV-4 repeat January's report; DV-1, DV-2 and BYG-1 report anew; DV-5 is new.
    assert store.query(n).rows == [(6 + 4,)]
    store2 = open_store("memory")
    import_file(store2, feb, "pp", "Nye Vestby")
    import_file(store2, jan, "pp", "Nye Vestby")  # January arrives late
    assert store2.query(n).rows == [(10,)]
    phase = f"SELECT ?f WHERE {{ <{BASE}project/BYG-1> kg:phase ?f }}"
    assert store2.query(phase).rows == [("Gjennomføre",)]  # February's phase stays current
    deps = f"SELECT ?d WHERE {{ <{BASE}project/DV-4> kg:dependsOn ?d }}"
    assert store2.query(deps).rows == [("http://metadata.un.org/sdg/3",)]


def test_two_monthly_exports_give_a_readable_diff(vestby_store, tmp_path):
    import_file(vestby_store, vestby.portfolio(tmp_path, 2), "pp", "Nye Vestby")
    import_file(vestby_store, vestby.register(tmp_path, 2), "register", "Nye Vestby")
    root = snapshots.root_of(vestby_store)
    snaps = snapshots.listing(root, "nye-vestby")
    assert [s.date for s in snaps] == [JAN, FEB]
    changes = diff(snapshots.read(snaps[0].path), snapshots.read(snaps[1].path))
    assert [(c.category, c.subject, c.en) for c in changes] == [
        ("projects", "DV-5 Chatbot for innbyggere", "new project"),
        ("sources", "pp-2024-02-29", "new source"),
        ("sources", "register-2024-02-29", "new source"),
        ("systems", "Nattilsyn", "new system"),
        ("dependencies", "DV-2 Digital innbyggerdialog", "now depends on DV-3 Velferdsteknologi"),
        (
            "dependencies",
            "DV-4 Digital hjemmeoppfølging",
            "no longer depends on DV-1 Felles saksbehandling",
        ),
        ("status", "BYG-1 Nytt rådhus", "phase: Planlegge → Gjennomføre (2024-02-26)"),
        (
            "status",
            "DV-1 Felles saksbehandling",
            "schedule: Mindre forsinkelser → Forsinket (2024-02-29)",
        ),
        # the «Overordnet status» comment changed in February's file (issue 14: now in the diff)
        (
            "status",
            "DV-1 Felles saksbehandling",
            "status comment: Venter på anskaffelse → Anskaffelsen er forsinket (2024-02-29)",
        ),
        (
            "status",
            "DV-5 Chatbot for innbyggere",
            "first report: schedule På plan, budget På budsjett, risk Lav, gains Ikke påbegynt, phase Idé (2024-02-27)",
        ),
        ("roles", "DV-2 Digital innbyggerdialog", "new leader: Ola Nordmann (was Lise Berg)"),
        ("systems", "Nye Vestby", "started using Nattilsyn"),
        ("systems", "Nye Vestby", "stopped using ePhorte"),
        ("evaluations", "Visma Enterprise (Nye Vestby)", "evaluation: Yellow → Green"),
    ]
    assert changes[10].nb == "ny leder: Ola Nordmann (var Lise Berg)"
    # the graph as of a date: January's status for DV-1, while the live graph has February's
    old = snapshots.as_of(root, "2024-02-15")
    assert ("DV-1", "Mindre forsinkelser") in {r[:2] for r in status_rows(old)}
    assert ("DV-1", "Forsinket") in {r[:2] for r in status_rows(vestby_store)}
    assert old.as_of == {"nye-vestby": JAN}  # nye Asker was loaded today, after that date


def test_diff_names_a_system_chosen_and_a_new_owner(tmp_path):
    import shutil

    folder = tmp_path / "asker"
    shutil.copytree(NYE_ASKER, folder)
    store = open_store("embedded", path=tmp_path / "kg" / "store")
    load(store, folder)
    before = snapshots.read(snapshots.listing(snapshots.root_of(store))[0].path)
    choices = (folder / "system_choices.csv").read_text(encoding="utf-8")
    choices = choices.replace(
        "dom-saksbehandling-og-arkiv,,pending,", "dom-saksbehandling-og-arkiv,esa,chosen,", 1
    )
    (folder / "system_choices.csv").write_text(choices, encoding="utf-8")
    projects = (folder / "projects.csv").read_text(encoding="utf-8")
    (folder / "projects.csv").write_text(
        projects.replace("fellesnemnda,lars-bjerke,", "fellesnemnda,ragnar-husum,", 1),
        encoding="utf-8",
    )
    load(store, folder)
    after = snapshots.read(
        snapshots.listing(snapshots.root_of(store))[0].path
    )  # same day: replaced
    got = {(c.category, c.subject, c.en) for c in diff(before, after)}
    assert ("choices", "Saksbehandling og arkiv", "system chosen: ESA – chosen (pending: –)") in got
    assert ("roles", "Prosjekt nye Asker", "new leader: Ragnar Husum (was Lars Bjerke)") in got


# -- exports back, and round trips -----------------------------------------------------------------


def _records(
    folder: Path, kinds=("projects", "status_reports", "dependencies", "memberships", "people")
) -> dict:
    _, held = read_workspace(folder)
    skip = {"locator", "note"}
    return {
        k: sorted(
            tuple(sorted((c, v) for c, v in cells.items() if c not in skip))
            for cells, _ in held.get(k, {}).values()
        )
        for k in kinds
    }


def test_prosjektportalen_export_reads_back_to_the_same_records(tmp_path):
    store = open_store("embedded", path=tmp_path / "a" / "store")
    import_file(store, vestby.portfolio(tmp_path, 1), "pp", "Nye Vestby")
    import_file(store, vestby.portfolio(tmp_path, 2), "pp", "Nye Vestby")
    out = tmp_path / "eksport" / "Porteføljestatus-2024-02-29.xlsx"
    out.parent.mkdir()
    assert exports.export_portfolio(store, out, "nye-vestby") == 7
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]][:7] == [
        "Tittel",
        "Prosjektnummer",
        "Program",
        "Overordnet prosjekt",
        "Tjenesteområde",
        "Prosjekttype",
        "Fase",
    ]
    byg = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "BYG-1")
    assert byg[16].value == "Forsinket" and byg[16].fill.fgColor.rgb.upper().endswith(
        "EA5C73"
    )  # PP red
    again = open_store("embedded", path=tmp_path / "b" / "store")
    import_file(again, out, "pp", "Nye Vestby")
    latest = _records(tmp_path / "a" / "imports" / "nye-vestby")
    # Only February's state is in one export: compare it with the latest report of each project.
    reports = {}
    for r in latest["status_reports"]:
        d = dict(r)
        if d["date"] > reports.get(d["project"], {}).get("date", ""):
            reports[d["project"]] = d
    back = _records(tmp_path / "b" / "imports" / "nye-vestby")
    assert sorted(dict(r)["project"] for r in back["status_reports"]) == sorted(reports)
    strip = {"source"}
    assert sorted(
        ({k: v for k, v in dict(r).items() if k not in strip} for r in back["status_reports"]),
        key=lambda d: d["project"],
    ) == sorted(
        ({k: v for k, v in r.items() if k not in strip} for r in reports.values()),
        key=lambda d: d["project"],
    )
    for kind in ("projects", "dependencies", "memberships"):
        assert [{k: v for k, v in dict(r).items() if k not in strip} for r in back[kind]] == [
            {k: v for k, v in dict(r).items() if k not in strip} for r in latest[kind]
        ], kind
    # people: the export writes names, and names are what the format holds
    assert {dict(r)["name"] for r in back["people"]} <= {dict(r)["name"] for r in latest["people"]}


def test_archimate_csv_has_archis_headers_and_reads_back_to_the_same_triples(
    vestby_store, tmp_path
):
    quads = exports.quads_of(vestby_store, "nye-vestby", sdg=True)
    counts = archimate.write(quads, tmp_path / "archi", "vestby-", "Nye Vestby")
    with open(tmp_path / "archi" / "vestby-elements.csv", encoding="utf-8") as f:
        elements = list(csv.reader(f))
    with open(tmp_path / "archi" / "vestby-relations.csv", encoding="utf-8") as f:
        relations = list(csv.reader(f))
    first = (
        (tmp_path / "archi" / "vestby-properties.csv").read_text(encoding="utf-8").splitlines()[0]
    )
    assert elements[0] == ["ID", "Type", "Name", "Documentation"]
    assert relations[0] == ["ID", "Type", "Name", "Documentation", "Source", "Target"]
    assert first == '"ID","Key","Value"'
    assert elements[1][1:3] == ["ArchimateModel", "Nye Vestby"]
    by_name = {e[2]: e for e in elements[2:]}
    assert (
        by_name["Digitale Vestby 2025"][1] == "WorkPackage"
        and by_name["Gerica"][1] == "ApplicationComponent"
    )
    assert (
        by_name["Kari Hansen"][1] == "BusinessActor"
        and by_name["Sak og arkiv"][1] == "BusinessFunction"
    )
    assert (
        by_name["3 God helse og livskvalitet"][1] == "Goal"
    )  # the SDG goals the projects implement
    assert not any(n.startswith("3.1 ") for n in by_name)  # but not the whole SDG tree
    assert all(
        set(e[0]) <= set("abcdefghijklmnopqrstuvwxyz0123456789-.") for e in elements[1:]
    )  # Archi's id rule
    part = [
        r for r in relations[1:] if r[2] == "partOf" and r[4] == by_name["Digitale Vestby 2025"][0]
    ]
    assert {r[1] for r in part} == {"AggregationRelationship"} and len(
        part
    ) == 3  # DV-1, DV-2, DV-3 (DV-4 is under DV-3)
    assert counts["elements"] == len(elements) - 2
    assert archimate.read(tmp_path / "archi", "vestby-") == archimate.triples(quads)


def test_turtle_and_json_ld_read_back_to_the_same_triples(vestby_store):
    import pyoxigraph as ox

    from loaders.sourcefile import per_record

    quads = exports.quads_of(vestby_store, "nye-vestby")
    # Without graphs, each record says its graph's file itself (as every record did before the
    # file was said once per graph); the graph's own line is not in the union.
    want = {(q.subject, q.predicate, q.object) for q in per_record(quads)}
    assert want != {(q.subject, q.predicate, q.object) for q in quads}
    for fmt, rdf in (("turtle", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
        data = exports.export_rdf(vestby_store, fmt, "nye-vestby")
        got = {(t.subject, t.predicate, t.object) for t in ox.parse(data, format=rdf)}
        assert got == want, fmt


# -- the kg command --------------------------------------------------------------------------------


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


def test_the_cli_imports_diffs_queries_as_of_and_exports(tmp_path):
    store = tmp_path / "kg" / "store"
    for args in (
        ("pp", str(vestby.portfolio(tmp_path, 1))),
        ("register", str(vestby.register(tmp_path, 1))),
        ("pp", str(vestby.portfolio(tmp_path, 2))),
    ):
        done = kg("import", *args, "--municipality", "Nye Vestby", store=store)
        assert done.returncode == 0, done.stderr
    assert "Imported Prosjektportalen as of 2024-02-29 into 'nye-vestby'" in done.stdout
    # «Status kvalitet» is stored now (issue 14), and the report says where the date came from
    assert "Known columns that are not stored" not in done.stdout
    assert (
        "Date 2024-02-29: the latest date in the column 'Sist endret' of the file." in done.stdout
    )
    out = kg("run", "status_overview", "--format", "json", store=store)
    assert out.returncode == 0, out.stderr
    out = kg("diff", "2024-01-31", "2024-02-29", store=store, lang="nb")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "Endringer i nye-vestby fra 2024-01-31 til 2024-02-29: 9"
    assert "avhenger ikke lenger av DV-1 Felles saksbehandling" in out.stdout
    out = kg("as-of", "2024-02-01", "status_overview", "-f", "csv", store=store)
    assert out.returncode == 0, out.stderr
    assert {(r["code"], r["time"]) for r in csv.DictReader(out.stdout.splitlines())} >= {
        ("DV-1", "Mindre forsinkelser")
    }
    out = kg("snapshots", "-f", "csv", store=store)
    assert [line.split(",")[:2] for line in out.stdout.splitlines()[1:]] == [
        ["nye-vestby", "2024-01-31"],
        ["nye-vestby", "2024-02-29"],
    ]
    for cmd in (
        ("export-pp", "-o", str(tmp_path / "pp.xlsx")),
        ("export-archimate", "-o", str(tmp_path / "archi")),
        ("export-rdf", "--to", "jsonld", "-o", str(tmp_path / "v.jsonld")),
    ):
        done = kg(*cmd, store=store)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "archi" / "elements.csv").exists() and (
        tmp_path / "v.jsonld"
    ).stat().st_size > 1000
    bad = kg("import", "pp", str(tmp_path / "v.jsonld"), "-m", "Nye Vestby", store=store, lang="nb")
    assert bad.returncode == 1 and bad.stderr.endswith(
        "Lasting avbrutt, ingenting er endret:\n"
        "v.jsonld: filtypen '.jsonld' kan ikke importeres (bruk .xlsx eller .csv)\n"
    )
    out = kg("import", "suggest", str(vestby.portfolio(tmp_path, 1)), store=store)
    assert out.returncode == 0 and "importer: pp" in out.stdout and "header_row: 3" in out.stdout


def test_kg_load_keeps_a_dated_snapshot(tmp_path):
    store = open_store("embedded", path=tmp_path / "kg" / "store")
    load(store, write_dataset(tmp_path / "mini", MINI))
    snaps = snapshots.listing(tmp_path / "kg" / "snapshots")
    assert [(s.dataset, s.date) for s in snaps] == [("mini", dt.date.today())]
    assert open_store("memory") is not None and snapshots.root_of(open_store("memory")) is None
