"""Issue 14: real Prosjektportalen exports as municipalities have them; a later export never erases.

The files are built in tests/fixtures/importers/months.py (March: XLSX with renamed labels;
April: PP365's default «Porteføljestatus» view as a `;` CSV in Windows-1252 or UTF-8 with BOM).
Every expected value below is read off those rows by hand (row numbers are the sheet's).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "importers"))
import months  # noqa: E402

from graph import snapshots  # noqa: E402
from graph.diff import diff  # noqa: E402
from graph.imports import import_file, suggest_mapping  # noqa: E402
from graph.store import open_store  # noqa: E402
from loaders.errors import LoadError  # noqa: E402
from loaders.importing import read_workspace  # noqa: E402
from loaders.multivalue import split_goals, split_values  # noqa: E402
from loaders.people import TITLES, parse_people  # noqa: E402
from loaders.prosjektportalen import SERVICE_AREAS, _is_goal_name, _known_area, goal_number  # noqa: E402

MARCH, APRIL = (
    "2018-03-31",
    "2018-04-27",
)  # the file name's month; April's latest «Siste rapporteringsdato»


def _import(folder: Path, order: tuple[str, ...], encoding: str = "cp1252"):
    files = {"march": months.march(folder), "april": months.april(folder, encoding)}
    store = open_store("embedded", path=folder / "kg" / "store")
    reports = [import_file(store, files[m], "pp", "Nye Fjordby") for m in order]
    return store, reports


def _history(store) -> tuple[list, list, dict]:
    """The snapshots' dates, the diff between each two, and the workspace's rows."""
    snaps = snapshots.listing(snapshots.root_of(store), "nye-fjordby")
    changes = [
        [
            (c.category, c.subject, c.en)
            for c in diff(snapshots.read(a.path), snapshots.read(b.path))
        ]
        for a, b in zip(snaps, snaps[1:], strict=False)
    ]
    _, held = read_workspace(Path(store.root).parent / "imports" / "nye-fjordby")
    rows = {k: sorted(tuple(sorted(c.items())) for c, _ in v.values()) for k, v in held.items()}
    return [str(s.date) for s in snaps], changes, rows


@pytest.fixture(scope="module")
def both_orders(tmp_path_factory):
    forward = _import(tmp_path_factory.mktemp("fwd"), ("march", "april"))
    backward = _import(tmp_path_factory.mktemp("bwd"), ("april", "march"), "utf-8-sig")
    return forward, backward


def test_two_months_in_either_order_give_the_same_history(both_orders):
    (fwd, _), (bwd, _) = both_orders
    dates, changes, rows = _history(fwd)
    assert dates == [MARCH, APRIL]
    assert _history(bwd) == (dates, changes, rows)  # April then March: the very same history
    assert changes[0] == [
        ("sources", "pp-2018-04-27", "new source"),
        ("projects", "Delprosjekt D3-001 Velferdsteknologi", "not in this export (2018-04-27)"),
        (
            "status",
            "Prosjekt A/P 3 Digitalisering",
            "schedule: Mindre forsinkelser → På plan (2018-04-27)",
        ),
        (
            "status",
            "Prosjekt A/P 3 Digitalisering",
            "budget: Mindre overskridelser → På budsjett (2018-04-27)",
        ),
        ("status", "Prosjekt A/P 3 Digitalisering", "risk: – → Medium (2018-04-27)"),
        ("status", "Prosjekt A/P 3 Digitalisering", "phase: Planlegge → Gjennomføre (2018-04-27)"),
        ("status", "Prosjekt A4 Nytt rådhus", "risk: – → Høy (2018-04-15)"),
        ("status", "Prosjekt X5 - Eiendom", "schedule: På plan → Forsinket (2018-04-03)"),
        ("status", "Prosjekt X5 - Eiendom", "risk: – → Lav (2018-04-03)"),
    ]
    # What must NOT happen: April has no goal, SDG, service-area or comment column, so nothing of
    # those is «→ –», no goal tag is removed, and D3-001 is neither dropped nor silently current.
    assert not any("→ –" in c[2] or "no longer" in c[2] or "removed" in c[2] for c in changes[0])


def test_a_column_missing_from_a_later_export_erases_nothing(both_orders):
    for store, _ in both_orders:
        _, _, rows = _history(store)
        projects = {dict(r)["id"]: dict(r) for r in rows["projects"]}
        assert {
            p: (c.get("goal"), c.get("service_area"), c.get("start"), c.get("phase"))
            for p, c in projects.items()
        } == {
            "X5": (
                "Samle eiendomsforvaltningen",
                "Plan, bygg og geodata",
                "2018-01-03",
                "Gjennomføre",
            ),
            "A-P-3": (
                "Digitalt førstevalg",
                "Helse og velferd; Skole og oppvekst",
                "2018-02-01",
                "Gjennomføre",
            ),
            "D3-001": ("Trygghet hjemme", "Kultur, idrett og fritid", "2018-03", "Konsept"),
            "A4": ("Nytt rådhus 2020", "Plan, bygg og geodata", "2017-08-15", "Gjennomføre"),
        }
        assert projects["D3-001"]["missing_from"] == APRIL and "missing_from" not in projects["X5"]
        goals = {(dict(r)["from"], dict(r)["to"]) for r in rows["dependencies"]}
        assert goals == {
            ("X5", "sdg:16"),
            ("X5", "sdg:17"),
            ("A-P-3", "sdg:3"),
            ("A-P-3", "sdg:4"),
            ("D3-001", "sdg:3"),
            ("D3-001", "sdg:11"),
            ("A4", "sdg:11"),
        }


def test_codes_people_and_bodies_come_from_the_cells(both_orders):
    (store, _), _ = both_orders
    _, _, rows = _history(store)
    projects = {dict(r)["id"]: dict(r) for r in rows["projects"]}
    assert {p: c["code"] for p, c in projects.items()} == {
        "X5": "X5",
        "A-P-3": "A/P 3",
        "D3-001": "D3-001",
        "A4": "A4",
    }
    people = {dict(r)["id"]: (dict(r)["name"], dict(r).get("title")) for r in rows["people"]}
    # «12;#Kari Hansen» and «Kari Hansen» are one person; «Rådmann Ola Nordmann <e-mail>», «Ola
    # Nordmann - Rådmann» and «Ola Nordmann» are one person with the title apart.
    assert people == {
        "kari-hansen": ("Kari Hansen", None),
        "ola-nordmann": ("Ola Nordmann", "Rådmann"),
        "lise-berg": ("Lise Berg", None),
        "per-olsen": ("Per Olsen", None),
    }
    bodies = {dict(r)["id"]: dict(r)["type"] for r in rows["bodies"]}
    assert bodies == {
        "fellesnemnda": "fellesnemnd",
        "radmannsgruppen": "annet",
    }  # bodies, not persons
    assert (projects["X5"]["owner"], projects["A-P-3"]["owner"], projects["D3-001"]["owner"]) == (
        "fellesnemnda",
        "radmannsgruppen",
        "ola-nordmann",
    )
    res = store.query(
        "SELECT ?c WHERE { ?p a kg:Project ; skos:notation ?c ; kg:projectOwner ?o . ?o a kg:GovernanceBody }"
    )
    assert sorted(r[0] for r in res.rows) == ["A/P 3", "X5"]


def test_no_status_values_are_counted_not_refused(both_orders, tmp_path):
    (_, (march, april)), (_, (april_first, _)) = both_orders
    # March: «Vet ikke» (X5) and «Ikke vurdert» (D3-001) in Status gevinst; empty (A/P 3) and «-»
    # (D3-001) in Status kvalitet. «Vet ikke» in Status budsjett is PP's own amber value: kept.
    assert march.no_status == {"Status kvalitet": 2, "Status gevinst": 2}
    assert (
        april.no_status
        == april_first.no_status
        == {"Status kvalitet": 1, "Status gevinstoppnåelse": 1}
    )
    assert (
        "No status (empty, «Vet ikke», «Ikke vurdert» …), cells per column: Status kvalitet 2, Status gevinst 2"
        in march.text("en")
    )
    store = open_store("memory")
    rows = [
        r[:8] + ["Avventer"] + r[9:] for r in months.MARCH
    ]  # a value nobody knows is an error …
    path = months.march(tmp_path, rows)
    with pytest.raises(LoadError) as err:
        import_file(store, path, "pp", "Nye Fjordby")
    assert {(p.row, p.column, p.params["value"]) for p in err.value.problems} == {
        (r, "Status gevinst", "Avventer") for r in (2, 3, 4, 5)
    }
    draft = tmp_path / "utkast.yaml"  # … until the draft of kg import suggest maps it: no status
    draft.write_text(suggest_mapping(path, "pp").yaml(), encoding="utf-8")
    assert "Avventer: null" in draft.read_text(encoding="utf-8")
    rep = import_file(store, path, "pp", "Nye Fjordby", mapping=draft)
    assert rep.no_status["Status gevinst"] == 4
    for target in ("null", "~", "''"):
        own = tmp_path / "egen.yaml"
        own.write_text(
            f"importer: pp\nvalues:\n  Status gevinst: {{Avventer: {target}}}\n", encoding="utf-8"
        )
        assert (
            import_file(open_store("memory"), path, "pp", "Nye Fjordby", mapping=own).no_status[
                "Status gevinst"
            ]
            == 4
        )
    gains = store.query("SELECT ?g WHERE { ?r a kg:StatusReport ; kg:statusGain ?g }").rows
    assert gains == []  # no false status in the graph


def test_the_date_comes_from_date_then_the_file_then_its_name(tmp_path):
    store = open_store("memory")
    march = months.march(tmp_path)
    assert (
        import_file(store, march, "pp", "Nye Fjordby", dry_run=True).date_reason[0]
        == "from the file name 'Porteføljeoversikt_2018-03.xlsx'"
    )
    rep = import_file(store, months.april(tmp_path), "pp", "Nye Fjordby", dry_run=True)
    assert (str(rep.date), rep.date_reason[1]) == (
        APRIL,
        "den seneste datoen i kolonnen 'Siste rapporteringsdato' i filen",
    )
    import datetime as dt

    rep = import_file(
        store, months.april(tmp_path), "pp", "Nye Fjordby", date=dt.date(2018, 5, 2), dry_run=True
    )
    assert (str(rep.date), rep.date_reason[0]) == ("2018-05-02", "given with --date")


def test_suggest_reads_every_sheet_and_guesses_only_close_columns(tmp_path):
    s = suggest_mapping(months.march(tmp_path), "pp")
    assert s.sheet == "Porteføljestatus"  # the portfolio is the second sheet
    guesses = {c.column: c.candidates for c in s.columns}
    assert guesses == {
        "Budsjettkode": [],
        "Intern merknad": [],
    }  # no «Budsjettkode → Prosjektnummer»
    assert s.values == {}  # «Vet ikke», «Ikke vurdert», «-» need no mapping
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(
        ["Tittel", "Prosjektnavn", "Kontaktperson e-post", "Fremdrift (RAG)", "Status tid"]
    )
    book.active.append(["A", "A", "a@b.no", "På plan", "På plan"])
    book.save(tmp_path / "to.xlsx")
    s = suggest_mapping(tmp_path / "to.xlsx", "pp")
    assert {c.column: c.candidates[:1] for c in s.columns} == {
        "Kontaktperson e-post": [],
        "Fremdrift (RAG)": ["Status fremdrift"],
    }
    assert s.conflicts == {
        "Tittel": ["Tittel", "Prosjektnavn"],
        "Status fremdrift": ["Status tid", "Fremdrift (RAG)"],
    }
    assert "Fremdrift (RAG): null" in s.yaml()  # a guess that would feed a field twice is left open
    json.dumps(s.as_dict())


# -- the parsers, round trip ------------------------------------------------------------------------

NAME = st.builds(
    lambda a, b: f"{a} {b}",
    st.sampled_from(["Ola", "Kari", "Per", "Åse", "Lise", "Jon Erik"]),
    st.sampled_from(["Nordmann", "Hansen", "Ødegård", "Berg", "Dahl-Moen"]),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            NAME,
            st.sampled_from(sorted(TITLES - {"leder", "sjef"})),
            st.integers(0, 6),
            st.integers(1, 99),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda t: t[0],
    )
)
def test_people_cells_round_trip(people):
    def cell(name: str, title: str, form: int, n: int) -> str:
        first, last = name.rsplit(" ", 1)
        mail = (
            name.casefold().replace(" ", ".").replace("å", "a").replace("ø", "o")
            + "@fjordby.kommune.no"
        )
        return [
            name,
            f"{last}, {first}",
            f"{n};#{name}",
            f"{name} - {title.capitalize()}",
            f"{title.capitalize()} {name} <{mail}>",
            f"{name} | {mail}",
            f"{last}, {first} ({title})",
        ][form]

    text = (
        ";#".join(
            cell(*p).split(";#")[-1] if p[2] == 2 and len(people) > 1 else cell(*p) for p in people
        )
        if all(p[2] == 2 for p in people)
        else "; ".join(cell(*p) for p in people)
    )
    got = parse_people(text)
    assert [e.name for e in got] == [p[0] for p in people], text
    assert not any(e.body for e in got)
    for e, (_, title, form, _) in zip(got, people, strict=True):
        assert e.title == (title.capitalize() if form in (3, 4, 6) else ""), text


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(SERVICE_AREAS), min_size=1, max_size=4, unique=True),
    st.sampled_from([", ", "; ", " og ", "\n", ";#", " & "]),
)
def test_service_area_lists_round_trip(areas, sep):
    assert split_values(sep.join(areas), _known_area) == areas


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.integers(1, 17), st.integers(0, 3)),
        min_size=1,
        max_size=5,
        unique_by=lambda t: t[0],
    ),
    st.sampled_from([", ", "; ", " og ", "\n", ";#"]),
)
def test_sdg_lists_round_trip(goals, sep):
    from loaders.prosjektportalen import goal_label

    forms = [lambda n: str(n), lambda n: f"Mål {n}", lambda n: f"SDG {n}", goal_label]
    if sep == ";#":  # «3;#…» is a SharePoint lookup id, not a goal: lookups hold the terms' names
        goals = [(n, f or 3) for n, f in goals]
    text = sep.join(forms[f](n) for n, f in goals)
    assert [goal_number(g) for g in split_goals(text, _is_goal_name)] == [n for n, _ in goals], text


def test_the_examples_of_the_issue_keep_every_value():
    assert [goal_number(g) for g in split_goals("SDG 16, 17", _is_goal_name)] == [16, 17]
    assert [goal_number(g) for g in split_goals("Mål 3 og 4", _is_goal_name)] == [3, 4]
    assert [
        goal_number(g)
        for g in split_goals("God helse og livskvalitet, Ren energi til alle", _is_goal_name)
    ] == [3, 7]
    assert split_values("Oppvekst og kultur", _known_area) == [
        "Oppvekst og kultur"
    ]  # not a list: kept whole


# -- the kg command ---------------------------------------------------------------------------------


def kg(*args: str, store: Path, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_STORE": str(store), "KG_LANG": lang, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_cli_takes_a_month_refuses_a_bad_date_with_1_and_points_load_to_import(tmp_path):
    store = tmp_path / "kg" / "store"
    march = months.march(tmp_path)
    done = kg("import", "pp", str(march), "-m", "Nye Fjordby", "--date", "2018-03", store=store)
    assert done.returncode == 0, done.stderr
    assert "Date 2018-03-31: given with --date." in done.stdout
    for lang, text in (
        ("en", "Error: --date '2018-13' is not a date: write 2018-03-31, 2018-03 or 31.03.2018\n"),
        (
            "nb",
            "Feil: --date '2018-13' er ikke en dato: skriv 2018-03-31, 2018-03 eller 31.03.2018\n",
        ),
    ):
        bad = kg(
            "import",
            "pp",
            str(march),
            "-m",
            "Nye Fjordby",
            "--date",
            "2018-13",
            store=store,
            lang=lang,
        )
        assert (bad.returncode, bad.stderr) == (1, text)
    done = kg(
        "import", "pp", str(months.april(tmp_path)), "-m", "Nye Fjordby", "-f", "json", store=store
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["no_status"] == {
        "Status kvalitet": 1,
        "Status gevinstoppnåelse": 1,
    }
    out = kg(
        "diff", "previous", "latest", "-f", "json", store=store
    )  # one JSON document, no head line
    assert out.returncode == 0 and len(json.loads(out.stdout)["rows"]) == 9
    out = kg("import", "suggest", str(march), "-f", "json", store=store)
    assert (
        out.returncode == 0 and json.loads(out.stdout)["sheet"] == "Porteføljestatus"
    )  # one JSON document
    load = kg("load", str(months.april(tmp_path)), store=tmp_path / "other" / "store", lang="nb")
    assert (
        load.returncode == 1
        and "importer det med kg import pp " in load.stderr
        and "Traceback" not in load.stderr
    )


def test_the_readmes_diff_example_is_real_output(tmp_path: Path) -> None:
    """README shows `kg diff previous latest` after importing the two months (in either order):
    its block must be what the command prints, line for line (the README test runs commands on
    the bundled graph only, so this one is checked here)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("`kg diff previous latest` says what changed")
    body = text[text.index("```text\n", start) + len("```text\n") :]
    shown = body[: body.index("\n```")].strip("\n").splitlines()
    for order in (("march", "april"), ("april", "march")):
        folder = tmp_path / "-".join(order)
        folder.mkdir()
        store = folder / "store"
        files = {"march": months.march(folder), "april": months.april(folder)}
        for month in order:
            done = kg("import", "pp", str(files[month]), "-m", "Nye Fjordby", store=store)
            assert done.returncode == 0, done.stderr
        out = kg("diff", "previous", "latest", store=store)
        assert out.returncode == 0, out.stderr
        assert [line.rstrip() for line in out.stdout.strip("\n").splitlines()] == [
            line.rstrip() for line in shown
        ]
