// name: flows
// description: Transfers from one state to another whose period overlaps [since, until], optionally by category (both_directions adds the reverse flow).
// mode: read
// param: from_state: str = null -- id (ISO alpha-3) of the sending state; null = any
// param: to_state: str = null -- id (ISO alpha-3) of the receiving state; null = any
// param: both_directions: bool = false -- also return transfers from to_state to from_state
// param: since: date = null -- keep transfers whose period ends on or after this day (open ends kept)
// param: until: date_end = null -- keep transfers whose period starts on or before this day (open starts kept)
// param: category: str = null -- category slug; transfers of narrower categories are included
// param: min_confidence: str = null -- low, medium or high: keep transfers backed by at least one claim this confident
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
MATCH (src:State)<-[:FROM]-(t:Transfer)-[:TO]->(dst:State)
WHERE (
        (($from_state IS NULL OR src.id = $from_state) AND ($to_state IS NULL OR dst.id = $to_state))
        OR ($both_directions AND ($from_state IS NULL OR dst.id = $from_state)
            AND ($to_state IS NULL OR src.id = $to_state))
      )
  AND ($since IS NULL OR t.periodEnd IS NULL OR t.periodEnd >= $since)
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
WITH t, src, dst, cat,
     COLLECT {
       MATCH (t)-[:HAS_QUANTITY]->(q:Quantity)
       RETURN q {.id, .min, .max, .qualifier, .unit, .measure} ORDER BY q.id
     } AS quantities,
     COLLECT {
       MATCH (t)-[:SUPPORTED_BY]->(c:Claim)
       OPTIONAL MATCH (c)-[:SOURCE]->(s:SourceDocument)
       RETURN {id: c.id, quote: c.quote, stance: c.stance, confidence: c.confidence, date: c.date,
               datePrecision: c.datePrecision,
               source: s {.id, .title, .publisher, .date, .datePrecision, .url}}
       ORDER BY c.id
     } AS claims
WITH collect({
       id: t.id,
       kind: [label IN labels(t) WHERE label IN ['MaterielTransfer', 'TechnologyTransfer', 'PersonnelDeployment',
                                                'CommodityTransfer']][0],
       from: src {.id, .name}, to: dst {.id, .name},
       category: cat.id, category_label: cat.prefLabel,
       designation: t.designation, status: t.status,
       startDate: t.startDate, startDatePrecision: t.startDatePrecision,
       endDate: t.endDate, endDatePrecision: t.endDatePrecision,
       quantities: quantities, claims: claims
     }) AS items
RETURN size(items) AS total, items[$offset..$offset + $limit] AS items
