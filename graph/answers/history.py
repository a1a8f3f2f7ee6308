"""Change over time as answers: the dated snapshots kept (``kg snapshots``), what changed between
two of them (``kg diff``) and each project's status per snapshot date (``kg status-history``,
the app's time strip in Prosjektportalen colours) and the edits made in the app (``kg changes``,
:func:`edit_log`). The CLI and the app's History page render these answers; the snapshots themselves are :mod:`graph.snapshots`, the diff :mod:`graph.diff`.

A snapshot holds everything imported up to its date, so a project that a later export leaves
out is still in it, with its old report and ``kg:notInExport``: the strip shows such a project
as «ikke med i eksporten» from that date, never with the old report as if it were current.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph import snapshots
from graph.answers.answer import Answer, Column, cols
from graph.answers.common import natural
from graph.diff import PROV_FROM, RDF_TYPE, STATUS, Change, _fields, _View, diff
from graph.exports import RAG
from ontology.terms import KG_NS, PREFIXES

SKOS = PREFIXES["skos"]
DCT = PREFIXES["dct"]

# kg diff's categories (graph.diff) in the reader's language; the code stays in the JSON rows.
CATEGORIES: dict[str, tuple[str, str]] = {
    "projects": ("prosjekter", "projects"),
    "systems": ("systemer", "systems"),
    "persons": ("personer", "persons"),
    "domains": ("delområder", "domains"),
    "organisations": ("organisasjoner", "organisations"),
    "bodys": ("organer", "bodies"),
    "sources": ("kilder", "sources"),
    "records": ("poster", "records"),
    "dependencies": ("avhengigheter", "dependencies"),
    "status": ("status", "status"),
    "roles": ("roller", "roles"),
    "choices": ("systemvalg", "choices"),
    "evaluations": ("vurderinger", "evaluations"),
    "attributes": ("egenskaper", "attributes"),
}

# The status dimensions of a Prosjektportalen report (graph.diff.STATUS), in PP's own order of the
# «Porteføljestatus» view, with PP's default labels; the colour table of each (exports.RAG).
DIMENSIONS: tuple[tuple[str, str, str, str], ...] = (
    ("statusTime", "time", "Status fremdrift", "Schedule"),
    ("statusBudget", "budget", "Status økonomi", "Budget"),
    ("statusQuality", "quality", "Status kvalitet", "Quality"),
    ("statusRisk", "risk", "Status risiko", "Risk"),
    ("statusGain", "gain", "Status gevinstoppnåelse", "Gains"),
    ("phase", "phase", "Fase", "Phase"),
)
assert {d[0] for d in DIMENSIONS} == {s[0] for s in STATUS}  # one list of fields with graph.diff

# Prosjektportalen's default colour per quality value (docs: prosjektportalen.md §1.3);
# exports.RAG has the other four fields.
COLOURS: dict[str, dict[str, str]] = {
    **RAG,
    "quality": {
        "Bedre enn spesifikasjon": "green",
        "Ihht. spesifikasjon": "green",
        "Mindre avvik fra spesifikasjon": "amber",
        "Større avvik fra spesifikasjon": "red",
    },
}
# What a cell of the strip is, besides a reported value (its colour: grey, or none at all).
ABSENT = {"nb": "ikke med i eksporten", "en": "not in the export"}
NO_STATUS = {"nb": "ingen status", "en": "no status"}


def colour(field: str, value: str | None) -> str | None:
    """green / amber / red for a status value, grey for a value without a colour; None for none."""
    if not value:
        return None
    return COLOURS.get(field, {}).get(value, "grey")


def date_heading(day: dt.date, lang: str) -> str:
    """A snapshot date as a column heading: 31.01.2024 in Norwegian, 2024-01-31 in English."""
    return day.strftime("%d.%m.%Y") if lang == "nb" else day.isoformat()


def date_text(iso: str, lang: str) -> str:
    """A report's date as the data gives it, which may be partial (the documents date some
    reports by month or year only): 03.02.2017 / 02.2017 / 2017 in Norwegian, as written in
    English.

    >>> date_text("2017-02-03", "nb"), date_text("2017-02", "nb"), date_text("2017", "nb")
    ('03.02.2017', '02.2017', '2017')
    >>> date_text("2017-02", "en")
    '2017-02'
    """
    parts = iso.split("-")
    if lang != "nb" or not all(p.isdigit() for p in parts):
        return iso
    return ".".join(reversed(parts))


def datasets(root: Path) -> dict[str, list[dt.date]]:
    """Dataset → its snapshot dates, oldest first."""
    out: dict[str, list[dt.date]] = {}
    for s in snapshots.listing(root):
        out.setdefault(s.dataset, []).append(s.date)
    return out


def snapshot_list(
    root: Path, dataset: str | None = None, lang: str = "nb", here: Path | None = None
) -> Answer:
    """The dated snapshots kept (``kg snapshots``); paths under ``here`` are shown relative."""
    rows = []
    for s in snapshots.listing(root, dataset):
        shown = s.path.relative_to(here) if here and s.path.is_relative_to(here) else s.path
        rows.append({"dataset": s.dataset, "date": s.date, "bytes": s.size, "file": str(shown)})
    return Answer(
        "snapshots",
        {"nb": "Øyeblikksbilder", "en": "Snapshots"},
        cols(
            ("dataset", "Datasett", "Dataset"),
            ("date", "Dato", "Date"),
            ("bytes", "Byte", "Bytes"),
            ("file", "Fil", "File"),
        ),
        rows,
    )


def changes(
    items: list[Change], dataset: str, before: dt.date, after: dt.date, lang: str = "nb"
) -> Answer:
    """The changes between two snapshots of ``dataset``, one row per change: the answer of
    ``kg diff``, the History page and the app's import section. The title is the headline.

    In English the category is graph.diff's own word (the README shows it); in Norwegian it is
    translated, so the app and ``kg diff --lang nb`` show no English."""
    en = lang != "nb"
    rows = [
        {
            "category": CATEGORIES.get(c.category, (c.category, c.category))[en],
            "subject": c.subject,
            "change": c.text(lang),
            "category_code": c.category,
        }
        for c in items
    ]
    n = len(rows)
    return Answer(
        "diff",
        {
            "nb": f"Endringer i {dataset} fra {before} til {after}: {n}",
            "en": f"Changes in {dataset} from {before} to {after}: {n}",
        },
        cols(
            ("category", "Kategori", "Category"),
            ("subject", "Gjelder", "Subject"),
            ("change", "Endring", "Change"),
        ),
        rows,
        extra=("category_code",),
        facts={"dataset": dataset, "from": str(before), "to": str(after)},
    )


def changes_between(
    root: Path, a: str, b: str = "latest", dataset: str | None = None, lang: str = "nb"
) -> Answer:
    """What changed from snapshot ``a`` to ``b`` (dates, ``latest``, ``previous`` or .nq files):
    the rows of ``kg diff``. Raises graph.store.QueryError when a snapshot is not there."""
    return snapshot_changes(
        snapshots.find(root, a, dataset), snapshots.find(root, b, dataset), lang
    )


def snapshot_changes(sa: snapshots.Snapshot, sb: snapshots.Snapshot, lang: str = "nb") -> Answer:
    """What changed from snapshot ``sa`` to ``sb`` (``kg diff``, the History page, and the
    diff the app's import section shows after an import)."""
    found = diff(snapshots.read(sa.path), snapshots.read(sb.path), lang)
    return changes(found, sb.dataset, sa.date, sb.date, lang)


def _name(view: _View, s: str) -> tuple[str, str]:
    """(code, «code label») of a project as the snapshot names it."""
    code = view.label(s, SKOS + "notation") or ""
    label = view.label(s, SKOS + "prefLabel") or ""
    shown = f"{code} {label}" if code and label and code not in label else (label or code)
    return code, shown or s.rsplit("/", 1)[-1]


# Two snapshots larger than this together are compared when the planner asks (the app: not on
# the History page's arrival nor in its warm-up): :func:`changes_between` reads both whole, and
# a snapshot of 10⁷ quads takes ~80 s and ~8 GB (issue 16).
DIFF_ASKED = 1 << 30  # bytes of N-Quads


def snapshot_bytes(root: Path, dataset: str, *dates: str) -> int:
    """The bytes of the snapshots of ``dataset`` dated ``dates`` (ISO)."""
    size = {s.date.isoformat(): s.size for s in snapshots.listing(root, dataset)}
    return sum(size.get(d, 0) for d in dates)  # a snapshot compared with itself is read twice


def _strip_view(path: Path) -> _View:
    """The part of the snapshot at ``path`` that :func:`status_strip` reads, as a :class:`_View`:
    the status reports (their type, project, date, status fields and source, and the source's
    date of issue), the projects' ``kg:notInExport``, and the labels of those projects. The
    same cells as the view of the whole snapshot, without a Python object per quad of it (at
    10⁷ quads the strip took ~90 s, nearly all of it reading the snapshot)."""
    report = f"<{KG_NS}StatusReport>".encode()
    fields = [KG_NS + d[0] for d in DIMENSIONS]
    status_of, gone, issued = KG_NS + "statusOf", KG_NS + "notInExport", DCT + "issued"
    labels = [SKOS + "prefLabel", SKOS + "notation"]
    found = snapshots.lines_with(
        path, [RDF_TYPE, status_of, KG_NS + "date", PROV_FROM, issued, gone, *fields, *labels]
    )

    def term(line: bytes, i: int) -> bytes:  # the subject (0) or an IRI object (2) of a line
        # «<s> <p> <o>.» (the default graph, no space before the dot) is valid N-Quads too
        return line.split(None, 3)[i].removesuffix(b".")

    def about(p: str, subjects: set[bytes]) -> list[bytes]:
        return [ln for ln in found[p] if term(ln, 0) in subjects]

    typed = [ln for ln in found[RDF_TYPE] if term(ln, 2) == report]
    reports = {term(ln, 0) for ln in typed}
    kept = typed
    for p in (status_of, KG_NS + "date", PROV_FROM, *fields):
        kept += about(p, reports)
    kept += about(issued, {term(ln, 2) for ln in about(PROV_FROM, reports)})
    projects = {term(ln, 2) for ln in about(status_of, reports)}
    projects |= {term(ln, 0) for ln in found[gone]}
    kept += found[gone]
    for p in labels:
        kept += about(p, projects)
    return _View(ox.parse(b"".join(kept), format=ox.RdfFormat.N_QUADS))


def status_strip(root: Path, dataset: str, lang: str = "nb", project: str | None = None) -> Answer:
    """Each project's status per snapshot date and dimension: one row per project and dimension
    (the dimensions its reports have), one column per snapshot date.

    A cell is the value the newest report up to that snapshot gave (a later export without the
    column keeps the earlier value, as in ``kg diff``), «ikke med i eksporten» from the first
    export that left the project out, «ingen status» when the report has no value, and empty
    before the project's first report. Each row carries its cells' colours (``colours``: date →
    green/amber/red/grey) and states (``states``: date → value/absent/none/before) for the app.
    ``project``: one project's rows only (its code).
    """
    snaps = snapshots.listing(root, dataset)
    locals_ = tuple(d[0] for d in DIMENSIONS)
    en = lang != "nb"
    # project IRI → (code, name); date → project → field → (value, report date); date → absent
    names: dict[str, tuple[str, str]] = {}
    reported: dict[dt.date, dict[str, dict[str, tuple[str, str]]]] = {}
    absent: dict[dt.date, dict[str, str]] = {}
    for s in snaps:
        view = _strip_view(s.path)
        reported[s.date] = _fields(view, "StatusReport", "statusOf", locals_)
        absent[s.date] = {}
        for p in view.spo:
            gone = view.one(p, "notInExport")
            if gone:
                absent[s.date][p] = gone
        for p in set(reported[s.date]) | set(absent[s.date]):
            if p:
                names[p] = _name(view, p)  # the newest snapshot's name wins (a renamed project)
    dates = [s.date for s in snaps]
    columns = [
        Column("project", "Prosjekt", "Project"),
        Column("dimension", "Status", "Status"),
    ] + [Column(d.isoformat(), date_heading(d, "nb"), date_heading(d, "en")) for d in dates]
    rows: list[dict[str, Any]] = []
    for p in sorted(names, key=lambda p: natural(names[p][0] or names[p][1])):
        code, shown = names[p]
        if project and project.lower() not in (code.lower(), p.lower()):
            continue
        for local, field, nb, en_name in DIMENSIONS:
            if not any(local in reported[d].get(p, {}) for d in dates):
                continue  # a dimension none of the project's reports has
            row: dict[str, Any] = {
                "project": shown,
                "dimension": en_name if en else nb,
                "code": code,
                "iri": p,
                "field": field,
                "colours": {},
                "states": {},
                "reported": {},
            }
            for d in dates:
                key = d.isoformat()
                got = reported[d].get(p, {})
                if p in absent[d]:
                    row[key], state = ABSENT[lang if lang in ABSENT else "nb"], "absent"
                    row["colours"][key] = "grey"
                elif local in got:
                    value, day = got[local]
                    row[key], state = value, "value"
                    row["colours"][key] = None if field == "phase" else colour(field, value)
                    row["reported"][key] = day
                elif got:
                    row[key], state = NO_STATUS[lang if lang in NO_STATUS else "nb"], "none"
                    row["colours"][key] = "grey"
                else:
                    row[key], state = "", "before"
                    row["colours"][key] = None
                row["states"][key] = state
            rows.append(row)
    return Answer(
        "status_history",
        {
            "nb": f"Status over tid for {dataset}",
            "en": f"Status over time for {dataset}",
        },
        columns,
        rows,
        extra=("code", "field", "states"),
        facts={"dataset": dataset, "dates": [d.isoformat() for d in dates]},
    )


# -- edits made in the app (graph/changes.py): who changed which record, when and why ----------

ACTIONS = {
    "add": ("la til", "added"),
    "change": ("endret", "changed"),
    "remove": ("fjernet", "removed"),
}
# The record kinds the app edits (graph.edits.EDITABLE), in words.
KINDS = {
    "dependencies": ("avhengighet", "dependency"),
    "status_reports": ("statusrapport", "status report"),
    "milestones": ("milepæl", "milestone"),
    "risks": ("risiko", "risk"),
    "decisions": ("vedtak", "decision"),
}
EDIT_COLUMNS = (
    ("id", "Id", "Id"),
    ("when", "Tidspunkt", "When"),
    ("who", "Hvem", "Who"),
    ("action", "Handling", "Action"),
    ("kind", "Type", "Kind"),
    ("key", "Nøkkel", "Key"),
    ("reason", "Begrunnelse", "Reason"),
    ("undoes", "Angrer", "Undoes"),
)


def _values_text(before: dict[str, str], after: dict[str, str]) -> str:
    """The cells a change set changed, as «column: before → after»."""
    keys = sorted(set(before) | set(after))
    return "; ".join(
        f"{k}: {before.get(k, '–')} → {after.get(k, '–')}"
        for k in keys
        if before.get(k) != after.get(k)
    )


def edit_log(
    store: Any,
    dataset: str | None = None,
    key: str | None = None,
    lang: str = "nb",
    limit: int = 1000,
    full: bool = False,
) -> Answer:
    """The change sets of edits made in the app, newest first (``kg changes``).

    The columns are the codes ``kg changes`` has always printed (action add/change/remove, the
    record kind); each row also carries them in the reader's language (``action_text``,
    ``kind_text``) and the changed cells (``changed``: column, before, after; ``values``: as
    text) for the app. ``full`` adds the
    before and after values as objects (the JSON document). Raises graph.edits.EditError when
    the store has no such dataset.
    """
    from graph import changes, edits

    ds = edits.dataset(store, dataset)
    found = changes.changes(store, ds.base, limit=limit)
    if key:
        found = [c for c in found if c.key == key]
    en = lang != "nb"
    spec = EDIT_COLUMNS + (
        (("before", "Før", "Before"), ("after", "Etter", "After")) if full else ()
    )
    rows = []
    for c in found:
        rows.append(
            {
                **c.as_dict(),
                "action_text": ACTIONS.get(c.action, (c.action, c.action))[en],
                "kind_text": KINDS.get(c.kind, (c.kind, c.kind))[en].replace("_", " "),
                "values": _values_text(c.before, c.after),
                "changed": [
                    (k, c.before.get(k), c.after.get(k))
                    for k in sorted(set(c.before) | set(c.after))
                    if c.before.get(k) != c.after.get(k)
                ],
            }
        )
    return Answer(
        "changes",
        {"nb": f"Endringer gjort i appen ({ds.name})", "en": f"Edits made in the app ({ds.name})"},
        cols(*spec),
        rows,
    )
