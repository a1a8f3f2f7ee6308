//+ title: {nb: Sporing fra bærekraftsmål ned til tiltak og KPI, en: Trace from an SDG down to actions and KPIs}
//+ description:
//+   nb: Fra et hovedmål eller delmål – lokale mål, strategier og planer, prosjekter og tiltak, og KPI-er med verdier.
//+   en: From a goal or target – local goals, strategies and plans, projects and actions, and KPIs with values.
//+ group: sdg
//+ params:
//+   sdg: {type: node, kinds: [sdg], default: "11", nb: Mål eller delmål (kode), en: Goal or target (code)}
// The rows trace_down.rq means: the goal or target itself and its direct sub-targets; each local
// goal that localises one; the steps (actions, plans) serving it and their project (or the goal's
// owner project); the KPIs measuring the goal or the step, with their values. A step's and a
// KPI's label in every language it has, the local goal's in the asked language and Norwegian.
MATCH (sdg:Resource {iri: $sdg})
MATCH (target)-[:BROADER*0..1]->(sdg)
WHERE target.notation IS NOT NULL
MATCH (local_goal)-[:BROAD_MATCH]->(target)
UNWIND [x IN [local_goal['prefLabel_' + $lang], local_goal.prefLabel_nb] WHERE x IS NOT NULL] AS local_goal_label
WITH DISTINCT target, local_goal, local_goal_label
OPTIONAL MATCH (step)-[:SERVES_GOAL]->(local_goal)
  WHERE any(k IN keys(step) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_')
OPTIONAL MATCH (step)-[:ACTION_OF|RESPONSIBLE_PROJECT]->(sp)
OPTIONAL MATCH (local_goal)-[:GOAL_OWNER]->(gp:Project)
WITH DISTINCT target, local_goal, local_goal_label, step, coalesce(sp, gp) AS project
UNWIND CASE WHEN step IS NULL THEN [null]
            ELSE [k IN keys(step) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_' | step[k]] END AS step_label
WITH target, local_goal, local_goal_label, step, step_label, project,
     [x IN [project.notation, project.identifier] WHERE x IS NOT NULL] AS codes
UNWIND CASE size(codes) WHEN 0 THEN [null] ELSE codes END AS project_code
OPTIONAL MATCH (kpi)-[:MEASURES]->(measured)
  WHERE (measured = local_goal OR measured = step) AND any(k IN keys(kpi) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_')
WITH DISTINCT target, local_goal, local_goal_label, step, step_label, project, project_code, kpi
UNWIND CASE WHEN kpi IS NULL THEN [null]
            ELSE [k IN keys(kpi) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_' | kpi[k]] END AS kpi_label
WITH target, local_goal, local_goal_label, step, step_label, project, project_code, kpi, kpi_label,
     CASE WHEN kpi IS NULL THEN [] ELSE COLLECT {
       MATCH (m)-[:KPI]->(kpi) MATCH (m)-[:REF_AREA]->(area)
       WHERE m.year IS NOT NULL AND m.measurementType IS NOT NULL AND area.identifier IS NOT NULL
       RETURN DISTINCT area.identifier + ' ' + toString(m.year) + ' ' + m.measurementType + '=' +
              coalesce(CASE WHEN m.value = toInteger(m.value) THEN toString(toInteger(m.value)) ELSE toString(m.value) END,
                       m.valueText, '?') } END AS vs
RETURN target, target.notation AS target_code, local_goal, local_goal_label, step, step_label, project, project_code,
       kpi, kpi_label, CASE size(vs) WHEN 0 THEN null ELSE reduce(s = head(vs), x IN tail(vs) | s + '; ' + x) END AS values
ORDER BY target_code, local_goal_label, step_label
