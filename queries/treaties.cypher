// name: treaties
// description: Treaties and agreements with their signatories, signers, articles, ratification steps and the agreements they replace.
// mode: read
// param: signatory: entity = null -- keep agreements this state or body (id) is a party to
CALL () {
  MATCH (:Rdkg {id: $signatory})<-[:SIGNATORY]-(t:Agreement)  // a party given: the unique index on :Rdkg(id)
  RETURN t
  UNION
  WITH $signatory AS signatory WHERE signatory IS NULL  // filtered first: no scan when a party is given
  MATCH (t:Agreement)
  RETURN t
}
WITH t
WHERE $signatory IS NULL OR EXISTS { (t)-[:SIGNATORY]->(:Rdkg {id: $signatory}) }
RETURN t.id AS id, t.name AS name, t.kind AS kind,
       t.date AS date, t.datePrecision AS datePrecision,
       t.inForceDate AS inForceDate, t.inForceDatePrecision AS inForceDatePrecision,
       t.endDate AS endDate, t.endDatePrecision AS endDatePrecision,
       [(t)-[:LOCATION]->(p) | p {.id, .name}][0] AS location,
       COLLECT { MATCH (t)-[:SIGNATORY]->(s) RETURN s {.id, .name} AS s ORDER BY s.id } AS signatories,
       COLLECT { MATCH (t)-[:SIGNED_BY]->(s) RETURN s {.id, .name} AS s ORDER BY s.id } AS signed_by,
       COLLECT {
         MATCH (t)-[:HAS_ARTICLE]->(a)
         RETURN a {.id, .name, .articleNumber, .summary} AS a ORDER BY a.articleNumber
       } AS articles,
       COLLECT {
         MATCH (r:Event)-[:TREATY|CONCERNS]->(t)
         RETURN DISTINCT r {.id, .name, .date, .datePrecision, state: [(r)-[:STATE]->(s) | s.id][0]} AS r
         ORDER BY r.date, r.id
       } AS steps,
       COLLECT { MATCH (t)-[:REPLACES]->(o) RETURN o {.id, .name} AS o ORDER BY o.id } AS replaces,
       COUNT { (t)-[:SUPPORTED_BY]->(:Claim) } AS claims
ORDER BY t.date, t.id
