//+ title: {nb: Hvilke bærekraftsmål et prosjekt bidrar til, en: The SDG targets a project serves}
//+ description:
//+   nb: Fra et prosjekt – dets tiltak og planer, de lokale målene de tjener, og FN-delmålene og hovedmålene bak dem.
//+   en: From a project – its actions and plans, the local goals they serve, and the UN targets and goals behind them.
//+ group: sdg
//+ params:
//+   project: {type: node, kinds: [projects], default: AP1, nb: Prosjekt, en: Project}
// Same rows as trace_up.rq: labels in the asked language or Norwegian (a row for each, as there).
MATCH (p:Resource {iri: $project})
WITH COLLECT { MATCH (s)-[:ACTION_OF|RESPONSIBLE_PROJECT]->(p) MATCH (s)-[:SERVES_GOAL]->(lg) RETURN {step: s, goal: lg} }
   + COLLECT { MATCH (lg)-[:GOAL_OWNER]->(p) RETURN {step: p, goal: lg} } AS pairs
UNWIND pairs AS pair
WITH pair.step AS step, pair.goal AS local_goal,
     [x IN [pair.step['prefLabel_' + $lang], pair.step.prefLabel_nb] WHERE x IS NOT NULL] AS step_labels
UNWIND CASE size(step_labels) WHEN 0 THEN [null] ELSE step_labels END AS step_label
UNWIND [x IN [local_goal['prefLabel_' + $lang], local_goal.prefLabel_nb] WHERE x IS NOT NULL] AS local_goal_label
MATCH (local_goal)-[:BROAD_MATCH]->(t)
WHERE t.notation IS NOT NULL AND t['prefLabel_' + $lang] IS NOT NULL
OPTIONAL MATCH (t)-[:BROADER]->(g) WHERE g.notation IS NOT NULL
RETURN DISTINCT step, step_label, local_goal, local_goal_label, t.notation AS target_code,
       t['prefLabel_' + $lang] AS target_label, coalesce(g.notation, t.notation) AS goal_code
ORDER BY goal_code, target_code, local_goal_label
