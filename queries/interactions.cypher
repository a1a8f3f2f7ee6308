//+ title: {nb: Samspill mellom mål og prosjektene bak dem, en: Interactions between goals and the projects behind them}
//+ description:
//+   nb: Hvordan delmål eller lokale mål styrker eller motvirker hverandre (Nilsson-skalaen −3..+3), med begrunnelse, vurdert av og dato, og prosjektene som tjener hver side – negative verdier er målkonflikter mellom prosjektene.
//+   en: How targets or local goals reinforce or counteract each other (Nilsson scale −3..+3), with rationale, assessor and date, and the projects serving each side – negative scores are trade-offs between those projects.
//+ group: sdg
// Same rows as interactions.rq: the projects behind a side are reached from it down BROADER (any
// depth), optionally across one BROAD_MATCH to a local goal, then through a serving action or
// plan to its project, or to the goal's owner project.
MATCH (i:Interaction)-[:INTERACTION_FROM]->(f), (i)-[:INTERACTION_TO]->(t)
WHERE i.score IS NOT NULL AND i.assessor IS NOT NULL AND i.date IS NOT NULL
UNWIND [k IN keys(i) WHERE k = 'rationale' OR k STARTS WITH 'rationale_' | i[k]] AS rationale
WITH i, f, t, rationale,
  COLLECT { MATCH (f)<-[:BROADER*0..]-()<-[:BROAD_MATCH*0..1]-(y)<-[:SERVES_GOAL]-()-[:ACTION_OF|RESPONSIBLE_PROJECT]->(p:Project)
            RETURN DISTINCT p }
  + COLLECT { MATCH (f)<-[:BROADER*0..]-()<-[:BROAD_MATCH*0..1]-(y)-[:GOAL_OWNER]->(p:Project) RETURN DISTINCT p } AS froms,
  COLLECT { MATCH (t)<-[:BROADER*0..]-()<-[:BROAD_MATCH*0..1]-(y)<-[:SERVES_GOAL]-()-[:ACTION_OF|RESPONSIBLE_PROJECT]->(p:Project)
            RETURN DISTINCT p }
  + COLLECT { MATCH (t)<-[:BROADER*0..]-()<-[:BROAD_MATCH*0..1]-(y)-[:GOAL_OWNER]->(p:Project) RETURN DISTINCT p } AS tos
UNWIND CASE size(froms) WHEN 0 THEN [null] ELSE froms END AS project_from
UNWIND CASE size(tos) WHEN 0 THEN [null] ELSE tos END AS project_to
RETURN DISTINCT f AS `from`, t AS `to`, i.score AS score, rationale, i.assessor AS assessor, i.date AS date,
       project_from, project_to
ORDER BY score, `from`.iri, `to`.iri
