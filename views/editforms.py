"""The edit forms of the five editable kinds: which columns, which widget, labels in nb and en.

The Edit page (views/edit.py) draws one form per record from :data:`FIELDS`; the values it
sends are the CSV cells of the record (column → text), which graph/edits.py validates and saves.
Choice lists are read from the store (projects, bodies, sources ...); coded values (dependency
types, milestone kinds ...) are shown with Norwegian or English labels and saved as the codes
the data format uses. Columns a form does not show are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loaders.schema import KIND, STATUS_BUDGET, STATUS_GAIN, STATUS_RISK, STATUS_TIME
from views.i18n import STRINGS

Pair = tuple[str, str]  # (en, nb)

KINDS: dict[str, dict[str, str]] = {  # plural, title of the page, the "new" entry
    "dependencies": {
        "en": "Dependencies|Edit dependencies|➕ New dependency|Dependency",
        "nb": "Avhengigheter|Rediger avhengigheter|➕ Ny avhengighet|Avhengighet",
    },
    "status_reports": {
        "en": "Status reports|Edit status reports|➕ New status report|Status report",
        "nb": "Statusrapporter|Rediger statusrapporter|➕ Ny statusrapport|Statusrapport",
    },
    "milestones": {
        "en": "Milestones|Edit milestones|➕ New milestone|Milestone",
        "nb": "Milepæler|Rediger milepæler|➕ Ny milepæl|Milepæl",
    },
    "risks": {
        "en": "Risks|Edit risks|➕ New risk|Risk",
        "nb": "Risikoer|Rediger risikoer|➕ Ny risiko|Risiko",
    },
    "decisions": {
        "en": "Decisions|Edit decisions|➕ New decision|Decision",
        "nb": "Beslutninger|Rediger beslutninger|➕ Ny beslutning|Beslutning",
    },
}


def kind_text(kind: str, part: int, lang: str) -> str:
    return KINDS[kind]["nb" if lang == "nb" else "en"].split("|")[part]


@dataclass(frozen=True)
class Field:
    """One input of a form: the CSV column, its label, the widget and where its choices come from.

    ``widget``: ``text`` (one line), ``area`` (several lines), ``date`` (one line, a date as
    ``2017-02-28``, ``2017-02`` or ``2017``), ``pick`` (one of ``choices``), ``multi`` (several).
    ``choices``: a name in :data:`QUERIES` (records of the store) or a tuple of codes.
    """

    name: str
    label: Pair
    widget: str = "text"
    choices: str | tuple[str, ...] = ()
    optional: bool = True  # a pick offers «—» (nothing)
    key: bool = False  # part of the record's key: fixed once the record exists
    wide: bool = False  # a row of its own


def _rel(code: str) -> Pair:
    s = STRINGS.get(f"rel.{code}")
    return (s["en"], s["nb"]) if s else (code, code)


CODE_LABELS: dict[str, dict[str, Pair]] = {
    "type": {c: _rel(c) for c in KIND["dependencies"].by_name["type"].values},
    "criticality": {
        "primary": ("primary", "viktigste"),
        "high": ("high", "høy"),
        "normal": ("normal", "normal"),
        "low": ("low", "lav"),
    },
    "evidence": {
        "explicit": ("explicit in the source", "uttrykt i kilden"),
        "implied": ("implied (interpretation)", "utledet (tolkning)"),
    },
    "ms_type": {
        "milestone": ("milestone", "milepæl"),
        "deadline": ("deadline", "frist"),
        "launch": ("launch", "lansering"),
        "meeting": ("meeting", "møte"),
        "decision_point": ("decision point", "beslutningspunkt"),
    },
    "ms_status": {
        "done": ("done", "fullført"),
        "done (ticked)": ("done (ticked)", "fullført (avkrysset)"),
        "planned": ("planned", "planlagt"),
        "status": ("status", "status"),
        "milestone": ("milestone", "milepæl"),
    },
    "de_type": {
        "decision": ("decision", "beslutning"),
        "decision_point": ("decision point (planned)", "beslutningspunkt (planlagt)"),
    },
}

SOURCE = Field("source", ("Source document", "Kildedokument"), "pick", "sources", False)
LOCATOR = Field("locator", ("Where in the source", "Hvor i kilden"))
SCORE = ("1", "2", "3", "4")

FIELDS: dict[str, list[Field]] = {
    "dependencies": [
        Field("from", ("From (the one that depends)", "Fra (den som er avhengig)"), "pick", "nodes", False),
        Field("to", ("To (the one depended on)", "Til (det som avhenges av)"), "pick", "nodes", False),
        Field("type", ("Type", "Type"), "pick", "type", False),
        Field("criticality", ("Criticality", "Kritikalitet"), "pick", "criticality"),
        Field("evidence", ("Evidence", "Belegg"), "pick", "evidence", False),
        Field("rationale", ("Rationale", "Begrunnelse"), "area", wide=True),
        SOURCE,
        LOCATOR,
    ],
    "status_reports": [
        Field("project", ("Project", "Prosjekt"), "pick", "projects", False, key=True),
        Field("date", ("Date of the report", "Rapportdato"), "date", key=True),
        Field("status_time", ("Status time", "Status tid"), "pick", STATUS_TIME),
        Field("status_risk", ("Status risk", "Status risiko"), "pick", STATUS_RISK),
        Field("status_budget", ("Status budget", "Status budsjett"), "pick", STATUS_BUDGET),
        Field("status_gain", ("Status benefits", "Status gevinst"), "pick", STATUS_GAIN),
        Field("comment", ("Comment on the status", "Kommentar til statusen"), "area", wide=True),
        Field(
            "source", ("Source document", "Kildedokument"), "pick", "sources", False, key=True
        ),
        LOCATOR,
    ],
    "milestones": [
        Field("title", ("Milestone", "Milepæl"), "text", wide=True),
        Field("project", ("Project", "Prosjekt"), "pick", "projects"),
        Field("date", ("Date", "Dato"), "date"),
        Field("type", ("Kind", "Art"), "pick", "ms_type"),
        Field("status", ("Status", "Status"), "pick", "ms_status"),
        SOURCE,
        LOCATOR,
    ],
    "risks": [
        Field("title", ("Risk", "Risiko"), "text", wide=True),
        Field("project", ("Project", "Prosjekt"), "pick", "projects"),
        Field("status", ("Status", "Status")),
        Field("likelihood_before", ("Likelihood before measures", "Sannsynlighet før tiltak"), "pick", SCORE),
        Field("consequence_before", ("Consequence before measures", "Konsekvens før tiltak"), "pick", SCORE),
        Field("likelihood_after", ("Likelihood after measures", "Sannsynlighet etter tiltak"), "pick", SCORE),
        Field("consequence_after", ("Consequence after measures", "Konsekvens etter tiltak"), "pick", SCORE),
        Field("measures", ("Measures", "Tiltak"), "area", wide=True),
        SOURCE,
        LOCATOR,
    ],
    "decisions": [
        Field("title", ("What was decided", "Hva som ble besluttet"), "text", wide=True),
        Field("type", ("Kind", "Art"), "pick", "de_type", False),
        Field("body", ("Decided by", "Besluttet av"), "pick", "deciders"),
        Field("date", ("Date", "Dato"), "date"),
        Field("about", ("About", "Gjelder"), "multi", "anything", wide=True),
        Field("outcome", ("Outcome", "Utfall"), "area", wide=True),
        SOURCE,
        LOCATOR,
    ],
}  # fmt: skip
CODES = {"type": "type", "criticality": "criticality", "evidence": "evidence"}
NEW_ID_PREFIX = {
    "dependencies": "D",
    "risks": "RK",
    "milestones": "ms-",
    "decisions": "beslutning-",
}
DEFAULTS = {
    "dependencies": {"type": "depends_on", "evidence": "explicit"},
    "decisions": {"type": "decision"},
}

_LABEL = "OPTIONAL { ?s skos:prefLabel ?l FILTER(LANG(?l) = '' || LANGMATCHES(LANG(?l), $lang)) }"
QUERIES: dict[str, str] = {
    "nodes": """SELECT ?id (SAMPLE(?l) AS ?label) WHERE {
  VALUES ?cls { kg:Project kg:GovernanceBody kg:Organization kg:System kg:Milestone kg:Decision }
  ?s a ?cls ; dct:identifier ?id . #LABEL# FILTER(STRSTARTS(STR(?s), $base)) } GROUP BY ?id ORDER BY ?id""",
    "projects": """SELECT ?id (SAMPLE(?l) AS ?label) WHERE {
  ?s a kg:Project ; dct:identifier ?id . #LABEL# FILTER(STRSTARTS(STR(?s), $base)) } GROUP BY ?id ORDER BY ?id""",
    "deciders": """SELECT ?id (SAMPLE(?l) AS ?label) WHERE {
  VALUES ?cls { kg:GovernanceBody kg:Person kg:Organization }
  ?s a ?cls ; dct:identifier ?id . #LABEL# FILTER(STRSTARTS(STR(?s), $base)) } GROUP BY ?id ORDER BY ?id""",
    "anything": """SELECT ?id (SAMPLE(?l) AS ?label) WHERE {
  ?s dct:identifier ?id . #LABEL#
  FILTER(STRSTARTS(STR(?s), $base) && !STRSTARTS(STR(?s), $changes) && ?s != $dataset)
} GROUP BY ?id ORDER BY ?id""",
    "sources": """SELECT ?id (SAMPLE(?t) AS ?label) WHERE { ?s a kg:SourceDocument ; dct:identifier ?id .
  OPTIONAL { ?s dct:title ?t } FILTER(STRSTARTS(STR(?s), $base)) } GROUP BY ?id ORDER BY ?id""",
}

RECORDS: dict[str, str] = {
    "status_reports": """SELECT ?p (STR(?d) AS ?date) ?src WHERE {
  ?r a kg:StatusReport ; kg:statusOf ?proj ; kg:date ?d . ?proj dct:identifier ?p .
  OPTIONAL { ?r prov:wasDerivedFrom ?s0 . ?s0 dct:identifier ?src }
  FILTER(STRSTARTS(STR(?r), $base)) } ORDER BY ?p DESC(STR(?d)) ?src""",
    "ids": """SELECT ?id (SAMPLE(?l) AS ?label) WHERE { ?s a $cls ; dct:identifier ?id . #LABEL#
  FILTER(STRSTARTS(STR(?s), $base)) } GROUP BY ?id ORDER BY ?id""",
    "ms_status": "SELECT DISTINCT ?v WHERE { ?s kg:milestoneStatus ?v } ORDER BY ?v",
}
QUERIES = {k: q.replace("#LABEL#", _LABEL) for k, q in QUERIES.items()}
RECORDS = {k: q.replace("#LABEL#", _LABEL) for k, q in RECORDS.items()}


def label(pair: Pair, lang: str) -> str:
    return pair[1] if lang == "nb" else pair[0]


def code_label(group: str, code: str, lang: str) -> str:
    pair = CODE_LABELS.get(group, {}).get(code)
    return label(pair, lang) if pair else code


def records(store: Any, base: str, kind: str, lang: str) -> dict[str, str]:
    """The records of ``kind`` in the dataset: key → what the record list shows."""
    from graph.store import IRI
    from ontology.terms import KG

    if kind == "status_reports":
        out = {}
        for p, d, src in store.query(RECORDS["status_reports"], {"base": base}).rows:
            out[f"{p}|{d}|{src or ''}"] = f"{p} · {d}" + (f" · {src}" if src else "")
        return out
    params = {"base": base, "cls": IRI(KG[KIND[kind].cls]), "lang": lang}
    rows = store.query(RECORDS["ids"], params).rows
    return {str(i): f"{i} – {lab}" if lab else str(i) for i, lab in rows}


def choices(store: Any, base: str, name: str, lang: str) -> dict[str, str]:
    """Code or id → the label a list shows, for a field's ``choices`` name."""
    from graph.store import IRI

    if name in CODE_LABELS and name != "ms_status":
        return {c: code_label(name, c, lang) for c in CODE_LABELS[name]}
    if name == "ms_status":
        found = [str(r[0]) for r in store.query(RECORDS["ms_status"]).rows]
        codes = list(dict.fromkeys([*CODE_LABELS["ms_status"], *found]))
        return {c: code_label("ms_status", c, lang) for c in codes}
    params = {"base": base, "lang": lang}
    if name == "anything":
        params |= {"changes": base + "change/", "dataset": IRI(base + "dataset")}
    rows = store.query(QUERIES[name], params).rows
    return {str(i): f"{i} – {lab}" if lab else str(i) for i, lab in rows}


def next_id(kind: str, existing: list[str]) -> str:
    """A free id for a new record: the prefix of the kind and the next number after it."""
    prefix = NEW_ID_PREFIX.get(kind, "")
    nums = [
        int(x[len(prefix) :])
        for x in existing
        if x.startswith(prefix) and x[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(nums, default=0) + 1}"


__all__ = [
    "CODES",
    "DEFAULTS",
    "FIELDS",
    "KINDS",
    "Field",
    "choices",
    "kind_text",
    "next_id",
    "records",
]
