//+ title: {nb: Prosjekter uten mål, en: Projects with no goal}
//+ description:
//+   nb: Prosjekter og delprosjekter uten målsetning, effekt- eller resultatmål, og uten lokalt mål de eier eller tjener gjennom tiltak eller planer.
//+   en: Projects and sub-projects with no goal text, effect or result goal, and no local goal they own or serve through actions or plans.
//+ group: gaps
// Same rows as gap_projects_without_goal.rq.
MATCH (p:Project)
WHERE NOT p:Task AND NOT p:Study
  AND none(k IN keys(p) WHERE k = 'goalText' OR k STARTS WITH 'goalText_')
  AND NOT EXISTS { (p)<-[:GOAL_OF]-() }
  AND NOT EXISTS { (p)<-[:GOAL_OWNER]-() }
  AND NOT EXISTS { (p)<-[:ACTION_OF|RESPONSIBLE_PROJECT]-()-[:SERVES_GOAL]->() }
RETURN p AS project, p.code AS code, coalesce(p['prefLabel_' + $lang], p.prefLabel_nb) AS label
ORDER BY code
