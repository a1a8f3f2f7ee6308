"""The query console: example queries (SPARQL and Cypher), and a query result as a graph
or as table rows.
"""

from __future__ import annotations

from typing import Any

from graph.output import short
from graph.store import Result

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


def table_rows(result: Result) -> list[dict[str, Any]]:
    """Result rows with values in their compact text form (prefixed IRIs, ISO dates)."""
    return [{c: short(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]
