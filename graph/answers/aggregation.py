"""Aggregation of large graphs: the group a node folds into (its project, body, domain,
SDG goal or kind) and :func:`aggregate`, which folds a :class:`GraphSpec` over a node limit.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from graph.answers.common import BIG, DEFAULT_MAX_NODES, PROJECT_KINDS, _short, kind, name
from graph.render import GEdge, GNode, GraphSpec

_TO_PROJECT = {"milestoneOf", "phaseOf", "actionOf", "goalOf", "riskOf", "kpiOf", "responsibleProject", "funds",
               "goalOwner", "mandateOf", "partOf"}  # fmt: skip


def top_project(g: nx.MultiDiGraph, n: str) -> str:
    """The project under the programme that ``n`` belongs to (itself if it is one)."""
    cur, seen = n, set()
    while cur not in seen:
        seen.add(cur)
        parents = [v for _, v, d in g.out_edges(cur, data=True)
                   if d["predicate"] == "partOf" and kind(g, v) in PROJECT_KINDS]  # fmt: skip
        if not parents or kind(g, parents[0]) == "Program":
            return cur
        cur = parents[0]
    return cur


def group_key(g: nx.MultiDiGraph, n: str, system_domain: dict[str, str] | None = None) -> str:
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
            ups = [v for _, v, d in g.out_edges(cur, data=True)
                   if d["predicate"] == "subOrganizationOf" and kind(g, v) in {"GovernanceBody"} | PROJECT_KINDS]  # fmt: skip
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


def aggregate(spec: GraphSpec, g: nx.MultiDiGraph, max_nodes: int = DEFAULT_MAX_NODES,
              system_domain: dict[str, str] | None = None, kind_names: dict[str, str] | None = None) -> GraphSpec:  # fmt: skip
    """Fold a graph over ``max_nodes`` into groups (by project, body, domain, goal, else kind).

    Start nodes stay as they are. Groups get a label with their size; parallel edges between
    two groups become one edge whose width grows with their number. If the groups are still
    too many, they are folded by kind.
    """
    if len(spec.nodes) <= max_nodes:
        return spec
    kind_names = kind_names or {}

    def fold(keyfn) -> GraphSpec:
        members: dict[str, list[GNode]] = defaultdict(list)
        where: dict[str, str] = {}
        for n in spec.nodes:
            key = n.id if n.start else keyfn(n)
            members[key].append(n)
            where[n.id] = key
        out = GraphSpec(aggregated_from=len(spec.nodes))
        for key, ms in members.items():
            if len(ms) == 1 and ms[0].id == key:
                out.nodes.append(ms[0])
                continue
            rep = next((m for m in ms if m.id == key), None)
            if key.startswith("kind:"):
                k = key[5:]
                label = f"{kind_names.get(k, k)} ({len(ms)})"
            else:
                k = rep.kind if rep else kind(g, key)
                label = f"{_short(name(g, key), 34)} (+{len(ms) - (1 if rep else 0)})"
            titles = sorted({m.label for m in ms})
            tip = "\n".join(titles[:25]) + (f"\n… +{len(titles) - 25}" if len(titles) > 25 else "")
            levels = [m.level for m in ms if m.level is not None]
            out.nodes.append(
                GNode(key, label, k, tip, min(levels) if levels else None, False, len(ms))
            )
        counted: Counter = Counter()
        sample: dict[tuple[str, str], GEdge] = {}
        for e in spec.edges:
            a, b = where.get(e.source), where.get(e.target)
            if a is None or b is None or a == b:
                continue
            counted[(a, b)] += 1
            sample.setdefault((a, b), e)
        for (a, b), c in counted.items():
            e = sample[(a, b)]
            out.edges.append(GEdge(a, b, e.label if c == 1 else f"{e.label} ×{c}", e.title if c == 1 else
                                   f"{c} ×\n{e.title}", e.dashes, min(6.0, 1 + c / 2)))  # fmt: skip
        return out

    folded = fold(lambda n: group_key(g, n.id, system_domain) if n.id in g else f"kind:{n.kind}")
    if len(folded.nodes) > max_nodes:
        folded = fold(lambda n: f"kind:{n.kind}")
    return folded


SYSTEM_DOMAINS = """
SELECT DISTINCT ?s ?d WHERE { { ?u a kg:SystemUsage ; kg:usesSystem ?s ; kg:inDomain ?d }
  UNION { ?c a kg:SystemChoice ; kg:chosenSystem ?s ; kg:choiceFor ?d } }
"""


def system_domains(store) -> dict[str, str]:
    """System → a domain it is used or chosen in (for aggregation)."""
    out: dict[str, str] = {}
    for s, d in sorted(store.query(SYSTEM_DOMAINS, None, BIG).rows):
        out.setdefault(s, d)
    return out
