"""The overview page: headline counts, project status (with RAG colours), milestones,
the data's "today" (:func:`as_of`) and data quality (SHACL results).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import queries
from graph.answers import sure
from graph.answers.common import (
    BIG,
    ORG_KINDS,
    PROJECT_KINDS,
    SDG_KINDS,
    _date_text,
    code,
    graph_for,
    kind,
    name,
    natural,
    scaled,
)
from graph.exports import RAG
from graph.netx import cached, peek, reference_date
from graph.output import short
from graph.store import IRI, Capability, Limits, Store
from graph.viewquery import ViewQuery

COUNTED = (
    "projects",
    "bodies",
    "people",
    "organizations",
    "systems",
    "dependencies",
    "milestones",
    "local_goals",
    "sdg_targets",
    "kpis",
)


def counts(g: nx.MultiDiGraph[str]) -> dict[str, int]:
    """Headline numbers: records by kind, dependencies, and SDG targets with a local goal."""
    kinds: Counter[Any] = Counter(k for _, k in g.nodes(data="kind"))
    deps = 0
    linked = set()
    p: Any
    for _, v, p in g.edges(data="predicate"):  # one pass over the edges (10⁵ at 1M)
        if p == "dependsOn":
            deps += 1
        elif p == "broadMatch" and kind(g, v) in SDG_KINDS:
            linked.add(v)
    return {
        "projects": sum(kinds[k] for k in PROJECT_KINDS),
        "bodies": kinds["GovernanceBody"],
        "people": kinds["Person"],
        "organizations": sum(kinds[k] for k in ORG_KINDS),
        "systems": kinds["System"],
        "dependencies": deps,
        "milestones": kinds["Milestone"],
        "local_goals": kinds["LocalGoal"],
        "sdg_targets": len(linked),
        "kpis": kinds["KPI"],
    }


def counts_of(store: Store, g: nx.MultiDiGraph[str]) -> dict[str, int]:
    """:func:`counts` of the store's view, kept per store generation (the first page after
    a start shows them before anything else)."""
    return cached(store, "counts", lambda: counts(g))


def size_of(store: Store) -> int:
    """The store's number of triples, kept per store generation (counting them takes 0.15 s
    at 1M; the overview says it when the quality check is left to be asked for)."""
    return cached(store, "size", lambda: len(store))


def rag(field_name: str, value: Any) -> str | None:
    """green / amber / red for a status value, or None when the value has no colour."""
    return RAG.get(field_name, {}).get(str(value)) if value is not None else None


@dataclass
class StatusRow:
    project: str
    code: str
    name: str
    date: str
    fields: dict[str, str | None]  # time, risk, budget, gain → value
    phase: str | None
    previous_date: str | None
    previous_time: str | None
    certainty: str = "stated"  # of the report shown (graph/answers/sure.py)
    certainty_reason: str = ""

    def colour(self, f: str) -> str | None:
        return rag(f, self.fields.get(f))


# The status reports' projects and dates (which reports a status row rests on): answered from
# a load's kept lines by graph.answers.viewrows, so ``kg load`` does not ask the store for them.
REPORTS = ViewQuery("overview.reports", "SELECT ?r ?p ?d WHERE { ?r kg:statusOf ?p ; kg:date ?d }")


def status_query(store: Store, lang: str, limits: Limits = BIG) -> Any:
    """The rows of the named query ``status_overview`` (what :func:`status` is built from)."""
    return queries.run(store, "status_overview", {}, limits, lang=lang)


def status(
    store: Store, g: nx.MultiDiGraph[str], lang: str, stated_only: bool = False
) -> list[StatusRow]:
    """The latest status report per project (named query ``status_overview``), each as sure as
    the report it shows; ``stated_only`` leaves out reports the documents do not state.

    The rows are kept per store generation and language (:func:`graph.netx.cached`): at
    national scale the query and the certainty lookup of every report take a second."""
    rows = _kept_status(store, g, lang)
    return [r for r in rows if r.certainty == sure.STATED] if stated_only else rows


def _kept_status(
    store: Store, g: nx.MultiDiGraph[str], lang: str, asked: Any = None, limits: Limits = BIG
) -> list[StatusRow]:
    """The status rows kept per store generation and language; ``asked``: the query's rows
    when prepare() already has them (handed over in memory, not kept as a second file)."""
    return cached(store, rows_name(lang), lambda: _status(store, g, lang, asked, limits))


def rows_name(lang: str) -> str:
    """The name the status rows are kept under: with the named query's own hash, so rows kept by
    an earlier text of ``status_overview`` (a store loaded before an upgrade) are not shown."""
    return f"status-rows-{lang}-{queries.get('status_overview').version}"


def reports_behind(
    store: Store, found: list[dict[str, Any]], limits: Limits = BIG
) -> dict[tuple[str, str], list[str]]:
    """(project, date) of each status row ``found`` → the status reports behind it."""
    latest = {(r["project"], _date_text(r["date"])) for r in found}
    behind: dict[tuple[str, str], list[str]] = {}
    for rec, p, d in REPORTS.run(store, None, limits).rows:
        if (p, _date_text(d)) in latest:
            behind.setdefault((p, _date_text(d)), []).append(rec)
    return behind


def _status(
    store: Store, g: nx.MultiDiGraph[str], lang: str, asked: Any = None, limits: Limits = BIG
) -> list[StatusRow]:
    found = (asked if asked is not None else status_query(store, lang, limits)).dicts()
    behind = reports_behind(store, found, limits)
    known = sure.lookup(store, [x for recs in behind.values() for x in recs])
    rows = []
    for r in found:
        p = r["project"]
        graded = sure.of(known, behind.get((p, _date_text(r["date"])), []))
        rows.append(
            StatusRow(
                p,
                code(g, p),
                name(g, p),
                _date_text(r["date"]),
                {f: r.get(f) for f in ("time", "risk", "budget", "gain")},
                r.get("phase"),
                _date_text(r.get("previous_date")) or None,
                r.get("previous_time"),
                *graded,
            )
        )
    return sorted(rows, key=lambda s: natural(s.code))


MILESTONES = ViewQuery(
    "overview.milestones",
    """
SELECT ?m ?date ?owner ?type ?status WHERE {
  ?m a kg:Milestone ; kg:date ?date .
  OPTIONAL { ?m kg:milestoneOf ?owner } OPTIONAL { ?m kg:milestoneType ?type } OPTIONAL { ?m kg:milestoneStatus ?status }
}
""",
)


@dataclass
class MilestoneRow:
    milestone: str
    date: str  # ISO, possibly partial (2017-05)
    title: str
    owner: str | None
    owner_name: str
    type: str | None
    status: str | None
    programme: bool  # a milestone of the programme itself
    certainty: str = "stated"  # graph/answers/sure.py
    certainty_reason: str = ""


def milestone_rows(store: Store) -> list[tuple[Any, ...]]:
    """(milestone, date, owner, type, status) of every milestone; kept per store generation
    (the overview and every what-if read them; at national scale the query takes a second)."""
    return cached(store, "milestones", lambda: MILESTONES.run(store, None, BIG).rows)


def graded_milestones(store: Store) -> list[tuple[Any, ...]]:
    """(milestone, date text, owner, type, status, certainty, reason) of every milestone; kept
    per store generation (the certainty lookup of 10⁴ milestones takes half a second)."""

    def build() -> list[tuple[Any, ...]]:
        found = milestone_rows(store)
        known = sure.lookup(store, [m for m, *_ in found])
        return [
            (m, _date_text(date), owner, typ, st, *sure.of(known, [m]))
            for m, date, owner, typ, st in found
        ]

    return cached(store, "milestones-graded", build)


def milestones(
    store: Store, g: nx.MultiDiGraph[str], after: str | None = None, stated_only: bool = False
) -> list[MilestoneRow]:
    """Milestones in date order, from ``after`` (ISO date; partial dates compare by prefix),
    each with its certainty; ``stated_only`` leaves out those the documents do not state."""
    rows = []
    for m, d, owner, typ, st, *graded in graded_milestones(store):
        if after and d < after[: len(d)]:
            continue
        if stated_only and graded[0] != sure.STATED:
            continue
        rows.append(
            MilestoneRow(
                m,
                d,
                name(g, m),
                owner,
                name(g, owner) if owner else "",
                typ,
                st,
                kind(g, owner) == "Program" if owner else False,
                *graded,
            )
        )
    rows.sort(key=lambda r: (r.date, r.title))
    seen, out = set(), []
    for r in rows:
        if r.milestone not in seen:
            seen.add(r.milestone)
            out.append(r)
    return out


def as_of(store: Any) -> dt.date | None:
    """ "Today" for the data: the date of the newest status report (:func:`graph.netx.reference_date`).

    The one answer for the CLI's what-if and the app's date pickers. A dataset without status
    reports has no "today": None, so no milestone counts as passed. (The app used to fall back
    to the wall clock, which silently hid every milestone of a finished programme such as nye
    Asker's 2017–2020 plan.)
    """
    return reference_date(store)


QUALITY_AUTO = 300_000  # triples: above this the app runs the SHACL check only when asked


def quality_known(store: Store) -> list[dict[str, Any]] | None:
    """The SHACL findings if they are already known for this store generation, else None."""
    return peek(store, "quality")


def quality(store: Store) -> list[dict[str, Any]]:
    """SHACL violations and warnings as rows (file, row, focus, path, message, severity).

    Kept per store generation (:func:`graph.netx.cached`): a minute at a million triples.
    """
    return cached(store, "quality", lambda: _quality(store))


def _quality(store: Store) -> list[dict[str, Any]]:
    from graph.validate import validate_store  # pyshacl and rdflib: loaded only when asked

    return [
        {
            "severity": v.severity,
            "file": v.file,
            "row": v.row,
            "focus": short(IRI(v.focus)),
            "path": v.path,
            "message": v.message,
            "value": v.value,
        }
        for v in validate_store(store)
    ]


def prepare(store: Store, lang: str = "nb") -> None:
    """Build and keep what every app page needs for a new store generation (``kg load`` calls
    this, so the first visit after a load opens in well under a second)."""
    # The status rows are a query the store runs (Oxigraph, without the GIL: 2 s of CPU at 1M):
    # run it on the other core while Python builds the networkx view. Only where the rows are
    # kept and not kept yet (its rows are handed to the status rows below). Its error is raised
    # here, not met by running the query again: at 8.6M triples on a busy machine it passed its
    # time limit, and a second try would only have spent another minute.
    ask = None
    asked: list[Any] = []
    failed: list[Exception] = []
    if store.supports(Capability.GENERATIONS) and peek(store, rows_name(lang)) is None:

        def early() -> None:
            try:
                # counted here, beside the view (1.4 s at 1M on a busy machine): nobody waits
                # on a page, so the whole-graph queries get the time the graph needs
                asked.append(status_query(store, lang, scaled(size_of(store))))
            except Exception as e:  # handed to the caller's thread below
                failed.append(e)

        ask = threading.Thread(target=early, daemon=True)
        ask.start()
    g = graph_for(store, lang)
    counts_of(store, g)
    graded_milestones(store)
    if ask is not None:
        ask.join()
    if failed:
        raise failed[0]
    _kept_status(store, g, lang, asked[0] if asked else None, scaled(size_of(store)))
