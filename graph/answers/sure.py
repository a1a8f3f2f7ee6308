"""How sure each row of an answer is, in one place for every table.

A row rests on one or more records (a usage, a system choice, an ownership, a status report);
it is as sure as the least sure of them (:func:`graph.certainty.weakest`): **stated** in the
documents, **interpreted** from them, or **external** (from outside the documents). Builders
ask :func:`lookup` for the records behind their rows (one query for all of them, so a table
costs what its rows cost, not what the graph holds), put the result on each row with
:func:`grade` and drop what the documents do not state with :func:`keep` when the planner
asks for stated facts only. :data:`CERTAINTY` is the column every such table shows; the
reason stays on the row (``certainty_reason``) for the front ends that show it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.answers.answer import Column
from graph.certainty import EXTERNAL, INTERPRETED, LEVELS, STATED, classify_rows

__all__ = [
    "CERTAINTY",
    "EXTERNAL",
    "INTERPRETED",
    "LEVELS",
    "STATED",
    "grade",
    "keep",
    "lookup",
    "of",
]
from graph.store import Limits, Store
from graph.viewquery import ViewQuery

BIG = Limits(seconds=60, rows=1_000_000)
CERTAINTY = Column("certainty", "sikkerhet", "certainty")
CHUNK = 400  # IRIs per query: a VALUES block stays small enough for every backend

# An IRI that can stand in a VALUES block as <…> (the store's own IRIs always can).
PLAIN_IRI = re.compile(r'^[^\s<>"{}|^`\\]+$')

# The records asked for, their evidence, their source's type and their notes: a template whose
# %s is a VALUES block of IRIs (``<…>`` separated by single spaces), so a load's kept lines can
# answer it (graph.answers.viewrows) as they answer certainty.RECORDS, of which it is a part.
LOOKUP = ViewQuery(
    "sure.lookup",
    """
SELECT ?r ?evidence ?dtype ?note WHERE {
  VALUES ?r { %s }
  ?r prov:wasDerivedFrom ?src .
  OPTIONAL { ?src kg:documentType ?dtype }
  OPTIONAL { ?r kg:evidence ?evidence }
  OPTIONAL { ?r skos:editorialNote ?note }
}
""",
)


def lookup(store: Store, iris: Iterable[str]) -> dict[str, tuple[str, str]]:
    """record IRI → (certainty, reason) for the records given (those with a source)."""
    wanted = sorted({str(i) for i in iris if i and PLAIN_IRI.match(str(i))})
    rows: list[tuple[Any, ...]] = []
    for at in range(0, len(wanted), CHUNK):
        block = " ".join(f"<{i}>" for i in wanted[at : at + CHUNK])
        rows += [
            (str(r), *rest)
            for r, *rest in store.query(LOOKUP.text % block, None, BIG, name=LOOKUP.name).rows
        ]
    return classify_rows(rows)


def of(known: dict[str, tuple[str, str]], records: Iterable[str]) -> tuple[str, str]:
    """(certainty, reason) of a row resting on ``records``: the least sure of them (stated if
    none is known). The reasons of the records that are that unsure are joined."""
    graded = [known[str(r)] for r in records if r and str(r) in known]
    if not graded:
        return STATED, ""
    worst = max((c for c, _ in graded), key=LEVELS.index)
    reasons = list(dict.fromkeys(why for c, why in graded if c == worst and why))
    return worst, " | ".join(reasons)


def grade(row: dict[str, Any], known: dict[str, tuple[str, str]], records: Iterable[str]) -> None:
    """Put ``certainty`` and ``certainty_reason`` on ``row`` (in place)."""
    row["certainty"], row["certainty_reason"] = of(known, records)


def keep(rows: list[dict[str, Any]], stated_only: bool) -> list[dict[str, Any]]:
    """The rows, or only the stated ones when ``stated_only``."""
    return [r for r in rows if r.get("certainty", STATED) == STATED] if stated_only else rows


def _surest_edge(g: nx.MultiDiGraph[str], a: str, b: str) -> tuple[str, str] | None:
    """(certainty, reason) of the surest edge between ``a`` and ``b`` (either way), if any."""
    found = list((g.get_edge_data(a, b) or {}).values()) + list(
        (g.get_edge_data(b, a) or {}).values()
    )
    if not found:
        return None
    best = min(found, key=lambda d: LEVELS.index(d.get("certainty", STATED)))
    return str(best.get("certainty", STATED)), str(best.get("certainty_reason") or "")


def along(g: nx.MultiDiGraph[str], *paths: Iterable[str | None]) -> tuple[str, str]:
    """(certainty, reason) of a row that follows ``paths`` in the networkx view (each a list of
    nodes, ``None`` skipped): the least sure hop, where each hop is as sure as the surest edge
    between its two nodes (:func:`graph.certainty.annotate` put certainty on every edge)."""
    hops: list[tuple[str, str]] = []
    for path in paths:
        nodes = [n for n in path if n]
        for a, b in zip(nodes, nodes[1:], strict=False):
            edge = _surest_edge(g, a, b)
            if edge:
                hops.append(edge)
    if not hops:
        return STATED, ""
    worst = max((c for c, _ in hops), key=LEVELS.index)
    return worst, " | ".join(dict.fromkeys(why for c, why in hops if c == worst and why))


def linked(g: nx.MultiDiGraph[str], node: str, others: Iterable[str]) -> tuple[str, str]:
    """(certainty, reason) of ``node``'s place in an answer: its surest link to any of
    ``others`` (stated when it has none)."""
    edges = [e for o in others if o != node for e in [_surest_edge(g, node, o)] if e]
    if not edges:
        return STATED, ""
    return min(edges, key=lambda e: LEVELS.index(e[0]))
