"""SHACL validation of a graph with pyshacl, reported as rows a planner can act on.

Each violation names the focus node, the property path, the message and, when the node came
from a CSV row, the source file and row, so the fix is one look away.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.namespace import SH

import ontology
from graph.store import Store
from ontology.terms import KG, PREFIXES


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    value: str
    file: str
    row: int | None

    def text(self) -> str:
        where = f"{self.file} row {self.row}" if self.file else self.focus
        return f"{where}: {self.path}: {self.message} [{self.focus}]"


def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ontology.read("shapes.ttl"), format="turtle")
    return g


def to_rdflib(nquads: bytes) -> rdflib.Graph:
    """The union of all named graphs as one rdflib graph (what SHACL validates).

    A load says a record's file once, of the file's graph (``<graph> kg:sourceFile "f"``): in
    the union each record of that graph gets it again, so the shapes and the violations'
    file see every record with its file, as before that was written per record."""
    ds = rdflib.Dataset()
    ds.parse(data=nquads, format="nquads")
    union = rdflib.Graph()
    for prefix, ns in PREFIXES.items():  # so report paths read kg:phase, dct:identifier
        union.bind(prefix, ns, override=True, replace=True)
    file_p = rdflib.URIRef(KG.sourceFile)
    files: dict[rdflib.term.Node | None, rdflib.term.Node] = {}
    records: dict[rdflib.term.Node | None, set[rdflib.term.Node]] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        if p == file_p and s == g:  # the graph's file: said of its records below
            files[g] = o
            continue
        if p == rdflib.RDF.type:
            records.setdefault(g, set()).add(s)
        union.add((s, p, o))
    for graph, file in files.items():
        for s in records.get(graph, ()):
            union.add((s, file_p, file))
    return union


def validate_graph(data: rdflib.Graph) -> list[Violation]:
    from pyshacl import validate

    conforms, report, _ = validate(
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True
    )
    if conforms:
        return []
    file_p, row_p = rdflib.URIRef(KG.sourceFile), rdflib.URIRef(KG.sourceRow)
    out = []
    for res in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        message = report.value(res, SH.resultMessage)
        value = report.value(res, SH.value)
        severity = report.value(res, SH.resultSeverity)
        row = data.value(focus, row_p)
        out.append(
            Violation(
                focus=str(focus),
                path=data.namespace_manager.normalizeUri(path) if path else "",
                message=str(message or ""),
                severity=str(severity).rsplit("#", 1)[-1],
                value="" if value is None else str(value),
                file=str(data.value(focus, file_p) or ""),
                row=int(row) if row is not None else None,
            )
        )
    return sorted(out, key=lambda v: (v.file, v.row or 0, v.path))


def validate_store(store: Store) -> list[Violation]:
    return validate_graph(to_rdflib(store.dump()))
