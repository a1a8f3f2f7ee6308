//+ title: {nb: Ansvarskjede for et prosjekt, en: Accountability chain of a project}
//+ description:
//+   nb: Prosjekteier, prosjektleder, styringsgruppe med medlemmene og deres roller, organene over prosjektet helt opp til kommunestyrene (med nivå), og mandatet som gir prosjektet oppdraget og hvem som vedtok det.
//+   en: Owner, leader, steering body with its members and their roles, the bodies above the project up to the municipal councils (with level), and the mandate that gives it its task and who decided it.
//+ group: governance
//+ params:
//+   project: {type: node, kinds: [projects], default: A4, nb: Prosjekt, en: Project}
// Same rows as accountability.rq: the direct roles at depth 0, and every governance body within
// 8 steps up PART_OF / REPORTS_TO / STEERING_BODY / PROJECT_OWNER at its least depth, except the
// bodies that steer or own the project (listed once, in that role), and the steering body's members.
MATCH (p:Resource {iri: $project})
WITH p,
  COLLECT { MATCH (p)-[:PROJECT_OWNER]->(n) RETURN {role: 'owner', node: n, depth: 0} }
  + COLLECT { MATCH (p)-[:PROJECT_LEADER]->(n) RETURN {role: 'leader', node: n, depth: 0} }
  + COLLECT { MATCH (p)-[:STEERING_BODY]->(n) RETURN {role: 'steering_body', node: n, depth: 0} }
  + COLLECT { MATCH (p)-[:STEERING_BODY]->()<-[mo:MEMBER_OF]-(n)
              RETURN {role: 'steering_member', node: n, depth: 0, member_role: mo.roleCode} }
  + COLLECT { MATCH (p)<-[:MANDATE_OF]-(n) RETURN {role: 'mandate', node: n, depth: 0, date: n.decidedOn} }
  + COLLECT { MATCH (p)<-[:MANDATE_OF]-()-[:DECIDED_BY]->(n) RETURN {role: 'mandate_decided_by', node: n, depth: 0} }
  + COLLECT { MATCH path = (p)-[:PART_OF|REPORTS_TO|STEERING_BODY|PROJECT_OWNER*1..8]->(n:GovernanceBody)
              WHERE NOT (p)-[:STEERING_BODY|PROJECT_OWNER]->(n)
              RETURN {role: 'above', node: n, depth: length(path)} } AS found
UNWIND found AS f
WITH f.role AS role, f.node AS node, min(f.depth) AS depth, collect(f.date)[0] AS date,
     collect(DISTINCT f.member_role) AS mroles
RETURN role, node, node.code AS code, coalesce(node['prefLabel_' + $lang], node['name_' + $lang]) AS label,
       depth, date,
       CASE size(mroles) WHEN 0 THEN null ELSE reduce(s = head(mroles), x IN tail(mroles) | s + '|' + x) END AS member_role
ORDER BY depth, role, code
