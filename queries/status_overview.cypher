//+ title: {nb: Statusoversikt for prosjektene, en: Project status overview}
//+ description:
//+   nb: Siste status per prosjekt (tid, risiko, budsjett, gevinst, fase) og forrige status, slik at endringer vises.
//+   en: Latest status per project (time, risk, budget, gain, phase) and the previous one, so changes show.
//+ group: status
// Same rows as status_overview.rq: the latest report(s) of each project (dates compared as text,
// as STR() there) and, for "previous", the latest report before it.
MATCH (r:StatusReport)-[:STATUS_OF]->(p)
WHERE r.date IS NOT NULL
  AND NOT EXISTS { MATCH (r2)-[:STATUS_OF]->(p) WHERE r2.date IS NOT NULL AND toString(r2.date) > toString(r.date) }
WITH DISTINCT p, r.date AS date, r.statusTime AS time, r.statusRisk AS risk, r.statusBudget AS budget,
     r.statusGain AS gain, r.phase AS phase
OPTIONAL MATCH (q:StatusReport)-[:STATUS_OF]->(p) WHERE q.date IS NOT NULL AND toString(q.date) < toString(date)
WITH p, date, time, risk, budget, gain, phase, q ORDER BY toString(q.date) DESC
WITH p, date, time, risk, budget, gain, phase, collect(q)[0] AS prev
RETURN p AS project, p.code AS code, coalesce(p['prefLabel_' + $lang], p.prefLabel_nb) AS label,
       date, time, risk, budget, gain, phase,
       prev.date AS previous_date, prev.statusTime AS previous_time, prev.phase AS previous_phase
ORDER BY code
