//+ title: {nb: Selskaper og IKS per kommune, en: Companies and IKS per municipality}
//+ description:
//+   nb: Selskapene og de interkommunale samarbeidene hver kommune eier eller betjenes av, organisasjonsform, hvem som drifter hva, og hva som skjer med dem (uttreden, avvikling, overføring).
//+   en: The companies and inter-municipal cooperations each municipality owns or is served by, their organisation form, what they operate, and what happens to them (withdrawal, dissolution, transfer).
//+ group: companies
// Same rows as companies.rq: ownerships (with their role) and ICT operations ("served_by"), and
// every change event of the company, once per title language as in the SPARQL version. Lists
// are joined in no particular order (as GROUP_CONCAT); an empty one is null (as Oxigraph gives).
MATCH (x)-[r1:OWNER|CUSTOMER]->(m:Municipality), (x)-[r2:OWNED_ORGANIZATION|OPERATOR]->(c)
WHERE (x:Ownership AND type(r1) = 'OWNER' AND type(r2) = 'OWNED_ORGANIZATION' AND x.ownershipRole IS NOT NULL)
   OR (x:ICTOperation AND type(r1) = 'CUSTOMER' AND type(r2) = 'OPERATOR')
WITH m, c, CASE WHEN x:Ownership THEN x.ownershipRole ELSE 'served_by' END AS role
WHERE coalesce(m['prefLabel_' + $lang], m.prefLabel_nb) IS NOT NULL
  AND any(k IN keys(c) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_')
WITH m, c, collect(DISTINCT role) AS roles
OPTIONAL MATCH (e:ChangeEvent)-[:ORIGINAL_ORGANIZATION]->(c) WHERE e.eventType IS NOT NULL
WITH m, c, roles, e,
     coalesce(toString(e.date), head([k IN keys(e) WHERE k = 'dateText' OR k STARTS WITH 'dateText_' | e[k]]), '?') AS at
WITH m, c, roles, [k IN keys(e) WHERE k = 'prefLabel' OR k STARTS WITH 'prefLabel_' |
                   e.eventType + ': ' + e[k] + ' (' + at + ')'] AS texts
WITH m, c, roles, reduce(acc = [], t IN collect(texts) | acc + [x IN t WHERE NOT x IN acc]) AS events
RETURN m AS municipality, c AS company,
       coalesce(m['prefLabel_' + $lang], m.prefLabel_nb) AS municipality_name,
       coalesce(c['prefLabel_' + $lang], c.prefLabel_nb, c.prefLabel_en, c.prefLabel) AS company_name,
       c.organisationForm AS form,
       CASE size(roles) WHEN 0 THEN null ELSE reduce(s = head(roles), x IN tail(roles) | s + ', ' + x) END AS relation,
       CASE size(events) WHEN 0 THEN null ELSE reduce(s = head(events), x IN tail(events) | s + ' | ' + x) END AS events
ORDER BY municipality_name, company_name
