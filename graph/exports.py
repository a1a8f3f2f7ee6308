"""Exports back to the tools municipalities use: Prosjektportalen-shaped Excel, Turtle, JSON-LD.

* :func:`export_portfolio` writes one row per project with Prosjektportalen's default column
  labels (Tittel, Prosjektnummer, Fase, Status fremdrift …), the latest status report per
  project with its colour, and an «Avhengig av» column for the dependencies Prosjektportalen
  itself cannot hold. :mod:`loaders.prosjektportalen` reads the file back unchanged.
* :func:`export_rdf` writes one dataset (or the whole store) as Turtle or JSON-LD.
* The ArchiMate CSV exchange format is in :mod:`graph.archimate`.

Exports read the quads of an embedded (or as-of) store; a dataset is chosen by its name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from graph.store import QueryError, Store
from loaders.sourcefile import per_record
from ontology.terms import KG_NS, PREFIXES, SDG_NS

# Prosjektportalen's default colours per status field (GtStatus*; prosjektportalen.md §1.3).
RAG_COLOURS = {"green": "#2da748", "amber": "#e9b359", "red": "#ea5c73"}


RAG: dict[str, dict[str, str]] = {
    "time": {
        "Foran plan": "green",
        "På plan": "green",
        "Mindre forsinkelser": "amber",
        "Mindre forsinkelse som kan tas igjen": "amber",
        "Forsinket": "red",
    },
    "budget": {
        "Under budsjett": "green",
        "På budsjett": "green",
        "Mindre overskridelser": "amber",
        "Vet ikke": "amber",
        "Over budsjett": "red",
    },
    "risk": {"Lav": "green", "Medium": "amber", "Høy": "red"},
    "gain": {
        "Foran plan": "green",
        "På plan": "green",
        "Ikke påbegynt": "amber",
        "Mindre forsinkelser": "amber",
        "Forsinket": "red",
    },
    "evaluation": {"Green": "green", "Yellow": "amber", "Red": "red"},
}


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS, FOAF, ORG, XSD = PREFIXES["skos"], PREFIXES["foaf"], PREFIXES["org"], PREFIXES["xsd"]
PP_COLUMNS = (
    "Tittel",
    "Prosjektnummer",
    "Program",
    "Overordnet prosjekt",
    "Tjenesteområde",
    "Prosjekttype",
    "Fase",
    "Prosjekteier",
    "Prosjektleder",
    "Prosjektstøtte",
    "Gevinstansvarlig",
    "Målsetting",
    "Startdato",
    "Sluttdato",
    "FNs bærekraftsmål",
    "Avhengig av",
    "Status fremdrift",
    "Status økonomi",
    "Status risiko",
    "Status gevinstoppnåelse",
    "Status kvalitet",
    "Overordnet status",
    "Siste rapporteringsdato",
)
STATUS_COLUMNS = {
    "Status fremdrift": ("statusTime", "time"),
    "Status økonomi": ("statusBudget", "budget"),
    "Status risiko": ("statusRisk", "risk"),
    "Status gevinstoppnåelse": ("statusGain", "gain"),
    "Status kvalitet": ("statusQuality", "quality"),
}


# -- choosing what to export -----------------------------------------------------------------------


def datasets(store: Store) -> dict[str, str]:
    """Dataset name → base IRI, from each dataset's manifest graph."""
    res = store.query("SELECT ?d ?name WHERE { ?d a kg:Dataset ; dct:identifier ?name }")
    return {str(name): str(d)[: -len("dataset")] for d, name in res.rows}


def quads_of(store: Store, dataset: str | None = None, sdg: bool = False) -> list[ox.Quad]:
    """The quads of one dataset's graphs (the only dataset when none is named).

    With ``sdg`` the UN goals, targets and indicators the dataset refers to come along (their
    labels and types), so an export can show them as things of their own.
    """
    known = datasets(store)
    if dataset is None:
        if len(known) > 1:
            raise QueryError(
                f"the store holds several datasets ({', '.join(sorted(known))}): choose one with --dataset",
                f"lageret har flere datasett ({', '.join(sorted(known))}): velg ett med --dataset",
            )
        if not known:
            return list(store.quads())
        dataset = next(iter(known))
    if dataset not in known:
        raise QueryError(
            f"no dataset '{dataset}' in the store (known: {', '.join(sorted(known)) or 'none'})",
            f"ikke noe datasett '{dataset}' i lageret (kjente: {', '.join(sorted(known)) or 'ingen'})",
        )
    prefix = known[dataset] + "graph/"
    every = list(store.quads())
    mine = [
        q
        for q in every
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(prefix)
    ]
    if sdg:
        used = {
            q.object.value
            for q in mine
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(SDG_NS)
        }
        sdg_graph = ox.NamedNode(SDG_NS + "graph")
        mine += [q for q in every if q.graph_name == sdg_graph and q.subject.value in used]
    return mine


class Model:
    """Quads as subject → predicate → objects, with the label and type lookups exports need."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.spo: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for q in quads:
            if isinstance(q.subject, ox.NamedNode):
                objects = self.spo[q.subject.value][q.predicate.value]
                if q.object not in objects:
                    objects.append(q.object)

    def typed(self, local: str) -> list[str]:
        t = ox.NamedNode(KG_NS + local)
        return sorted(s for s, po in self.spo.items() if t in po.get(RDF_TYPE, ()))

    def objects(self, s: str, p: str) -> list[Any]:
        return self.spo.get(s, {}).get(p, [])

    def value(self, s: str, p: str, lang: str = "nb") -> Any:
        objs = self.objects(s, p)
        langs = [o for o in objs if isinstance(o, ox.Literal) and o.language in (lang, None)]
        return (langs or objs or [None])[0]

    def text(self, s: str, p: str) -> str:
        v = self.value(s, p)
        return v.value if v is not None else ""

    def name(self, s: str) -> str:
        return (
            self.text(s, SKOS + "prefLabel") or self.text(s, FOAF + "name") or s.rsplit("/", 1)[-1]
        )

    def refs(self, s: str, p: str) -> list[str]:
        return [o.value for o in self.objects(s, p) if isinstance(o, ox.NamedNode)]


# -- Prosjektportalen-shaped Excel ----------------------------------------------------------------


def _cell(lit: Any) -> dt.date | str | None:
    """A literal as an Excel cell value: real dates for xsd:date, text otherwise."""
    if lit is None:
        return None
    if isinstance(lit, ox.Literal) and lit.datatype.value == XSD + "date":
        return dt.date.fromisoformat(lit.value)
    return str(lit.value)


def portfolio_rows(quads: Iterable[ox.Quad]) -> list[dict[str, object]]:
    """One dict per project, keyed by PP_COLUMNS."""
    from loaders.prosjektportalen import goal_label

    m = Model(quads)
    projects = m.typed("Project")
    titles = [m.name(p) for p in projects]
    unique = {t for t in titles if titles.count(t) == 1}
    ref_name = {
        p: (m.name(p) if m.name(p) in unique else m.text(p, SKOS + "notation") or m.name(p))
        for p in projects
    }
    latest: dict[str, tuple[str, str]] = {}
    for r in m.typed("StatusReport"):
        for p in m.refs(r, KG_NS + "statusOf"):
            key = (m.text(r, KG_NS + "date"), r)
            latest[p] = max(latest.get(p, key), key)
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ms in m.typed("Membership"):
        code, text = m.text(ms, KG_NS + "roleCode"), m.text(ms, KG_NS + "roleText")
        slot = {
            "koordinator": "Prosjektstøtte",
            "prosjekteier": "Prosjekteier",
            "programeier": "Prosjekteier",
            "prosjektleder": "Prosjektleder",
        }.get(code) or ("Gevinstansvarlig" if text == "Gevinstansvarlig" else None)
        for org in m.refs(ms, ORG + "organization"):
            for person in m.refs(ms, ORG + "member"):
                if slot:
                    roles[org][slot].append(m.name(person))
    rows: list[dict[str, object]] = []
    for p in projects:
        deps = m.refs(p, KG_NS + "dependsOn")
        goals = sorted(
            int(d[len(SDG_NS) :])
            for d in deps
            if d.startswith(SDG_NS) and d[len(SDG_NS) :].isdigit()
        )
        owner = [m.name(o) for o in m.refs(p, KG_NS + "projectOwner")]
        leader = [m.name(o) for o in m.refs(p, KG_NS + "projectLeader")]

        def people(first: list[str], slot: str, p: str = p) -> str:
            return "; ".join(dict.fromkeys(first + sorted(roles[p][slot])))

        row = {
            "Tittel": m.name(p),
            "Prosjektnummer": m.text(p, SKOS + "notation"),
            "Program": "Ja" if ox.NamedNode(KG_NS + "Program") in m.objects(p, RDF_TYPE) else "Nei",
            "Overordnet prosjekt": "; ".join(
                ref_name.get(x, m.name(x)) for x in m.refs(p, KG_NS + "partOf")
            ),
            "Tjenesteområde": m.text(p, KG_NS + "serviceArea"),
            "Prosjekttype": m.text(p, KG_NS + "projectCategory"),
            "Fase": m.text(p, KG_NS + "phase"),
            "Prosjekteier": people(owner, "Prosjekteier"),
            "Prosjektleder": people(leader, "Prosjektleder"),
            "Prosjektstøtte": people([], "Prosjektstøtte"),
            "Gevinstansvarlig": people([], "Gevinstansvarlig"),
            "Målsetting": m.text(p, KG_NS + "goalText"),
            "Startdato": _cell(m.value(p, KG_NS + "startDate")),
            "Sluttdato": _cell(m.value(p, KG_NS + "endDate")),
            "FNs bærekraftsmål": "; ".join(goal_label(n) for n in goals),
            "Avhengig av": "; ".join(sorted(ref_name[d] for d in deps if d in ref_name)),
        }
        if p in latest:
            r = latest[p][1]
            for col, (local, _) in STATUS_COLUMNS.items():
                row[col] = m.text(r, KG_NS + local)
            row["Overordnet status"] = m.text(r, KG_NS + "comment")
            row["Siste rapporteringsdato"] = _cell(m.value(r, KG_NS + "date"))
        rows.append(
            {c: (v if v not in ("", None) else None) for c in PP_COLUMNS for v in [row.get(c)]}
        )
    return sorted(rows, key=lambda r: (str(r["Prosjektnummer"] or ""), str(r["Tittel"])))


def write_portfolio(
    path: Path, rows: list[dict[str, object]], title: str = "Porteføljestatus"
) -> None:
    """The rows as an XLSX sheet laid out like Prosjektportalen's Excel export, status in colour."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from graph.cells import neutralise

    book = openpyxl.Workbook()
    ws = cast(Worksheet, book.active)  # a new workbook always has its one worksheet
    ws.title = title
    ws.append(list(PP_COLUMNS))
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([neutralise(row.get(c)) for c in PP_COLUMNS])  # openpyxl writes "=…" as a formula
        for j, col in enumerate(PP_COLUMNS, start=1):
            cell = ws.cell(ws.max_row, j)
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD.MM.YYYY"
            colour = RAG.get(STATUS_COLUMNS.get(col, ("", ""))[1], {}).get(str(cell.value))
            if colour:
                cell.fill = PatternFill("solid", fgColor=RAG_COLOURS[colour].lstrip("#"))
    ws.freeze_panes = "B2"
    for j, col in enumerate(PP_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(12, min(40, len(col) + 4))
    book.save(path)


def export_portfolio(store: Store, path: Path | str, dataset: str | None = None) -> int:
    rows = portfolio_rows(quads_of(store, dataset))
    write_portfolio(Path(path), rows)
    return len(rows)


# -- RDF ---------------------------------------------------------------------------------------------

# Every RDF format the CLI and the app export; the extension and media type name a download.
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


def export_rdf(
    store: Store, fmt: str = "turtle", dataset: str | None = None, *, whole: bool = False
) -> bytes:
    """The graph as RDF: the one RDF export of ``kg export``, ``kg export-rdf`` and the app.

    ``whole`` exports every graph in the store (the SDG vocabulary included); otherwise one
    dataset (:func:`quads_of`). N-Quads and TriG keep the named graphs; Turtle, N-Triples and
    JSON-LD hold their union.
    """
    f = RDF_FORMATS[fmt]
    keep_graphs = f.supports_datasets and fmt != "jsonld"
    if whole and keep_graphs:
        return bytes(store.dump(f))  # the store writes its own quads: no copy at national scale
    quads = store.quads() if whole else quads_of(store, dataset)
    tmp = ox.Store()
    if keep_graphs:
        tmp.extend(quads)
        return bytes(tmp.dump(format=f) or b"")  # without an output, dump() returns the bytes
    # The union has no graphs: each record says its graph's kg:sourceFile (loaders/sourcefile.py)
    tmp.extend(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in per_record(quads)
    )
    if fmt == "turtle":
        return bytes(tmp.dump(format=f, from_graph=ox.DefaultGraph(), prefixes=PREFIXES) or b"")
    return bytes(tmp.dump(format=f, from_graph=ox.DefaultGraph()) or b"")
