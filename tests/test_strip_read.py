"""The History page's status strip reads only the lines it needs of each snapshot (issue 16: at
10⁷ quads reading a whole snapshot took ~90 s of the first start's warm-up).

The two snapshots are written here, line by line, with what a partial read could get wrong: a
report's type line after its other lines and separated by tabs, a report dated only by its
source's date of issue, a project labelled in English only, a project's own ``kg:phase`` and
``kg:date``, a record of another kind pointing at the project with a status value, and a
project left out of the later export. The expected cells are those lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import snapshots
from graph.answers import history as H

KG = "https://w3id.org/kommunegraf/ontology#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DATE = "^^<http://www.w3.org/2001/XMLSchema#date>"
G = "<http://ex.org/graph/status_reports>"


def kg(local: str) -> str:
    return f"<{KG}{local}>"


def ex(local: str) -> str:
    return f"<http://ex.org/{local}>"


JANUARY = [
    # r1: its type line last, written with tabs
    f"{ex('r1')} {kg('statusOf')} {ex('p1')} {G} .",
    f'{ex("r1")} {kg("date")} "2024-01-15"{DATE} {G} .',
    f'{ex("r1")} {kg("statusTime")} "På plan" {G} .',
    f"{ex('r1')}\t{TYPE}\t{kg('StatusReport')}\t{G} .",
    f"{ex('p1')} {TYPE} {kg('Project')} {G} .",
    f'{ex("p1")} <{SKOS}notation> "P1" {G} .',
    f'{ex("p1")} <{SKOS}prefLabel> "Skolebygg"@nb {G} .',
    f'{ex("p1")} {kg("phase")} "Gjennomføring" {G} .',  # the project's, not a report's
    f'{ex("p1")} {kg("date")} "2030-01-01"{DATE} {G} .',
    # a risk that points at p1 with a status value: not a status report
    f"{ex('x1')} {TYPE} {kg('Risk')} {G} .",
    f"{ex('x1')} {kg('statusOf')} {ex('p1')} {G} .",
    f'{ex("x1")} {kg("statusTime")} "Forsinket" {G} .',
    f'{ex("x1")} {kg("date")} "2024-01-30"{DATE} {G} .',
    # r2: no date of its own; its source's date of issue orders it
    f"{ex('r2')} {TYPE} {kg('StatusReport')} {G} .",
    f"{ex('r2')} {kg('statusOf')} {ex('p2')} {G} .",
    f'{ex("r2")} {kg("statusRisk")} "Lav" {G} .',
    f"{ex('r2')} <http://www.w3.org/ns/prov#wasDerivedFrom> {ex('src1')} {G} .",
    f'{ex("src1")} <http://purl.org/dc/terms/issued> "2024-01-20"{DATE} {G} .',
    f"{ex('p2')} {TYPE} {kg('Project')} {G} .",
    f'{ex("p2")} <{SKOS}notation> "P2" {G} .',
    f'{ex("p2")} <{SKOS}prefLabel> "New casework"@en {G} .',
]
FEBRUARY = [
    *JANUARY,
    f"{ex('r3')} {TYPE} {kg('StatusReport')} {G} .",
    f"{ex('r3')} {kg('statusOf')} {ex('p1')} {G} .",
    f'{ex("r3")} {kg("date")} "2024-02-28"{DATE} {G} .',
    f'{ex("r3")} {kg("statusTime")} "Mindre forsinkelser" {G} .',
    f'{ex("p2")} {kg("notInExport")} "2024-02-29"{DATE} {G} .',
]


def test_the_strip_of_snapshots_read_in_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole(path: Path) -> None:
        raise AssertionError(f"the strip read all of {path}")

    monkeypatch.setattr(snapshots, "read", whole)  # no Python object per quad of a snapshot
    folder = tmp_path / "testby"
    folder.mkdir()
    (folder / "2024-01-31.nq").write_text("\n".join(JANUARY) + "\n", encoding="utf-8")
    (folder / "2024-02-29.nq").write_text("\n".join(FEBRUARY) + "\n", encoding="utf-8")
    answer = H.status_strip(tmp_path, "testby", "nb")
    cells = {
        (r["project"], r["dimension"]): (r["2024-01-31"], r["2024-02-29"]) for r in answer.rows
    }
    assert cells == {
        ("P1 Skolebygg", "Status fremdrift"): ("På plan", "Mindre forsinkelser"),
        ("P2 New casework", "Status risiko"): ("Lav", "ikke med i eksporten"),
    }
    p2 = next(r for r in answer.rows if r["code"] == "P2")
    assert p2["reported"] == {"2024-01-31": "2024-01-20"}  # the source's date of issue
    # not the risk's «Forsinket», not the project's own phase: no such cell, no «Fase» row
    shown = {v for r in answer.rows for v in (r["2024-01-31"], r["2024-02-29"])}
    assert "Forsinket" not in shown and "Gjennomføring" not in shown


def test_a_last_line_without_its_end_and_a_dot_without_a_space(tmp_path: Path) -> None:
    """Valid N-Quads written by hand: the file's last line has no line end (a report's type
    line, kept and joined to the next), and a line in the default graph ends «<o>.» without a
    space. The strip is that of the same lines written as the loader writes them."""
    lines = [
        ln.replace(f" {G} .", ".") if "statusOf" in ln and "r2" in ln else ln for ln in JANUARY
    ]
    moved = lines.pop(lines.index(f"{ex('r2')} {TYPE} {kg('StatusReport')} {G} ."))
    folder = tmp_path / "testby"
    folder.mkdir()
    (folder / "2024-01-31.nq").write_text("\n".join([*lines, moved]), encoding="utf-8")
    answer = H.status_strip(tmp_path, "testby", "nb")
    cells = {(r["project"], r["dimension"]): r["2024-01-31"] for r in answer.rows}
    assert cells == {
        ("P1 Skolebygg", "Status fremdrift"): "På plan",
        ("P2 New casework", "Status risiko"): "Lav",
    }
