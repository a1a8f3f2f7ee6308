"""Things a dataset may hold but a reader should look at: dependency cycles and self-dependencies.

A project that depends on itself, or projects that wait for each other in a ring, cannot all
be finished in any order: that is usually a typing error in ``dependencies``, but it may be
real (two projects delivering to each other), so the load goes on and the report lists it.
"""

from __future__ import annotations

import networkx as nx

from loaders.errors import Problem
from loaders.records import Record


def _first(values: object) -> str | None:
    if isinstance(values, list | tuple):
        return str(values[0]) if values else None
    return str(values) if values else None


def dependency_warnings(records: list[Record]) -> list[Problem]:
    """A warning per self-dependency and per dependency cycle (file, row of one of its rows)."""
    out: list[Problem] = []
    graph: nx.DiGraph[str] = nx.DiGraph()
    for r in records:
        if r.kind.name != "dependencies":
            continue
        a, b = _first(r.values.get("from")), _first(r.values.get("to"))
        if not a or not b:
            continue
        if a == b:
            out.append(Problem(r.file, "self_dependency", r.row, "to", {"value": a}))
            continue
        graph.add_edge(a, b, record=r)
    for ring in sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1):
        start = ring[0]
        cycle = nx.find_cycle(graph.subgraph(ring), start)
        path = [u for u, _ in cycle] + [start]
        rec = graph.edges[cycle[0]]["record"]
        out.append(Problem(rec.file, "dependency_cycle", rec.row, None, {"path": " → ".join(path)}))
    return out
