"""Aggregation of large graphs: the group a node folds into (its project, body, domain,
SDG goal or kind); :func:`views.drawing.aggregate` folds a drawn graph by these groups.
"""

from __future__ import annotations

import networkx as nx

from graph.answers.common import BIG, PROJECT_KINDS, kind
from graph.netx import cached
from graph.store import Store

_TO_PROJECT = {
    "milestoneOf",
    "phaseOf",
    "actionOf",
    "goalOf",
    "riskOf",
    "kpiOf",
    "responsibleProject",
    "funds",
    "goalOwner",
    "mandateOf",
    "partOf",
}


def top_project(g: nx.MultiDiGraph[str], n: str) -> str:
    """The project under the programme that ``n`` belongs to (itself if it is one)."""
    cur, seen = n, set()
    while cur not in seen:
        seen.add(cur)
        parents = [
            v
            for _, v, d in g.out_edges(cur, data=True)
            if d["predicate"] == "partOf" and kind(g, v) in PROJECT_KINDS
        ]
        if not parents or kind(g, parents[0]) == "Program":
            return cur
        cur = parents[0]
    return cur


def group_key(g: nx.MultiDiGraph[str], n: str, system_domain: dict[str, str] | None = None) -> str:
    """The aggregate a node folds into: its project, its body, its domain, its SDG goal, or its kind."""
    k = kind(g, n)
    if k == "Program":
        return n
    if k in PROJECT_KINDS:
        return top_project(g, n)
    if k == "System" and system_domain and n in system_domain:
        return system_domain[n]
    if k in ("SDGTarget", "SDGIndicator"):
        cur = n
        for _ in range(3):
            ups = [v for _, v, d in g.out_edges(cur, data=True) if d["predicate"] == "broader"]
            if not ups:
                break
            cur = ups[0]
        return cur
    if k == "GovernanceBody":
        cur, seen = n, set()
        while cur not in seen:
            seen.add(cur)
            ups = [
                v
                for _, v, d in g.out_edges(cur, data=True)
                if d["predicate"] == "subOrganizationOf"
                and kind(g, v) in {"GovernanceBody"} | PROJECT_KINDS
            ]
            if not ups:
                return cur
            if kind(g, ups[0]) in PROJECT_KINDS:
                return top_project(g, ups[0])
            cur = ups[0]
        return cur
    if k in ("Person", "Post"):
        for _, v, d in g.out_edges(n, data=True):
            if d["predicate"] == "memberOf":
                return group_key(g, v, system_domain)
    if k == "MandateItem" or k == "Deliverable":
        for _, v, d in g.out_edges(n, data=True):
            if d["predicate"] == "itemOf":
                return group_key(g, v, system_domain)
    for _, v, d in g.out_edges(n, data=True):
        if d["predicate"] in _TO_PROJECT and kind(g, v) in PROJECT_KINDS:
            return top_project(g, v)
    return f"kind:{k}"


SYSTEM_DOMAINS = """
SELECT DISTINCT ?s ?d WHERE { { ?u a kg:SystemUsage ; kg:usesSystem ?s ; kg:inDomain ?d }
  UNION { ?c a kg:SystemChoice ; kg:chosenSystem ?s ; kg:choiceFor ?d } }
"""


def system_domains(store: Store) -> dict[str, str]:
    """System → a domain it is used or chosen in (for aggregation). Kept beside the store
    generation's views (:func:`graph.netx.cached`): a query over every system use, 2.9 s of CPU
    at 10M triples, which the first page to fold a large graph paid."""
    return cached(store, "system-domains", lambda: _system_domains(store))


def _system_domains(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for s, d in sorted(store.query(SYSTEM_DOMAINS, None, BIG).rows):
        out.setdefault(s, d)
    return out
