"""The status overview's «previous» is one report: the latest before the one shown, with that
report's own date, time and phase (the named query status_overview, the overview page and
`kg status` all read it).

Built here: P1 has three reports. The one before the latest (2024-06-01) has a phase but no time;
the oldest (2024-01-01) has both. P2 has one report, so it has no previous one."""

from __future__ import annotations

import dataclasses
import datetime as dt

from graph import answers as V
from graph import queries
from graph.load import load
from graph.netx import to_networkx
from graph.store import open_store
from tests.conftest import write_dataset

TABLES = {
    "sources": [{"id": "S1", "title": "Statusrapporter"}],
    "projects": [
        {"id": "P1", "code": "P1", "title": "Prosjekt en", "type": "project"},
        {"id": "P2", "code": "P2", "title": "Prosjekt to", "type": "project"},
    ],
    "status_reports": [
        {"project": "P1", "date": "2024-01-01", "status_time": "Forsinket", "phase": "Konsept"},
        {"project": "P1", "date": "2024-06-01", "status_time": "", "phase": "Planlegge"},
        {"project": "P1", "date": "2025-01-01", "status_time": "På plan", "phase": "Gjennomføre"},
        {"project": "P2", "date": "2025-01-01", "status_time": "Foran plan", "phase": "Idé"},
    ],
}


def test_previous_is_the_latest_earlier_report_whole(tmp_path) -> None:
    store = open_store("memory")
    load(store, write_dataset(tmp_path / "mini", TABLES))
    rows = {str(r["code"]): r for r in queries.run(store, "status_overview", {}, lang="nb").dicts()}
    p1, p2 = rows["P1"], rows["P2"]
    assert str(p1["date"]) == "2025-01-01" and p1["time"] == "På plan"
    assert p1["previous_date"] == dt.date(2024, 6, 1)  # a date, as the report's own date
    assert p1["previous_phase"] == "Planlegge"
    # the 2024-06-01 report gives no time: NOT «Forsinket» from the report before it
    assert p1["previous_time"] is None
    assert p2["previous_date"] is None and p2["previous_time"] is None
    assert p2["previous_phase"] is None
    assert len(rows) == 2

    shown = {s.project.rsplit("/", 1)[1]: s for s in V.status(store, to_networkx(store), "nb")}
    assert (shown["P1"].previous_date, shown["P1"].previous_time) == ("2024-06-01", None)
    assert shown["P2"].previous_date is None


def test_rows_kept_by_an_earlier_query_text_are_not_read(monkeypatch) -> None:
    """The status rows are kept per store generation under a name that carries the query's
    hash: a store loaded before the query changed must not show the rows of the old text."""
    from graph.answers import overview

    now = overview.rows_name("nb")
    real = queries.get
    monkeypatch.setattr(
        queries,
        "get",
        lambda name: (
            dataclasses.replace(real(name), sparql="SELECT * WHERE { ?s ?p ?o }")
            if name == "status_overview"
            else real(name)
        ),
    )
    assert overview.rows_name("nb") != now
    assert now.startswith("status-rows-nb-")


def test_code_and_label_are_the_property_graphs_notation_first_and_the_language_asked() -> None:
    """A project with a code (skos:notation) and an id (dct:identifier) shows its code; one
    without a code shows its id; the label is the one in the language asked, else Norwegian.
    The Cypher twin reads the property graph's ``code`` (notation, else identifier) and
    ``prefLabel_<lang>`` (else ``_nb``): the two must give the same row, not either one."""
    import tempfile
    from pathlib import Path

    tables = {
        "sources": [{"id": "S1", "title": "Statusrapporter"}],
        "projects": [
            {
                "id": "P1",
                "code": "KODE-1",
                "title": "Prosjekt en",
                "title_en": "Project one",
                "type": "project",
            },
            {"id": "P2", "title": "Prosjekt to", "type": "project"},
        ],
        "status_reports": [
            {"project": "P1", "date": "2025-01-01", "status_time": "På plan"},
            {"project": "P2", "date": "2025-01-01", "status_time": "Foran plan"},
        ],
    }
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store("memory")
        load(store, write_dataset(Path(tmp) / "codes", tables))
    for lang, one, two in (
        ("nb", "Prosjekt en", "Prosjekt to"),
        ("en", "Project one", "Prosjekt to"),
    ):
        rows = queries.run(store, "status_overview", {}, lang=lang).dicts()
        got = sorted((str(r["code"]), str(r["label"])) for r in rows)
        assert got == [("KODE-1", one), ("P2", two)], lang  # NOT the id P1, NOT the other label
