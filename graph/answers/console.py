"""The query console: example queries (SPARQL and Cypher), and a query result as a graph
or as table rows.
"""

from __future__ import annotations

import networkx as nx

from graph.answers.common import _short, kind, name
from graph.output import short
from graph.render import GEdge, GNode, GraphSpec
from graph.store import IRI, Result

EXAMPLE_QUERY = """# What does A4 depend on, and why? (read-only; prefixes kg:, skos:, dct:, prov: are predefined)
SELECT ?to ?label ?type ?rationale WHERE {
  ?d a kg:Dependency ; kg:dependent ?from ; kg:dependee ?to ; kg:dependencyType ?type ; kg:rationale ?rationale .
  ?from skos:notation "A4" .
  OPTIONAL { ?to skos:prefLabel ?label }
}
ORDER BY ?type ?label
"""


EXAMPLE_CYPHER = """// What does A4 depend on, and why? (read-only; the graph as «kg push» mapped it)
MATCH (a:Resource {code: "A4"})-[r:DEPENDS_ON]->(b:Resource)
RETURN b.iri AS node, b.code AS code, coalesce(b.prefLabel_nb, b.name_nb) AS label,
       r.dependencyType AS type, coalesce(r.rationale_nb, r.rationale) AS rationale
ORDER BY type, code
"""


def result_spec(g: nx.MultiDiGraph, result: Result) -> GraphSpec:
    """A query result as a graph: triples (subject, predicate, object) as edges, or for a
    table, an edge between each pair of neighbouring IRI columns in a row."""
    spec = GraphSpec()
    seen_nodes: dict[str, GNode] = {}

    def node(v: str) -> str:
        if v not in seen_nodes:
            label = name(g, v) if v in g else short(IRI(v))
            seen_nodes[v] = GNode(v, _short(label), kind(g, v), f"{label}\n{v}")
        return v

    cols = result.columns
    seen_edges = set()
    if cols == ["subject", "predicate", "object"]:
        for s, p, o in result.rows:
            if isinstance(s, IRI) and isinstance(o, IRI) and (s, p, o) not in seen_edges:
                seen_edges.add((s, p, o))
                spec.edges.append(GEdge(node(s), node(o), short(IRI(p)), short(IRI(p))))
    else:
        for row in result.rows:
            iris = [(c, v) for c, v in zip(cols, row, strict=True) if isinstance(v, IRI)]
            for (ca, a), (cb, b) in zip(iris, iris[1:], strict=False):
                if a != b and (a, b, cb) not in seen_edges:
                    seen_edges.add((a, b, cb))
                    spec.edges.append(GEdge(node(a), node(b), cb, f"{ca} → {cb}"))
            if len(iris) == 1:
                node(iris[0][1])
    spec.nodes = list(seen_nodes.values())
    return spec


def table_rows(result: Result) -> list[dict]:
    """Result rows with values in their compact text form (prefixed IRIs, ISO dates)."""
    return [{c: short(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]
