// name: flow_totals
// description: Transfer counts and quantity ranges per category and start year, for charts (a transfer's alternative figures give a range; ranges of different transfers are added).
// mode: read
// param: from_state: str = null -- id of the sending state; null = any
// param: to_state: str = null -- id of the receiving state; null = any
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
WITH cat, t ORDER BY t.id
WITH cat, t.periodStart.year AS year, collect(t) AS transfers
WITH cat, year, transfers,
     COLLECT {
       UNWIND transfers AS t
       MATCH (t)-[:HAS_QUANTITY]->(q:Quantity)
       WHERE coalesce(q.measure, 'amount') = 'amount'
       // one transfer's figures in one unit are alternative estimates: keep their range, then add transfers up
       WITH t, q.unit AS unit, min(coalesce(q.min, q.max)) AS low, max(coalesce(q.max, q.min)) AS high,
            count(q) AS figures
       WITH unit, sum(low) AS low, sum(high) AS high, sum(figures) AS figures
       RETURN {unit: unit, min_total: low, max_total: high, figures: figures} ORDER BY unit
     } AS quantities
RETURN cat.id AS category, cat.prefLabel AS category_label, year, size(transfers) AS transfers,
       [t IN transfers | t.id] AS transfer_ids, quantities
ORDER BY year, category
