// name: flows
// description: Flows (transfers) from one state to another whose period of activity overlaps [since, until], optionally by category (both_directions adds the reverse flow), each with its estimates (estimator, measure, scope, as-of, claims) and claims.
// mode: read
// param: from_state as from: entity = null -- id (ISO alpha-3) of the sending state; null = any
// param: to_state as to: entity = null -- id (ISO alpha-3) of the receiving state; null = any
// param: both_directions: bool = false -- also return transfers from to_state to from_state
// param: since: date = null -- keep transfers whose period ends on or after this day (open ends kept)
// param: until: date_end = null -- keep transfers whose period starts on or before this day (open starts kept)
// param: category: str = null -- category slug; transfers of narrower categories are included
// param: min_confidence: str = null -- low, medium or high: keep transfers backed by at least one claim this confident
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
// Candidates come from an index, whichever parameters are given (one plan serves every combination: a branch
// whose anchor parameter is null seeks nothing): a state given → the unique index on :Rdkg(id), then its few
// transfers; no state → the range indexes on Transfer.periodEnd (closed periods ending on/after `since`) and
// Transfer.periodStart (open periods starting on/before `until`). Every Transfer has a periodStart (the shapes
// require a date or startDate), so the two period branches together are exactly the overlap filter below.
CALL () {
  MATCH (dst:Rdkg {id: $to_state})<-[:TO]-(t:Transfer)-[:FROM]->(src:State)
  WHERE dst:State AND ($from_state IS NULL OR src.id = $from_state)
  RETURN t, src, dst
  UNION
  MATCH (src:Rdkg {id: $from_state})<-[:FROM]-(t:Transfer)-[:TO]->(dst:State)
  WHERE src:State AND $to_state IS NULL
  RETURN t, src, dst
  UNION
  MATCH (dst:Rdkg {id: $from_state})<-[:TO]-(t:Transfer)-[:FROM]->(src:State)
  WHERE $both_directions AND dst:State AND ($to_state IS NULL OR src.id = $to_state)
  RETURN t, src, dst
  UNION
  MATCH (src:Rdkg {id: $to_state})<-[:FROM]-(t:Transfer)-[:TO]->(dst:State)
  WHERE $both_directions AND src:State AND $from_state IS NULL
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
  AND ($category IS NULL
       OR EXISTS { (t)-[:OF_CATEGORY]->(:Category)-[:BROADER*0..]->(:Category {id: $category}) })
  AND ($min_confidence IS NULL
       OR EXISTS {
            MATCH (t)-[:SUPPORTED_BY]->(c:Claim)
            WHERE {low: 1, medium: 2, high: 3}[c.confidence] >= {low: 1, medium: 2, high: 3}[$min_confidence]
          })
OPTIONAL MATCH (t)-[:OF_CATEGORY]->(cat:Category)
WITH t, src, dst, cat
ORDER BY t.periodStart, t.id
// the page first, then its estimates and claims (not those of every match). Pattern comprehensions keep the
// plan small: nested COLLECT/UNION subqueries took seconds to plan.
WITH collect({t: t, src: src, dst: dst, cat: cat}) AS rows
CALL (rows) {
  WITH rows[$offset..$offset + $limit] AS page
  UNWIND range(0, size(page) - 1) AS i
  WITH i, page[i].t AS t, page[i].src AS src, page[i].dst AS dst, page[i].cat AS cat
  ORDER BY i
  RETURN collect({
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
       }) AS items
}
RETURN size(rows) AS total, items
