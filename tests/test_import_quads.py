"""Issue 14, item 9 (speed): a record's source file is said once, of its named graph, not per
record -- RocksDB's write cost is per quad, and the per-record line was 7 % of an import's quads.

Every expected value comes from the export built here (``_export``): sheet «Porteføljestatus»,
a title row, an empty row, the header on row 3 and three projects on rows 4-6 (P1 on row 4,
P2 on row 5 depends on P1, P3 on row 6); each project has one UN goal. The import dates it
2024-01-31 (``--date``). What must NOT happen: a record carrying ``kg:sourceFile`` in a load's
graph (that would be the per-record quad back), and a reader (SHACL, Neo4j, ArchiMate, the
provenance answers) losing the file, sheet or row a record came from.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from graph import archimate
from graph.imports import import_file
from graph.pgmap import to_property_graph
from graph.store import open_store
from graph.validate import to_rdflib
from loaders.sourcefile import per_record
from ontology.terms import KG

ROOT = Path(__file__).resolve().parent.parent
FILE = "portefolje-storby.xlsx"
SHEET = "Porteføljestatus"
SOURCE_FILE = f"{FILE} [{SHEET}]"  # the file and sheet, as the import names them
HEADER = [
    "Tittel", "Prosjektnummer", "Fase", "Prosjekteier", "Status tid", "Status budsjett",
    "Sist endret", "FNs bærekraftsmål", "Avhengig av",
]  # fmt: skip
ROWS = [  # sheet rows 4, 5, 6
    ["Prosjekt P1 - Skole", "P1", "Gjennomføre", "Hansen, Kari", "På plan", "På budsjett", "15.01.24", "4", None],
    ["Prosjekt P2 - Helse", "P2", "Planlegge", "Hansen, Kari", "Forsinket", "Over budsjett", "16.01.24", "3", "P1"],
    ["Prosjekt P3 - Vei", "P3", "Konsept", "Berg, Ola", "På plan", "Under budsjett", "17.01.24", "11", None],
]  # fmt: skip
RECORD_KINDS = {  # the records the file makes, one per class:
    "Project": 3,  # P1, P2, P3
    "StatusReport": 3,  # one per project row
    "Dependency": 4,  # 3 UN goals (4, 3, 11) + P2 on P1
    "Person": 2,  # the owners Hansen, Kari and Berg, Ola
    "SourceDocument": 1,  # the export itself
    "Municipality": 1,  # Storby, given to the import
}


RECORDS = sum(RECORD_KINDS.values())


def _export(folder: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(["Porteføljeoversikt – Storby kommune"])
    ws.append([])
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    path = folder / FILE
    book.save(path)
    return path


@pytest.fixture
def imported(tmp_path: Path):
    store = open_store("embedded", path=tmp_path / "store")
    import_file(store, _export(tmp_path), "pp", "Storby", date=dt.date(2024, 1, 31))
    yield store
    store.close()


def _graph(store) -> str:
    from urllib.parse import unquote

    graphs = [g for g in store.graphs() if unquote(g).endswith("/graph/" + FILE + "/" + SHEET)]
    assert len(graphs) == 1, store.graphs()
    return graphs[0]


def test_the_file_is_said_once_of_the_graph_never_per_record(imported):
    g = _graph(imported)
    quads = list(imported.quads(None, None, None, ox.NamedNode(g)))
    files = [q for q in quads if q.predicate.value == KG.sourceFile]
    # exactly one line: the graph's own, naming the file and sheet of the export built here
    assert [(q.subject.value, q.object.value) for q in files] == [(g, SOURCE_FILE)]
    typed = {q.subject.value for q in quads if q.predicate.value.endswith("#type")}
    assert g not in typed  # the graph is not a record
    # every record still says its row; none says its file (that was one quad per record)
    rows = {
        q.subject.value: int(q.object.value) for q in quads if q.predicate.value == KG.sourceRow
    }
    assert set(rows) == typed
    assert not {q.subject.value for q in files} & typed
    classes = {
        name: sum(
            1 for q in quads if q.predicate.value.endswith("#type") and q.object.value == KG[name]
        )
        for name in RECORD_KINDS
    }
    assert classes == RECORD_KINDS
    # the projects' rows are those of the sheet (title, empty row, header: data from row 4)
    projects = {q.subject.value for q in quads if q.object == ox.NamedNode(KG.Project)}
    assert sorted(rows[p] for p in projects) == [4, 5, 6]


def test_every_loaded_graph_of_nye_asker_states_its_file_once(asker_copy):
    by_graph: dict[str, list[tuple[str, str]]] = {}
    for q in asker_copy.quads(None, ox.NamedNode(KG.sourceFile), None, None):
        by_graph.setdefault(q.graph_name.value, []).append((q.subject.value, q.object.value))
    assert by_graph, "no kg:sourceFile at all"
    for g, said in by_graph.items():
        # one line, about the graph: the file's name is the graph's last segment (a CSV file)
        assert said == [(g, g.rsplit("/", 1)[-1])], (g, said)
    # sources.csv's records are in the graph of sources.csv (data/nye-asker/sources.csv)
    assert any(g.endswith("/graph/sources.csv") for g in by_graph)


def test_readers_that_show_a_records_file_get_it_back_per_record(imported):
    g = _graph(imported)
    quads = list(imported.quads(None, None, None, None))
    p1 = next(
        q.subject.value
        for q in quads
        if q.predicate.value == KG.sourceRow
        and q.object.value == "4"
        and "/project/" in q.subject.value
    )
    # per_record: the graph's line becomes one line per record, in the same graph
    back = [q for q in per_record(quads) if q.predicate.value == KG.sourceFile]
    assert all(q.graph_name.value == g and q.object.value == SOURCE_FILE for q in back)
    assert len(back) == RECORDS
    assert not any(q.subject.value == g for q in back)
    # SHACL's union: the record has its file and row (a violation names them)
    union = to_rdflib(imported.dump())
    import rdflib

    node = rdflib.URIRef(p1)
    assert str(union.value(node, rdflib.URIRef(KG.sourceFile))) == SOURCE_FILE
    assert int(union.value(node, rdflib.URIRef(KG.sourceRow))) == 4
    assert union.value(rdflib.URIRef(g), rdflib.URIRef(KG.sourceFile)) is None
    # Neo4j: the project's node has its file and row as properties; the graph is no node
    pg = to_property_graph(quads)
    assert pg.nodes[p1].props["sourceFile"] == SOURCE_FILE
    assert pg.nodes[p1].props["sourceRow"] == 4
    assert g not in pg.nodes
    # ArchiMate: the file is among the project's properties
    held = archimate.triples(quads)
    assert (ox.NamedNode(p1), ox.NamedNode(KG.sourceFile), ox.Literal(SOURCE_FILE)) in held


def test_the_provenance_answer_names_sheet_and_row_and_the_source_names_the_file(
    imported, tmp_path
):
    store_path = tmp_path / "store"
    imported.close()
    out = subprocess.run(
        [sys.executable, "-m", "graph.cli", "--store", str(store_path), "--format", "json",
         "deps", "P2"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["rows"]
    # P2 (sheet row 5) depends on P1 and is tagged with UN goal 3, both stated on row 5;
    # through P1 it reaches P1's goal 4, stated on P1's row 4
    sources = {r["code"]: r["source"] for r in rows}
    assert sources == {
        "P1": f"pp-2024-01-31 {SHEET}:5",
        "3": f"pp-2024-01-31 {SHEET}:5",
        "4": f"pp-2024-01-31 {SHEET}:4",
    }
    reopened = open_store("embedded", path=store_path)
    try:
        names = reopened.query(
            "PREFIX kg: <https://w3id.org/kommunegraf/ontology#> "
            "SELECT ?f WHERE { ?s kg:fileName ?f }"
        ).rows
    finally:
        reopened.close()
    assert [str(r[0]) for r in names] == [FILE]


def test_an_edits_neo4j_delta_keeps_the_records_file(imported):
    """The live Neo4j sync maps only the quads near an edit: the graph's file line comes too."""
    from graph.neo4jrdf import _pg_delta

    quads = list(imported.quads(None, None, None, None))
    store = ox.Store()
    store.extend(quads)
    p2 = next(q.subject for q in quads if q.subject.value.endswith("/project/P2"))
    phase = next(q for q in quads if q.subject == p2 and q.predicate.value == KG.phase)
    assert phase.object.value == "Planlegge"  # P2's phase in the export (row 5)
    new = ox.Quad(p2, phase.predicate, ox.Literal("Gjennomføre"), phase.graph_name)
    nodes, _ = _pg_delta(store, {phase}, [new])
    props = {iri: p for iri, _, p in nodes}[p2.value]
    assert props["phase"] == "Gjennomføre"
    assert props["sourceFile"] == SOURCE_FILE and props["sourceRow"] == 5
