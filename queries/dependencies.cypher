//+ title: {nb: Hva prosjektet avhenger av, en: What a project depends on}
//+ description:
//+   nb: Direkte og indirekte avhengigheter (oppstrøms) med dybde, og begrunnelse og kilde for steget inn til hver.
//+   en: Direct and transitive dependencies (upstream) with depth, and the rationale and source of the step into each.
//+ group: dependencies
//+ params:
//+   project: {type: node, kinds: [projects], default: A4, nb: Prosjekt, en: Project}
// Same rows as dependencies.rq: each node reached by DEPENDS_ON within 6 steps, at its least
// depth; the step into it that explains it is the primary (then high, normal, low) one there.
MATCH (start:Resource {iri: $project})
MATCH p = (start)-[:DEPENDS_ON*0..5]->(prev)
WITH DISTINCT start, prev, length(p) + 1 AS d
MATCH (prev)-[r:DEPENDS_ON]->(node)
WHERE node <> start AND r.dependencyType IS NOT NULL AND r.source IS NOT NULL
WITH node, d, prev, r, coalesce(r['rationale_' + $lang], r.rationale_nb, r.rationale_en, r.rationale) AS why,
     CASE r.criticality WHEN 'primary' THEN '0' WHEN 'high' THEN '1' WHEN 'low' THEN '3' ELSE '2' END AS rank
WHERE why IS NOT NULL
WITH node, d, toString(d) + rank AS first, coalesce(prev.code, prev.iri) AS via, r.dependencyType AS kind,
     coalesce(r.criticality, '') AS criticality, why AS rationale,
     coalesce(r.source, '') + coalesce(' ' + r.locator, '') AS source
ORDER BY node, first, via, kind, criticality, rationale, source
WITH node, min(d) AS depth, collect([via, kind, criticality, rationale, source])[0] AS best
RETURN node, node.code AS code,
       coalesce(node['prefLabel_' + $lang], node['name_' + $lang], node.prefLabel_nb, node.name_nb) AS label,
       depth, best[0] AS via, best[1] AS kind, best[2] AS criticality, best[3] AS rationale, best[4] AS source
ORDER BY depth, code
