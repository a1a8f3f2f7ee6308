"""What an import did and what changed since the previous snapshot, as Answers.

``kg import pp|register`` and ``kg diff`` print these; the app's data page shows the same two
answers after an upload is imported (views/importer.py). :func:`import_report` takes the
:class:`graph.imports.ImportReport` of one import; :func:`changes` takes the
:class:`graph.diff.Change` items between two snapshots. Both are built in one language (the
texts of a change and of the date's reason are already in nb and en).
"""

from __future__ import annotations

import dataclasses
import re

from graph.answers.answer import Answer, cols
from graph.imports import KIND_WORDS, ImportReport

# The kinds an import counts, in English (Norwegian in graph.imports.KIND_WORDS).
KIND_EN = {
    "people": "people",
    "projects": "projects",
    "status_reports": "status reports",
    "dependencies": "dependencies",
    "memberships": "roles",
    "systems": "systems",
    "domains": "domains",
    "system_usages": "system usages",
    "evaluations": "evaluations",
    "bodies": "bodies",
}
KIND_NB = KIND_WORDS
IMPORTERS = {
    "pp": ("Prosjektportalen", "Prosjektportalen"),
    "register": ("IKT-register", "ICT register"),
}
# graph.diff's categories (the English plural of a kind, or a topic) in Norwegian.


# The count words of ImportReport's head line with one of a kind: «1 prosjekter» reads wrong.
SINGULAR = {
    "personer": "person", "prosjekter": "prosjekt", "statusrapporter": "statusrapport",
    "avhengigheter": "avhengighet", "roller": "rolle", "systemer": "system",
    "delområder": "delområde", "vurderinger": "vurdering", "organer": "organ", "poster": "post",
    "tripler": "trippel", "people": "person", "projects": "project", "status reports": "status report",
    "dependencies": "dependency", "roles": "role", "systems": "system", "domains": "domain",
    "system usages": "system usage", "evaluations": "evaluation", "bodies": "body",
    "records": "record", "triples": "triple",
}  # fmt: skip
_ONE = re.compile(r"(?<![\d,.])1 (" + "|".join(sorted(SINGULAR, key=len, reverse=True)) + r")\b")


def _nb(lang: str) -> bool:
    return lang == "nb"


def import_report(rep: ImportReport, lang: str = "nb") -> Answer:
    """The report of one import: rows per kind, cells without status per column, and notes.

    The first note (``top``) is the report's head line, the second the date used and why; the
    facts are the fields of ``ImportReport.as_dict`` (the CLI's JSON document keeps them)."""
    nb = _nb(lang)
    counts = Answer(
        "import_counts",
        {"nb": "Rader i filen", "en": "Rows in the file"},
        cols(("kind", "Hva", "What"), ("count", "Antall", "Count")),
        [
            {"kind": (KIND_NB if nb else KIND_EN).get(k, k.replace("_", " ")), "count": n}
            for k, n in rep.counts.items()
            if k not in ("sources", "organizations")  # one each per import: not the file's rows
        ],
    )
    no_status = Answer(
        "import_no_status",
        {"nb": "Uten status, per kolonne", "en": "No status, per column"},
        cols(("column", "Kolonne", "Column"), ("cells", "Celler", "Cells")),
        [{"column": c, "cells": n} for c, n in rep.no_status.items()],
    )
    # ImportReport.text() writes its lines in this order: head, date, unknown, ignored, no status.
    # The head names the source as the planner knows it («Prosjektportalen», not the command's pp).
    name = IMPORTERS.get(rep.importer, (rep.importer,) * 2)[0 if nb else 1]
    head, *tail = dataclasses.replace(rep, importer=name).text(lang).split("\n")
    if nb:  # a decimal comma in Norwegian: «1,3 s»
        head = re.sub(r"(\d)\.(\d+) s\)", r"\1,\2 s)", head)
    head = _ONE.sub(lambda m: "1 " + SINGULAR[m.group(1)], head)  # «1 prosjekt», «1 project»
    kinds = [
        k
        for k, present in (
            ("date", rep.date_reason[0]),
            ("unknown", rep.unknown),
            ("ignored", rep.ignored),
            ("no_status", rep.no_status),
        )
        if present
    ]
    notes = [{"at": "top", lang: head, "kind": "head"}] + [
        {"at": "top" if k == "date" else "end", lang: line, "kind": k}
        for k, line in zip(kinds, tail, strict=True)
        if k != "no_status"  # the section shows these
    ]
    return Answer(
        "import_report",
        {"nb": "Importrapport", "en": "Import report"},
        counts.columns,
        counts.rows,
        notes=notes,
        sections=[counts, no_status],
        facts={
            **rep.as_dict(lang),
            "importer_name": name,
            "date_reason": rep.date_reason[nb],
        },
    )


__all__ = ["import_report"]
