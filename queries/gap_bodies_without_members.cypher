//+ title: {nb: Organer uten medlemmer, en: Bodies with no members}
//+ description:
//+   nb: Styringsorganer der ingen person eller organ er registrert som medlem.
//+   en: Governance bodies with no person or body recorded as a member.
//+ group: gaps
// Same rows as gap_bodies_without_members.rq.
MATCH (b:GovernanceBody)
WHERE b.identifier IS NOT NULL AND coalesce(b['prefLabel_' + $lang], b.prefLabel_nb) IS NOT NULL
  AND NOT EXISTS { (b)<-[:MEMBER_OF]-() }
  AND NOT EXISTS { (b)<-[:ORGANIZATION]-() }
RETURN b AS body, b.identifier AS code, coalesce(b['prefLabel_' + $lang], b.prefLabel_nb) AS label, b.bodyType AS type
ORDER BY code
