"""What-if helpers for the planner: the as-of date of the start node's own dataset, dates as
people write them, and who must act on a milestone that slips (owner, board, deciding body).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import networkx as nx

from graph.netx import as_date, reference_date
from graph.store import Capability, Store

DATASET_DATE = """
SELECT (MAX(STR(?d)) AS ?latest) WHERE {
  GRAPH ?g { $node a ?c }
  BIND(STRBEFORE(STR(?g), "/graph/") AS ?base)
  GRAPH ?h { ?r a kg:StatusReport ; kg:date ?d }
  FILTER(STRSTARTS(STR(?h), CONCAT(?base, "/graph/")))
}
"""


# (store generation, node) → its dataset's date: a generation never changes, and the impact
# page asks twice per run (its as-of date and its timeline), 0.08 s of query each at 1M.
_DAYS: dict[tuple[str, str], dt.date | None] = {}


def dataset_date(store: Store, node: str) -> dt.date | None:
    """The newest status date of the dataset ``node`` comes from (not of an import loaded next to
    it); the newest status date of the store when the store cannot tell datasets apart. Kept
    per store generation where the store has immutable ones (the embedded store)."""
    gen = store.opened if store.supports(Capability.GENERATIONS) else None
    key = (str(gen), node) if gen is not None else None
    if key is not None and key in _DAYS:
        return _DAYS[key]
    day = _dataset_date(store, node)
    if key is not None:
        if len(_DAYS) >= 4096:  # a long-running app: forget, rather than grow
            _DAYS.clear()
        _DAYS[key] = day
    return day


def _dataset_date(store: Store, node: str) -> dt.date | None:
    from graph.store import IRI

    if store.language != "sparql":  # Neo4j: a SPARQL-readable copy (graph/pgread.py)
        from graph.pgread import readable

        store = readable(store)
    try:
        rows = store.query(DATASET_DATE, {"node": IRI(node)}).rows
    except Exception:  # a store without named graphs (Neo4j): the store-wide date
        rows = []
    if rows and rows[0][0]:
        return as_date(rows[0][0], end=False)
    return reference_date(store)


def parse_date(text: str) -> dt.date:
    """``2024-02-20``, ``20.02.2024``, ``2024-02`` (first day) or ``2024``; ValueError otherwise.

    >>> parse_date("2024-02-20"), parse_date("20.02.2024"), parse_date("2024-02")
    (datetime.date(2024, 2, 20), datetime.date(2024, 2, 20), datetime.date(2024, 2, 1))
    """
    text = text.strip()
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    partial = as_date(text, end=False) if re.fullmatch(r"\d{4}(-\d{2})?", text) else None
    if partial is None:
        raise ValueError(text)
    return partial


def _outs(g: nx.MultiDiGraph[str], node: str, predicate: str) -> list[str]:
    return sorted({v for _, v, d in g.out_edges(node, data=True) if d["predicate"] == predicate})


def _name(g: nx.MultiDiGraph[str], n: str) -> str:
    return str(g.nodes[n].get("label") or g.nodes[n].get("code") or n)


def who_must_act(g: nx.MultiDiGraph[str], owner: str) -> dict[str, list[str]]:
    """The project owner, the project board and the body that decides (the body the board, or
    else the project, reports to), as names, for the project (or programme) that owns a milestone.

    >>> g = nx.MultiDiGraph()
    >>> for n, l in [("A4", "A4"), ("lb", "Lars"), ("ps", "Prosjektstyre A4"), ("pl", "Programledelse")]:
    ...     g.add_node(n, label=l)
    >>> _ = g.add_edge("A4", "lb", predicate="projectOwner"); _ = g.add_edge("A4", "ps", predicate="steeringBody")
    >>> _ = g.add_edge("ps", "pl", predicate="reportsTo")
    >>> who_must_act(g, "A4")
    {'owner': ['Lars'], 'board': ['Prosjektstyre A4'], 'decides': ['Programledelse']}
    """
    if owner not in g:
        return {"owner": [], "board": [], "decides": []}
    # A deliverable, plan or action answers to the project its mandate or plan belongs to.
    for _ in range(3):
        if _outs(g, owner, "projectOwner") or _outs(g, owner, "steeringBody"):
            break
        up = (
            _outs(g, owner, "responsibleProject")
            or _outs(g, owner, "actionOf")
            or [p for m in _outs(g, owner, "itemOf") for p in _outs(g, m, "mandateOf")]
        )
        if not up:
            break
        owner = up[0]
    owners = _outs(g, owner, "projectOwner")
    boards = _outs(g, owner, "steeringBody")
    above = sorted({b for x in boards or [owner] for b in _outs(g, x, "reportsTo")})
    if not above:  # no reporting line: the owner of the programme it is part of decides
        above = sorted({o for p in _outs(g, owner, "partOf") for o in _outs(g, p, "projectOwner")})
    return {
        "owner": [_name(g, n) for n in owners],
        "board": [_name(g, n) for n in boards],
        "decides": [_name(g, n) for n in above],
    }


USERS = """
SELECT ?municipality ?domain ?users ?contract_end ?source ?locator WHERE {
  ?u a kg:SystemUsage ; kg:usesSystem $system ; kg:user ?municipality .
  OPTIONAL { ?u kg:inDomain ?domain } OPTIONAL { ?u kg:userCount ?users } OPTIONAL { ?u kg:contractEnd ?contract_end }
  OPTIONAL { ?u prov:wasDerivedFrom ?source } OPTIONAL { ?u kg:locator ?locator }
} ORDER BY ?municipality ?domain
"""
CHOICES = """
SELECT ?domain ?role ?decision ?date ?reason ?source ?locator WHERE {
  ?c a kg:SystemChoice ; kg:choiceFor ?domain ; kg:decisionStatus ?decision .
  { ?c kg:chosenSystem $system BIND("chosen" AS ?role) } UNION { ?c kg:replaces $system BIND("replaced" AS ?role) }
  OPTIONAL { ?c kg:date ?date } OPTIONAL { ?c kg:rationale ?reason }
  OPTIONAL { ?c prov:wasDerivedFrom ?source } OPTIONAL { ?c kg:locator ?locator }
} ORDER BY ?date ?domain
"""
# What a choice means for the system being switched off, in the planner's words.
STATE = {
    ("chosen", "chosen"): ("valgt for nye Asker", "chosen for the new municipality"),
    ("chosen", "continued"): ("videreføres", "continued"),
    ("replaced", "chosen"): ("erstatning valgt (fases ut)", "replacement chosen (phase-out)"),
    ("replaced", "continued"): ("erstatning valgt (fases ut)", "replacement chosen (phase-out)"),
    ("replaced", "procurement"): ("anskaffelse av erstatning", "replacement being procured"),
    ("replaced", "pending"): ("valg av erstatning pågår", "replacement pending"),
}


def _short(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1] if iri is not None else ""


def system_use(
    store: Store, g: nx.MultiDiGraph[str], system: str, lang: str = "nb"
) -> dict[str, list[dict[str, Any]]]:
    """Who uses ``system`` (municipality, service domain) and what has been decided about it per
    domain (chosen, continued, replacement chosen or pending), each with its source."""
    from graph.store import IRI

    if store.language != "sparql":  # Neo4j: a SPARQL-readable copy (graph/pgread.py)
        from graph.pgread import readable

        store = readable(store)

    def name(n: object) -> str:
        return _name(g, str(n)) if n is not None and str(n) in g else _short(n)

    users = [
        {
            "municipality": name(m),
            "domain": _short(d),
            "users": u,
            "contract_end": str(c or ""),
            "source": " ".join(x for x in (_short(s), str(loc or "")) if x),
        }
        for m, d, u, c, s, loc in store.query(USERS, {"system": IRI(system)}).rows
    ]
    i = 0 if lang == "nb" else 1
    choices = [
        {
            "domain": _short(d),
            "state": STATE.get((str(role), str(dec)), (str(dec), str(dec)))[i],
            "date": str(date or ""),
            "reason": str(reason or ""),
            "source": " ".join(x for x in (_short(s), str(loc or "")) if x),
        }
        for d, role, dec, date, reason, s, loc in store.query(CHOICES, {"system": IRI(system)}).rows
    ]
    return {"users": users, "choices": choices}
