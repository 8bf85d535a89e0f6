// name: flow
// description: One flow (transfer) by its id, or by an id it had before (formerId, e.g. an old per-estimate transfer merged into it), with every estimate and claim.
// mode: read
// param: id: str -- the flow's id or a former id
// The id is one seek on the unique index on :Rdkg(id); only an id that names no flow scans the flows' formerId
// lists (the second branch runs only when the seek found nothing).
OPTIONAL MATCH (exact:Rdkg {id: $id}) WHERE exact:Transfer
CALL (exact) {
  WITH exact WHERE exact IS NOT NULL
  RETURN exact AS t, null AS resolvedFrom
  UNION
  WITH exact WHERE exact IS NULL
  MATCH (t:Transfer) WHERE $id IN t.formerId
  RETURN t, $id AS resolvedFrom
}
WITH t, resolvedFrom ORDER BY t.id LIMIT 1
MATCH (src:State)<-[:FROM]-(t)-[:TO]->(dst:State)
OPTIONAL MATCH (t)-[:OF_CATEGORY]->(cat:Category)
RETURN resolvedFrom, {
       id: t.id,
       kind: t.kind,
       from: src {.id, .name}, to: dst {.id, .name},
       category: cat.id, category_label: cat.prefLabel,
       designation: t.designation, status: t.status, ongoing: t.ongoing, note: t.note,
       distinction: t.distinction, formerId: t.formerId,
       startDate: t.startDate, startDatePrecision: t.startDatePrecision,
       endDate: t.endDate, endDatePrecision: t.endDatePrecision,
       partOf: [(t)-[:PART_OF]->(w:Transfer) | w {.id, .name}],
       parts: [(t)<-[:PART_OF]-(p:Transfer) | p {.id, .name}],
       distinctFrom: [(t)-[:DISTINCT_FROM]-(d:Transfer) | d {.id, .name}],
       estimates: [(e:Estimate)-[:ESTIMATE_OF]->(t) | e {.id, .min, .max, .qualifier, .unit, .measure, .scope, .asOf, .asOfPrecision,
                            .startDate, .startDatePrecision, .endDate, .endDatePrecision, .note,
                            estimators: [(e)-[:ESTIMATOR]->(a:Agent) | a {.id, .name}],
                            claims: [(e)-[:SUPPORTED_BY]->(c:Claim) | {id: c.id,
                                     stale: size([(c)-[:SUPERSEDED_BY|RETRACTED_BY]->(x:Claim) | x.id]) > 0}]}],
       // the claims behind the flow and behind its estimates (api/models/flows.py drops repeats and sorts by id)
       claims: [(t)-[:SUPPORTED_BY]->(c:Claim) | {id: c.id, quote: c.quote, stance: c.stance, confidence: c.confidence, date: c.date,
                                                  datePrecision: c.datePrecision,
                                                  source: head([(c)-[:SOURCE]->(s:SourceDocument) | s {.id, .title, .publisher, .date, .datePrecision, .url}])}]
               + [(t)<-[:ESTIMATE_OF]-(:Estimate)-[:SUPPORTED_BY]->(c:Claim) |
                  {id: c.id, quote: c.quote, stance: c.stance, confidence: c.confidence, date: c.date,
                    datePrecision: c.datePrecision,
                    source: head([(c)-[:SOURCE]->(s:SourceDocument) | s {.id, .title, .publisher, .date, .datePrecision, .url}])}]
       } AS flow
