//+ title: {nb: Tiltak uten KPI, en: Actions with no KPI}
//+ description:
//+   nb: Tiltak som ingen KPI måler, verken direkte eller gjennom et lokalt mål tiltaket tjener.
//+   en: Actions that no KPI measures, directly or through a local goal the action serves.
//+ group: gaps
// Same rows as gap_actions_without_kpi.rq.
MATCH (a:Action)
WHERE any(k IN keys(a) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_')
  AND NOT EXISTS { (a)<-[:MEASURES]-() }
  AND NOT EXISTS { (a)-[:SERVES_GOAL]->()<-[:MEASURES]-() }
OPTIONAL MATCH (a)-[:ACTION_OF]->(p)
WITH a, collect(p.code)[0] AS project
RETURN a AS action, coalesce(a['prefLabel_' + $lang], a.prefLabel_nb, a.prefLabel_en, a.prefLabel) AS label, project
ORDER BY label
