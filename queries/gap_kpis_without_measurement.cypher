//+ title: {nb: "KPI-er med mål, men uten måling", en: KPIs with a target but no measurement}
//+ description:
//+   nb: KPI-er som har en målverdi (også en uutfylt, «??»), men ingen utgangsverdi eller faktisk måling med tall.
//+   en: KPIs that have a target entry (even an unfilled one, "??") but no baseline or actual measurement with a number.
//+ group: gaps
// Same rows as gap_kpis_without_measurement.rq.
MATCH (k:KPI)
WHERE k.identifier IS NOT NULL AND any(x IN keys(k) WHERE x = 'prefLabel' OR x STARTS WITH 'prefLabel_')
  AND EXISTS { (k)<-[:KPI]-(t) WHERE t.measurementType = 'target' }
  AND NOT EXISTS { (k)<-[:KPI]-(m) WHERE m.measurementType IN ['baseline', 'actual'] AND m.value IS NOT NULL }
RETURN k AS kpi, k.identifier AS code, coalesce(k['prefLabel_' + $lang], k.prefLabel_nb, k.prefLabel_en, k.prefLabel) AS label
ORDER BY code
