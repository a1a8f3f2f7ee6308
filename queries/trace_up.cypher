//+ title: {nb: Hvilke bærekraftsmål et prosjekt bidrar til, en: The SDG targets a project serves}
//+ description:
//+   nb: Fra et prosjekt – dets tiltak og planer, de lokale målene de tjener, FN-delmålene og hovedmålene bak dem (om noen; koden slik dokumentet skrev den), om raden tjener delmålet («served», samme regel som mangelrapporten), og KPI-ene som måler målene og tiltakene, med verdier.
//+   en: From a project – its actions and plans, the local goals they serve, the UN targets and goals behind them (if any; with the code as the document wrote it), whether the row serves the target («served», the gap report's rule), and the KPIs measuring the goals and steps, with values.
//+ group: sdg
//+ params:
//+   project: {type: node, kinds: [projects], default: AP1, nb: Prosjekt, en: Project}
// Same rows as trace_up.rq: each label picked once (asked language, else Norwegian); a local goal
// with no UN target kept; "served" by the rule of graph/served.py; the KPIs of the goal and step.
MATCH (p:Resource {iri: $project})
WITH p, COLLECT { MATCH (s)-[:ACTION_OF|RESPONSIBLE_PROJECT]->(p) MATCH (s)-[:SERVES_GOAL]->(lg) RETURN DISTINCT {step: s, goal: lg} }
   + COLLECT { MATCH (lg)-[:GOAL_OWNER]->(p) RETURN DISTINCT {step: p, goal: lg} } AS pairs
UNWIND pairs AS pair
WITH DISTINCT p, pair.step AS step, pair.goal AS local_goal
WITH p, step, local_goal, coalesce(step['prefLabel_' + $lang], step.prefLabel_nb) AS step_label,
     coalesce(local_goal['prefLabel_' + $lang], local_goal.prefLabel_nb) AS local_goal_label
WHERE local_goal_label IS NOT NULL
OPTIONAL MATCH (local_goal)-[:BROAD_MATCH]->(t)
  WHERE t.notation IS NOT NULL AND t['prefLabel_' + $lang] IS NOT NULL
OPTIONAL MATCH (t)-[:BROADER]->(g) WHERE g.notation IS NOT NULL
WITH DISTINCT p, step, step_label, local_goal, local_goal_label, t, g,
     [c IN COLLECT { MATCH (tp:TargetPriority)-[:TARGET]->(t) MATCH (tp)-[:LOCAL_GOAL]->(local_goal)
                     WHERE tp.codeAsWritten IS NOT NULL AND toString(tp.codeAsWritten) <> toString(t.notation)
                     RETURN DISTINCT tp.codeAsWritten } | c][0] AS code_as_written
WITH p, step, step_label, local_goal, local_goal_label, t, g, code_as_written,
     CASE WHEN t IS NOT NULL AND step <> p AND coalesce(local_goal.goalType, '') <> 'significance'
               AND (step:Action OR EXISTS { (step)-[:RESPONSIBLE_PROJECT]->() }) THEN 'yes' ELSE 'no' END AS served,
     COLLECT { MATCH (k)-[:MEASURES]->(local_goal) RETURN k }
     + CASE WHEN step = p THEN [] ELSE COLLECT { MATCH (k)-[:MEASURES]->(step) RETURN k } END AS ks
UNWIND CASE size(ks) WHEN 0 THEN [null] ELSE ks END AS kpi
WITH DISTINCT step, step_label, local_goal, local_goal_label, t, g, code_as_written, served, kpi
WITH step, step_label, local_goal, local_goal_label, t, g, code_as_written, served, kpi,
     coalesce(kpi['prefLabel_' + $lang], kpi.prefLabel_nb, kpi.prefLabel) AS kpi_label,
     CASE WHEN kpi IS NULL THEN [] ELSE COLLECT {
       MATCH (m)-[:KPI]->(kpi) MATCH (m)-[:REF_AREA]->(area)
       WHERE m.year IS NOT NULL AND m.measurementType IS NOT NULL AND area.identifier IS NOT NULL
       RETURN DISTINCT area.identifier + ' ' + toString(m.year) + ' ' + m.measurementType + '=' +
              coalesce(CASE WHEN m.value = toInteger(m.value) THEN toString(toInteger(m.value)) ELSE toString(m.value) END,
                       m.valueText, '?') } END AS vs
RETURN step, step_label, local_goal, local_goal_label, t.notation AS target_code, code_as_written,
       t['prefLabel_' + $lang] AS target_label, coalesce(g.notation, t.notation) AS goal_code, served, kpi, kpi_label,
       CASE size(vs) WHEN 0 THEN null ELSE reduce(s = head(vs), x IN tail(vs) | s + '; ' + x) END AS values
ORDER BY goal_code, target_code, local_goal_label, step_label, kpi_label
