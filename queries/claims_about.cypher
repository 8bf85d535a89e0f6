// name: claims_about
// description: The claims about a node (its own, its quantities' and, for a person, its offices'), grouped by source and stance.
// mode: read
// param: id: entity -- the node's id
MATCH (n:Rdkg {id: $id})
CALL (n) {
  MATCH (n)-[:SUPPORTED_BY]->(c:Claim) RETURN c, n AS subject
  UNION
  MATCH (n)-[:HAS_QUANTITY]->(q:Quantity)-[:SUPPORTED_BY]->(c:Claim) RETURN c, q AS subject
  UNION
  MATCH (n)<-[:MEMBER]-(m:Membership)-[:SUPPORTED_BY]->(c:Claim) RETURN c, m AS subject
}
OPTIONAL MATCH (c)-[:SOURCE]->(s:SourceDocument)
WITH s, c, subject
ORDER BY c.id, subject.id
WITH s, c.stance AS stance,
     collect({id: c.id, quote: c.quote, confidence: c.confidence, date: c.date, datePrecision: c.datePrecision,
              subject: subject.id,
              claimants: [(c)-[:CLAIMANT]->(a) | a {.id, .name}],
              disputes: [(c)-[:DISPUTES]-(d:Claim) | d.id]}) AS claims
RETURN s {.id, .title, .publisher, .date, .datePrecision, .url} AS source, stance, claims
ORDER BY source.id, stance
