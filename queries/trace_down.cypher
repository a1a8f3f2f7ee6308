//+ title: {nb: Sporing fra bærekraftsmål ned til tiltak og KPI, en: Trace from an SDG down to actions and KPIs}
//+ description:
//+   nb: Fra et hovedmål eller delmål – lokale mål, strategier og planer, prosjekter og tiltak, om raden tjener målet («served», samme regel som mangelrapporten), koden slik dokumentet skrev den, og KPI-er med verdier.
//+   en: From a goal or target – local goals, strategies and plans, projects and actions, whether the row serves the target («served», the gap report's rule), the code as the document wrote it, and KPIs with values.
//+ group: sdg
//+ params:
//+   sdg: {type: node, kinds: [sdg], default: "11", nb: Mål eller delmål (kode), en: Goal or target (code)}
// The rows trace_down.rq means: the goal or target itself and its direct sub-targets; each local
// goal that localises one; the steps (actions, plans) serving it and their project, and a row for
// a project owning the local goal unless it already is a step's project; whether the row serves
// the target (graph/served.py); the code as the document wrote it where it differs; the KPIs
// measuring the goal or the step, with their values. Each label and code is picked once.
MATCH (sdg:Resource {iri: $sdg})
MATCH (target)-[:BROADER*0..1]->(sdg)
WHERE target.notation IS NOT NULL
MATCH (local_goal)-[:BROAD_MATCH]->(target)
WITH DISTINCT target, local_goal, coalesce(local_goal['prefLabel_' + $lang], local_goal.prefLabel_nb) AS local_goal_label
WHERE local_goal_label IS NOT NULL
WITH target, local_goal, local_goal_label,
     [c IN COLLECT { MATCH (tp:TargetPriority)-[:TARGET]->(target) MATCH (tp)-[:LOCAL_GOAL]->(local_goal)
                     WHERE tp.codeAsWritten IS NOT NULL AND toString(tp.codeAsWritten) <> toString(target.notation)
                     RETURN DISTINCT tp.codeAsWritten } | c][0] AS code_as_written,
     COLLECT { MATCH (s)-[:SERVES_GOAL]->(local_goal) OPTIONAL MATCH (s)-[:ACTION_OF|RESPONSIBLE_PROJECT]->(sp)
               RETURN DISTINCT {step: s, project: sp} }
     + COLLECT { MATCH (local_goal)-[:GOAL_OWNER]->(gp:Project)
                 WHERE NOT EXISTS { (local_goal)<-[:SERVES_GOAL]-()-[:ACTION_OF|RESPONSIBLE_PROJECT]->(gp) }
                 RETURN DISTINCT {step: null, project: gp} } AS pairs
UNWIND CASE size(pairs) WHEN 0 THEN [{step: null, project: null}] ELSE pairs END AS pair
WITH target, local_goal, local_goal_label, code_as_written, pair.step AS step, pair.project AS project
WITH target, local_goal, local_goal_label, code_as_written, step, project,
     coalesce(step['prefLabel_' + $lang], step.prefLabel_nb, step.prefLabel) AS step_label,
     coalesce(project.notation, project.identifier) AS project_code,
     CASE WHEN step IS NOT NULL AND coalesce(local_goal.goalType, '') <> 'significance'
               AND (step:Action OR EXISTS { (step)-[:RESPONSIBLE_PROJECT]->() }) THEN 'yes' ELSE 'no' END AS served
OPTIONAL MATCH (kpi)-[:MEASURES]->(measured)
  WHERE measured = local_goal OR (step IS NOT NULL AND measured = step)
WITH DISTINCT target, local_goal, local_goal_label, code_as_written, step, step_label, project, project_code, served, kpi
WITH target, local_goal, local_goal_label, code_as_written, step, step_label, project, project_code, served, kpi,
     coalesce(kpi['prefLabel_' + $lang], kpi.prefLabel_nb, kpi.prefLabel) AS kpi_label,
     CASE WHEN kpi IS NULL THEN [] ELSE COLLECT {
       MATCH (m)-[:KPI]->(kpi) MATCH (m)-[:REF_AREA]->(area)
       WHERE m.year IS NOT NULL AND m.measurementType IS NOT NULL AND area.identifier IS NOT NULL
       RETURN DISTINCT area.identifier + ' ' + toString(m.year) + ' ' + m.measurementType + '=' +
              coalesce(CASE WHEN m.value = toInteger(m.value) THEN toString(toInteger(m.value)) ELSE toString(m.value) END,
                       m.valueText, '?') } END AS vs
RETURN target, target.notation AS target_code, code_as_written, local_goal, local_goal_label, step, step_label,
       project, project_code, served, kpi, kpi_label,
       CASE size(vs) WHEN 0 THEN null ELSE reduce(s = head(vs), x IN tail(vs) | s + '; ' + x) END AS values
ORDER BY target_code, local_goal_label, step_label, project_code
