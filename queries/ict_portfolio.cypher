//+ title: {nb: IKT-portefølje per delområde, en: ICT portfolio per domain}
//+ description:
//+   nb: For hvert delområde – systemet hver kommune brukte, systemet som er valgt for den nye kommunen, status og begrunnelse, og systemene som fases ut og hvem som drifter dem.
//+   en: For each domain – the system each municipality used, the system chosen for the new municipality, the state of the choice and its reason, and the systems to phase out and who operates them.
//+ group: ict
// Same rows as ict_portfolio.rq: system names in every language they have, municipalities in the
// asked language (else nb), operators in nb; lists
// joined in no particular order, an empty list null; only domains with a usage or a choice.
MATCH (d:SystemDomain)
WHERE any(k IN keys(d) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_')
WITH d,
  COLLECT { MATCH (u:SystemUsage)-[:IN_DOMAIN]->(d) MATCH (u)-[:USES_SYSTEM]->(us) MATCH (u)-[:USER]->(um)
            WITH us, coalesce(um['prefLabel_' + $lang], um.prefLabel_nb) AS umn
            UNWIND [k IN keys(us) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_' | us[k]] AS usn
            RETURN DISTINCT umn + ': ' + usn } AS usages,
  COLLECT { MATCH (c:SystemChoice)-[:CHOICE_FOR]->(d)
            WHERE c.decisionStatus IS NOT NULL AND any(k IN keys(c) WHERE k = 'rationale' OR k STARTS WITH 'rationale_')
            RETURN c } AS choices
WHERE size(usages) > 0 OR size(choices) > 0
WITH d, usages, choices,
  COLLECT { UNWIND choices AS c MATCH (c)-[:CHOSEN_SYSTEM]->(s)
            UNWIND [k IN keys(s) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_' | s[k]] AS name
            RETURN DISTINCT name } AS chosen,
  COLLECT { UNWIND choices AS c MATCH (c)-[:REPLACES]->(out)
            UNWIND [k IN keys(out) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_' | out[k]] AS name
            RETURN DISTINCT name } AS phase_out,
  COLLECT { UNWIND choices AS c MATCH (c)-[:REPLACES]->(out)<-[:USES_SYSTEM]-(ou:SystemUsage)-[:USER]->(om)
            WHERE any(k IN keys(out) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_')
            MATCH (op)-[:OPERATES_FOR]->(om) WHERE op.prefLabel_nb IS NOT NULL
            RETURN DISTINCT op.prefLabel_nb AS name } AS operators
RETURN d AS domain,
       coalesce(d['prefLabel_' + $lang], d.prefLabel_nb, d.prefLabel_en, d.prefLabel) AS domain_name,
       coalesce(d['serviceArea_' + $lang], d.serviceArea_nb, d.serviceArea_en, d.serviceArea) AS service_area,
       CASE size(usages) WHEN 0 THEN null ELSE reduce(s = head(usages), x IN tail(usages) | s + '; ' + x) END AS in_use,
       CASE size(chosen) WHEN 0 THEN null ELSE reduce(s = head(chosen), x IN tail(chosen) | s + ', ' + x) END AS chosen,
       head([c IN choices | c.decisionStatus]) AS decision,
       head([c IN choices | coalesce(c['rationale_' + $lang], c.rationale_nb, c.rationale_en, c.rationale)]) AS reason,
       CASE size(phase_out) WHEN 0 THEN null ELSE reduce(s = head(phase_out), x IN tail(phase_out) | s + ', ' + x) END AS phase_out,
       CASE size(operators) WHEN 0 THEN null ELSE reduce(s = head(operators), x IN tail(operators) | s + ', ' + x) END AS operated_by
ORDER BY service_area, domain_name
