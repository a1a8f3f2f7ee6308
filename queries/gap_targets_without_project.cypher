//+ title: {nb: Prioriterte delmål uten prosjekt eller tiltak, en: Prioritised targets with no project or action}
//+ description:
//+   nb: FN-delmål som er prioritert lokalt, men som ingen plan med ansvarlig prosjekt eller noe tiltak tjener gjennom et lokalt mål. Utsagn om kommunal betydning for et helt hovedmål regnes ikke som dekning av delmålene.
//+   en: UN targets prioritised locally that no plan with a responsible project and no action serves through a local goal. A statement of a whole goal's municipal significance does not count as covering its targets.
//+ group: gaps
// Same rows as gap_targets_without_project.rq.
MATCH (p:TargetPriority)-[:TARGET]->(t)
WHERE t.notation IS NOT NULL AND t['prefLabel_' + $lang] IS NOT NULL
  AND NOT EXISTS { (t)<-[:BROAD_MATCH]-(lg)<-[:SERVES_GOAL]-(s)
                   WHERE coalesce(lg.goalType, '') <> 'significance' AND (s:Action OR EXISTS { (s)-[:RESPONSIBLE_PROJECT]->() }) }
WITH t, collect(p.codeAsWritten)[0] AS as_written
RETURN t AS target, t.notation AS code, as_written, t['prefLabel_' + $lang] AS label
ORDER BY code
