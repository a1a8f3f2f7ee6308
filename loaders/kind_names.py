"""The record kinds of the dataset format (loaders/schema.py) by their Norwegian names.

A sheet or CSV file may be named by a kind's code (``budget_lines``) or by its Norwegian name
(``budsjettlinjer``, case, spaces, ``-`` and ``_`` aside): a planner names the sheet in her own
language, and a refusal in Norwegian can list the Norwegian names as the ones to use.
"""

from __future__ import annotations

import re

NB: dict[str, str] = {
    "sources": "kilder",
    "organizations": "organisasjoner",
    "municipality_numbers": "kommunenumre",
    "change_events": "endringshendelser",
    "ownerships": "eierskap",
    "operations": "IKT-drift",
    "bodies": "organer",
    "reporting_lines": "rapporteringslinjer",
    "people": "personer",
    "posts": "stillinger",
    "memberships": "medlemskap",
    "projects": "prosjekter",
    "project_goals": "prosjektmål",
    "status_reports": "statusrapporter",
    "mandates": "mandater",
    "mandate_items": "mandatpunkter",
    "dependencies": "avhengigheter",
    "project_links": "prosjektkoblinger",
    "decisions": "beslutninger",
    "phases": "faser",
    "milestones": "milepæler",
    "systems": "IKT-systemer",
    "domains": "delområder",
    "system_usages": "systembruk",
    "evaluations": "systemvurderinger",
    "system_choices": "systemvalg",
    "local_goals": "lokale mål",
    "target_links": "prioriterte FN-delmål",
    "plans": "planer",
    "actions": "tiltak",
    "kpis": "KPI-er",
    "measurements": "målinger",
    "budget_lines": "budsjettlinjer",
    "risks": "risikoer",
    "interactions": "samspill mellom mål",
    "ambiguities": "uklarheter i kildene",
    "reference_models": "referansemodeller",
    "figures": "nøkkeltall fra kildene",
}


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.casefold())


BY_NB: dict[str, str] = {_norm(nb): code for code, nb in NB.items()}


def kind_of(name: str) -> str | None:
    """The kind code a sheet or file name stands for: the code itself or its Norwegian name."""
    if name in NB:
        return name
    return BY_NB.get(_norm(name))


def kind_nb(name: str) -> str:
    """The Norwegian name of a kind (its code when it has none)."""
    return NB.get(name, name)


def kinds_nb(codes: str) -> str:
    """A list of kind codes as written in a message ("bodies, projects") in Norwegian."""
    return ", ".join("FN-bærekraftsmål" if c == "sdg" else kind_nb(c) for c in codes.split(", "))


def known_nb() -> str:
    """Every kind's Norwegian name, in Norwegian alphabetical order (æ, ø, å last)."""
    order = {c: i for i, c in enumerate("abcdefghijklmnopqrstuvwxyzæøå")}
    return ", ".join(sorted(NB.values(), key=lambda s: [order.get(c, -1) for c in s.lower()]))
