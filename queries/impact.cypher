//+ title: {nb: Konsekvenser – hva som berøres, en: Impact – what is affected}
//+ description:
//+   nb: Alt som direkte eller indirekte avhenger av en node av hvilken som helst type (prosjekt, system, selskap, organ, bærekraftsdelmål), gruppert etter type.
//+   en: Everything that directly or indirectly depends on a node of any kind (project, system, company, body, SDG target), grouped by kind.
//+ group: impact
//+ params:
//+   node: {type: node, default: A2, nb: "Node (id, kode eller navn)", en: "Node (id, code or name)"}
// Same rows as impact.rq. Each step follows one relationship type in the direction the SPARQL
// path gives it (PART_OF, OPERATES_FOR and MANDATE_OF forwards, the rest backwards). The step
// filter is applied while expanding (a quantified path pattern, Neo4j 5.9+); ANY/SHORTEST would
// apply it only to whole paths, which is far slower here.
MATCH (start:Resource {iri: $node})
MATCH (start) ((a)-[r]-(b) WHERE
    (type(r) IN ['PART_OF', 'OPERATES_FOR', 'MANDATE_OF'] AND startNode(r) = a)
    OR (type(r) IN ['DEPENDS_ON', 'USES_SYSTEM', 'CONCERNS', 'HAS_STAKE_IN', 'CHOSEN_SYSTEM', 'BROAD_MATCH',
                    'SERVES_GOAL', 'ACTION_OF', 'RESPONSIBLE_PROJECT', 'MEASURES', 'KPI_OF', 'MILESTONE_OF',
                    'STEERING_BODY', 'PROJECT_OWNER', 'PROJECT_LEADER', 'REPORTS_TO', 'GOAL_OF']
        AND endNode(r) = a))+ (affected)
WITH DISTINCT start, affected WHERE affected <> start
UNWIND [k IN labels(affected) WHERE NOT k IN ['Resource', 'SystemUsage', 'SystemChoice', 'Dependency',
        'ReportingLine', 'Ownership', 'ICTOperation', 'ProjectLink', 'TargetPriority', 'Membership', 'SubProject',
        'Program', 'Study', 'Task', 'Deliverable', 'DecisionPoint', 'Municipality', 'County', 'Company',
        'InterMunicipalCooperation', 'StateAgency', 'OrganizationalUnit']] AS kind
RETURN kind, affected, affected.code AS code,
       coalesce(affected['prefLabel_' + $lang], affected['name_' + $lang]) AS label
ORDER BY kind, code
