// name: flow_totals
// description: The flows whose period overlaps [since, until] with their category, start year, partOf links and estimates: the input of /flows/summary, which adds only distinct flows' latest estimates (api/combine.py).
// mode: read
// param: from_state as from: entity = null -- id of the sending state; null = any
// param: to_state as to: entity = null -- id of the receiving state; null = any
// param: since: date = null -- keep transfers whose period ends on or after this day (open ends kept)
// param: until: date_end = null -- keep transfers whose period starts on or before this day
// Candidates from an index (see flows.cypher): a state through :Rdkg(id), otherwise the period range indexes.
CALL () {
  MATCH (dst:Rdkg {id: $to_state})<-[:TO]-(t:Transfer)-[:FROM]->(src:State)
  WHERE dst:State AND ($from_state IS NULL OR src.id = $from_state)
  RETURN t, src, dst
  UNION
  MATCH (src:Rdkg {id: $from_state})<-[:FROM]-(t:Transfer)-[:TO]->(dst:State)
  WHERE src:State AND $to_state IS NULL
  RETURN t, src, dst
  UNION
  MATCH (t:Transfer)
  WHERE t.periodEnd >= CASE WHEN $from_state IS NULL AND $to_state IS NULL
                            THEN coalesce($since, date('0001-01-01')) END
  MATCH (src:State)<-[:FROM]-(t)-[:TO]->(dst:State)
  RETURN t, src, dst
  UNION
  MATCH (t:Transfer)
  WHERE t.periodStart <= CASE WHEN $from_state IS NULL AND $to_state IS NULL
                              THEN coalesce($until, date('9999-12-31')) END
    AND t.periodEnd IS NULL
  MATCH (src:State)<-[:FROM]-(t)-[:TO]->(dst:State)
  RETURN t, src, dst
}
WITH t, src, dst
WHERE ($since IS NULL OR t.periodEnd IS NULL OR t.periodEnd >= $since)
  AND ($until IS NULL OR t.periodStart IS NULL OR t.periodStart <= $until)
OPTIONAL MATCH (t)-[:OF_CATEGORY]->(cat:Category)
// per flow its estimates; api/combine.py adds distinct flows' latest estimates (never two of one flow)
RETURN t.id AS id, cat.id AS category, cat.prefLabel AS category_label, t.periodStart.year AS year,
       t.startDate AS startDate,
       [(t)-[:PART_OF]->(w:Transfer) | w.id] AS partOf,
       [(e:Estimate)-[:ESTIMATE_OF]->(t) | e {.id, .min, .max, .qualifier, .unit, .measure, .scope, .asOf, .asOfPrecision,
                 .startDate, .startDatePrecision, .endDate, .endDatePrecision, .note,
                 estimators: [(e)-[:ESTIMATOR]->(a:Agent) | a {.id, .name}],
                 claims: [(e)-[:SUPPORTED_BY]->(c:Claim) | {id: c.id,
                          stale: size([(c)-[:SUPERSEDED_BY|RETRACTED_BY]->(x:Claim) | x.id]) > 0}]}] AS estimates
ORDER BY year, category, id
