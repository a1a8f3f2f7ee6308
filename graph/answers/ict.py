"""The ICT portfolio: domain × municipality systems and the choices for the new
municipality, system evaluations, systems to phase out, companies and IKS, and ICT operators.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import queries
from graph.answers import sure
from graph.answers.common import BIG, _date_text, name, source_text
from graph.netx import cached
from graph.store import IRI, Store

USAGES = """
SELECT ?s ?d ?u WHERE { ?u kg:user $m ; kg:usesSystem ?s ; kg:inDomain ?d }
"""
ICT_COLUMNS = 8  # municipalities shown side by side unless the planner picks others


CHOICES = """
SELECT ?c ?d ?status ?reason ?decider ?date WHERE { ?c a kg:SystemChoice ; kg:choiceFor ?d ; kg:decisionStatus ?status .
  OPTIONAL { ?c kg:rationale ?reason } OPTIONAL { ?c kg:decidedBy ?decider } OPTIONAL { ?c kg:date ?date } }
"""


CHOICE_SYSTEMS = """
SELECT ?c ?s ?role WHERE { { ?c a kg:SystemChoice ; kg:chosenSystem ?s BIND("chosen" AS ?role) }
  UNION { ?c a kg:SystemChoice ; kg:replaces ?s BIND("replaces" AS ?role) } }
"""


DOMAINS = """
SELECT ?d ?area ?parent WHERE { ?d a kg:SystemDomain . OPTIONAL { ?d kg:serviceArea ?area }
  OPTIONAL { ?d skos:broader ?parent } }
"""


# The evaluations' own fields are joined from sub-selects (one pass over each predicate, hashed:
# about as many values as evaluations) and their source and locator looked up per evaluation
# (those predicates are on every record): 0.27 -> 0.19 s at 1M, the same rows.
EVALUATIONS = """
SELECT ?e ?s ?m ?availability ?tasks ?functions ?technology ?dataflow ?status ?computed ?score ?users ?phase_out ?src ?loc
WHERE { ?e a kg:SystemEvaluation ; kg:evaluates ?s ; kg:evaluatedFor ?m .
  OPTIONAL { SELECT ?e ?availability WHERE { ?e kg:availabilityRequirement ?availability } }
  OPTIONAL { SELECT ?e ?tasks WHERE { ?e kg:maturityTasks ?tasks } }
  OPTIONAL { SELECT ?e ?functions WHERE { ?e kg:maturityFunctions ?functions } }
  OPTIONAL { SELECT ?e ?technology WHERE { ?e kg:maturityTechnology ?technology } }
  OPTIONAL { SELECT ?e ?dataflow WHERE { ?e kg:maturityDataflow ?dataflow } }
  OPTIONAL { SELECT ?e ?status WHERE { ?e kg:evaluationStatus ?status } }
  OPTIONAL { SELECT ?e ?computed WHERE { ?e kg:computedStatus ?computed } }
  OPTIONAL { SELECT ?e ?score WHERE { ?e kg:score ?score } }
  OPTIONAL { SELECT ?e ?users WHERE { ?e kg:userCount ?users } }
  OPTIONAL { SELECT ?e ?phase_out WHERE { ?e kg:phaseOut ?phase_out } }
  OPTIONAL { ?e prov:wasDerivedFrom ?src } OPTIONAL { ?e kg:locator ?loc } }
"""


@dataclass
class Portfolio:
    municipalities: list[str]
    rows: list[
        dict[str, Any]
    ]  # one per domain: domain, name, area, parent, cells {municipality: [systems]}, chosen, ...
    systems: list[str]  # every system in the matrix (for the "mark a system" picker)


def ict_municipalities(g: nx.MultiDiGraph[str]) -> list[str]:
    """Every organisation that uses a system, by name."""
    users = {u for u, _, d in g.edges(data=True) if d["predicate"] == "usesSystem"}
    return sorted(users, key=lambda m: name(g, m))


def default_municipalities(users: list[str]) -> list[str]:
    """The municipalities the matrix shows first, of :func:`ict_municipalities`: all of a merger,
    the first few of a county."""
    return users[:ICT_COLUMNS]


def ict_portfolio(
    store: Store,
    g: nx.MultiDiGraph[str],
    municipalities: list[str] | None = None,
    stated_only: bool = False,
) -> Portfolio:
    """Domain × municipality: the systems in use, the system chosen for the new municipality,
    the state of the choice and why, and the systems it replaces; each row as sure as the
    usages and the choice it shows (``certainty``).

    ``municipalities`` limits the columns (default: every user of a system); each is one
    anchored lookup, so a national graph costs what the columns shown cost. ``stated_only``
    leaves out the usages and choices the documents do not state (an interpreted choice is
    then not shown, the stated usages of its row are).
    """
    columns = ict_municipalities(g) if municipalities is None else list(municipalities)
    choice_rows, choice_systems, domain_rows, known = cached(
        store, "ict-choices", lambda: _choices(store)
    )
    # the usages of the columns shown and how sure each is, kept per generation and set of
    # columns (the default set is what most visits show)
    digest = hashlib.sha1("\n".join(columns).encode()).hexdigest()[:16]
    found, usage_known = cached(store, f"ict-usages-{digest}", lambda: _usages(store, columns))
    known = {**known, **usage_known}
    munis = {m for m, *_ in found}
    usage: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    behind: dict[str, set[str]] = defaultdict(set)  # domain → the usage records its row shows
    for m, s, d, u in found:
        if stated_only and sure.of(known, [u])[0] != sure.STATED:
            continue
        behind[d].add(u)
        if s not in usage[d][m]:
            usage[d][m].append(s)
    systems_of: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c, s, role in choice_systems:
        systems_of[c][role].append(s)
    choice: dict[str, dict[str, Any]] = {}
    for c, d, st, reason, decider, date in choice_rows:
        if stated_only and sure.of(known, [c])[0] != sure.STATED:
            continue
        prev = choice.get(d)
        if prev is None or _date_text(date) > prev["date"]:
            choice[d] = {
                "status": st,
                "reason": reason or "",
                "decided_by": name(g, decider) if decider else "",
                "date": _date_text(date),
                "chosen": sorted(systems_of[c]["chosen"], key=lambda s: name(g, s)),
                "replaces": sorted(systems_of[c]["replaces"], key=lambda s: name(g, s)),
                "record": c,
            }
    domains = {d: (area, parent) for d, area, parent in domain_rows}
    rows = []
    for d, (area, parent) in domains.items():
        if d not in usage and d not in choice:
            continue
        if d in choice:
            ch = choice[d]
        elif parent in choice and not stated_only:
            # a sub-domain follows the choice made for its broader domain (a reading: interpreted)
            ch = {**choice[parent], "inherited": True}
        else:
            ch = {}
        rows.append(
            {
                "domain": d,
                "name": name(g, d),
                "area": area or "",
                "parent": name(g, parent) if parent else "",
                "cells": {m: sorted(usage[d].get(m, []), key=lambda s: name(g, s)) for m in munis},
                "chosen": ch.get("chosen", []),
                "status": ch.get("status", ""),
                "reason": ch.get("reason", ""),
                "decided_by": ch.get("decided_by", ""),
                "date": ch.get("date", ""),
                "replaces": [] if ch.get("inherited") else ch.get("replaces", []),
                "inherited": bool(ch.get("inherited")),
            }
        )
        # a choice inherited from the broader domain is a reading of the document: interpreted
        sure.grade(rows[-1], known, [*behind.get(d, ()), *([ch["record"]] if ch else [])])
        if ch.get("inherited"):
            rows[-1]["certainty"] = sure.INTERPRETED
            rows[-1]["certainty_reason"] = f"broader: «{name(g, parent)}»"
    rows.sort(key=lambda r: (r["area"] == "", r["area"], r["name"]))
    order = sorted(munis, key=lambda m: name(g, m))
    systems = sorted(
        {
            s
            for r in rows
            for ss in list(r["cells"].values()) + [r["chosen"], r["replaces"]]
            for s in ss
        },
        key=lambda s: name(g, s).lower(),
    )
    return Portfolio(order, rows, systems)


def _choices(store: Store) -> tuple[list[Any], list[Any], list[Any], dict[str, tuple[str, str]]]:
    """The portfolio's whole-graph reads: choices, their systems, domains and how sure each
    choice is (kept per store generation: every set of columns shares them)."""
    choice_rows = store.query(CHOICES, None, BIG).rows
    return (
        choice_rows,
        store.query(CHOICE_SYSTEMS, None, BIG).rows,
        store.query(DOMAINS, None, BIG).rows,
        sure.lookup(store, [r[0] for r in choice_rows]),
    )


def _usages(
    store: Store, columns: list[str]
) -> tuple[list[tuple[str, str, str, str]], dict[str, tuple[str, str]]]:
    """(municipality, system, domain, usage record) of each column, one anchored lookup per
    column, and how sure each usage is."""
    found = [
        (m, s, d, u) for m in columns for s, d, u in store.query(USAGES, {"m": IRI(m)}, BIG).rows
    ]
    return found, sure.lookup(store, [u for *_, u in found])


def _evaluations(store: Store) -> tuple[list[dict[str, Any]], dict[str, tuple[str, str]]]:
    found = store.query(EVALUATIONS, None, BIG).dicts()
    return found, sure.lookup(store, [r["e"] for r in found])


def evaluations(
    store: Store,
    g: nx.MultiDiGraph[str],
    stated_only: bool = False,
    municipalities: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """System evaluations: availability requirement, the four maturity scores, status, score.
    The evaluations and their certainty are read once per store generation. ``municipalities``:
    only the evaluations made for these (the portfolio's columns; default: every one)."""
    out = []
    found, known = cached(store, "ict-evaluations", lambda: _evaluations(store))
    wanted = None if municipalities is None else set(municipalities)
    for row in found:
        if wanted is not None and row["m"] not in wanted:
            continue  # formatted only for the rows shown: 10⁴ evaluations nationally
        out.append(
            {
                "system": name(g, row["s"]),
                "municipality": name(g, row["m"]),
                "availability": row["availability"] or "",
                "tasks": row["tasks"],
                "functions": row["functions"],
                "technology": row["technology"],
                "dataflow": row["dataflow"],
                "status": row["status"] or "",
                "computed": row["computed"] or "",
                "score": float(row["score"]) if row["score"] is not None else None,
                "phase_out": row["phase_out"],
                "source": source_text(g, row["src"], row["loc"]),
            }
        )
        sure.grade(out[-1], known, [row["e"]])
    out = sure.keep(out, stated_only)
    return sorted(out, key=lambda r: (-(r["score"] or 0), r["system"]))


def phase_out(
    store: Store,
    g: nx.MultiDiGraph[str],
    portfolio: Portfolio | None = None,
    municipalities: list[str] | None = None,
    stated_only: bool = False,
) -> list[dict[str, Any]]:
    """Systems to phase out: what replaces them, who uses them today, and who operates them;
    as sure as the choice (and the usages) of the domain's row."""
    portfolio = portfolio or ict_portfolio(store, g, municipalities, stated_only)
    operators: dict[str, list[str]] = {}

    def operators_of(m: str) -> list[str]:
        # the edges into the users only, not every edge of the view (10⁵ at national scale)
        if m not in operators:
            operators[m] = (
                [u for u, _, d in g.in_edges(m, data=True) if d["predicate"] == "operatesFor"]
                if m in g
                else []
            )
        return operators[m]

    rows = []
    for r in portfolio.rows:
        for s in r["replaces"]:
            # Its users in this domain: a system used in several domains (Agresso for økonomi and
            # HR) goes only where it is replaced. Recorded under another domain (or outside the
            # columns shown) only: every user of the system.
            users = sorted(
                {m for m, ss in r["cells"].items() if s in ss}
                or {u for u, _, d in g.in_edges(s, data=True) if d["predicate"] == "usesSystem"}
            )
            ops = sorted({o for m in users for o in operators_of(m)}, key=lambda o: name(g, o))
            rows.append(
                {
                    "system": name(g, s),
                    "domain": r["name"],
                    "replaced_by": ", ".join(name(g, c) for c in r["chosen"]),
                    "status": r["status"],
                    "used_by": ", ".join(name(g, m) for m in users),
                    "operated_by": ", ".join(name(g, o) for o in ops),
                    "certainty": r.get("certainty", sure.STATED),
                    "certainty_reason": r.get("certainty_reason", ""),
                }
            )
    return sorted(sure.keep(rows, stated_only), key=lambda x: (x["domain"], x["system"]))


# the municipality is tested inside each branch: joined after the UNION it took Oxigraph ~9× longer
COMPANY_LINKS = """
SELECT ?r ?municipality ?company ?role WHERE {
  { ?r a kg:Ownership ; kg:owner ?municipality ; kg:ownedOrganization ?company ; kg:ownershipRole ?role .
    ?municipality a kg:Municipality }
  UNION { ?r a kg:ICTOperation ; kg:operator ?company ; kg:customer ?municipality .
          ?municipality a kg:Municipality . BIND("served_by" AS ?role) }
}
"""


def _companies(
    store: Store, lang: str
) -> tuple[list[dict[str, Any]], list[Any], dict[str, tuple[str, str]]]:
    """The named query ``companies``, the relations behind it and how sure each is (kept per
    store generation: the named query alone takes a second at national scale)."""
    links = store.query(COMPANY_LINKS, None, BIG).rows
    return (
        queries.run(store, "companies", {}, BIG, lang=lang).dicts(),
        links,
        sure.lookup(store, [r for r, *_ in links]),
    )


def companies(
    store: Store, g: nx.MultiDiGraph[str], lang: str, stated_only: bool = False
) -> list[dict[str, Any]]:
    """Companies and IKS per municipality, one row per relation (owner, owners' representative,
    served by) with its certainty, the company's form and wind-down (named query
    ``companies``). A relation the documents only imply (Drammen and Lier as owners: 000 L1653
    names their rådmenn as the owners' representatives, not the owners) says so; several
    records giving the same relation make it as sure as the surest of them."""
    kept = f"ict-companies-{lang}-{queries.get('companies').version}"
    found, links, known = cached(store, kept, lambda: _companies(store, lang))
    about: dict[tuple[str, str], dict[str, Any]] = {}
    for r in found:
        row = about.setdefault(
            (r["municipality"], r["company"]),
            {"form": r.get("form") or "", "events": set()},
        )
        row["events"].update(x.strip() for x in (r.get("events") or "").split("|") if x.strip())
    records: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r, m, c, role in links:
        records[(m, c, str(role))].append(r)
    out = []
    for (m, c, role), recs in records.items():
        # the surest record behind the relation decides (one stated record is enough)
        graded = sorted((sure.of(known, [x]) for x in recs), key=lambda x: sure.LEVELS.index(x[0]))
        info = about.get((m, c), {"form": "", "events": set()})
        out.append(
            {
                "municipality": name(g, m),
                "company": name(g, c),
                "form": info["form"],
                "relation": role,
                "events": " | ".join(sorted(info["events"])),
                "certainty": graded[0][0],
                "certainty_reason": graded[0][1],
            }
        )
    out = sure.keep(out, stated_only)
    return sorted(out, key=lambda x: (x["company"], x["municipality"], x["relation"]))


OPERATIONS = """
SELECT ?o ?op ?customer ?service ?from ?to ?text WHERE { ?o a kg:ICTOperation ; kg:operator ?op ; kg:customer ?customer .
  OPTIONAL { ?o skos:prefLabel ?service } OPTIONAL { ?o kg:validFrom ?from } OPTIONAL { ?o kg:validTo ?to }
  OPTIONAL { ?o kg:dateText ?text } }
"""


WIND_DOWN = """
SELECT ?e ?org ?type ?date ?text WHERE { ?e a kg:ChangeEvent ; org:originalOrganization ?org ; kg:eventType ?type .
  OPTIONAL { ?e kg:date ?date } OPTIONAL { ?e kg:dateText ?text } }
"""


def operators(
    store: Store, g: nx.MultiDiGraph[str], stated_only: bool = False
) -> list[dict[str, Any]]:
    """Who runs ICT for whom, from when to when, and what happens to the operator."""
    events: dict[str, list[str]] = defaultdict(list)
    for e, org, typ, date, text in store.query(WIND_DOWN, None, BIG).rows:
        events[org].append(f"{typ}: {name(g, e)} ({_date_text(date) or text or '?'})")
    rows = []
    found = store.query(OPERATIONS, None, BIG).rows
    known = sure.lookup(store, [r[0] for r in found])
    for o, op, customer, service, start, end, text in found:
        d = g.nodes[op] if op in g else {}
        rows.append(
            {
                "operator": name(g, op),
                "kind": d.get("kind", ""),
                "customer": name(g, customer),
                "service": service or "",
                "from": _date_text(start),
                "to": _date_text(end) or (text or ""),
                "wind_down": " | ".join(sorted(set(events.get(op, [])))),
            }
        )
        sure.grade(rows[-1], known, [o])
    rows = sure.keep(rows, stated_only)
    return sorted(rows, key=lambda x: (x["operator"], x["customer"]))
