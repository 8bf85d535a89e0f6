// name: meetings
// description: Who met whom: meetings and visits with participants (and their roles), places and dates.
// mode: read
// param: since: date = null -- keep meetings ending on or after this day
// param: until: date_end = null -- keep meetings starting on or before this day
// param: participant: entity = null -- keep meetings in which this node (id) takes part
// param: place: entity = null -- keep meetings at this place (id), or at a place located in it
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
// Candidates from an index (one plan for every parameter combination; a branch whose anchor is null seeks
// nothing): the participant or place through the unique index on :Rdkg(id), otherwise the range indexes on
// Event.periodEnd (closed periods) and Event.periodStart (open ones; every Event has one — the shapes require
// a date or startDate). The filters below keep the exact semantics.
CALL () {
  MATCH (:Rdkg {id: $participant})<-[:PARTICIPANT|HOST|VISITOR]-(e:Event)
  RETURN e
  UNION
  MATCH (:Rdkg {id: $place})<-[:LOCATED_IN*0..3]-(:Place)<-[:LOCATION]-(e:Event)
  WHERE $participant IS NULL
  RETURN e
  UNION
  MATCH (e:Event)
  WHERE e.periodEnd >= CASE WHEN $participant IS NULL AND $place IS NULL
                            THEN coalesce($since, date('0001-01-01')) END
  RETURN e
  UNION
  MATCH (e:Event)
  WHERE e.periodStart <= CASE WHEN $participant IS NULL AND $place IS NULL
                              THEN coalesce($until, date('9999-12-31')) END
    AND e.periodEnd IS NULL
  RETURN e
}
WITH e
// an open end is "ongoing" only where a source says so (rdkg:ongoing true); otherwise the event is known to have
// happened within the day, month or year of its start, and a period filter treats it so
WITH e, coalesce(e.periodEnd, CASE WHEN e.ongoing THEN date('9999-12-31')
                                   WHEN e.startDatePrecision = 'year' THEN date({year: e.periodStart.year, month: 12, day: 31})
                                   WHEN e.startDatePrecision = 'month' THEN e.periodStart + duration('P1M') - duration('P1D')
                                   ELSE e.periodStart END) AS lastDay
WHERE (e:Meeting OR e:Visit)
  AND ($since IS NULL OR coalesce(lastDay, date('9999-12-31')) >= $since)
  AND ($until IS NULL OR e.periodStart IS NULL OR e.periodStart <= $until)
  AND ($participant IS NULL OR EXISTS { (e)-[:PARTICIPANT|HOST|VISITOR]->(:Rdkg {id: $participant}) })
  AND ($place IS NULL OR EXISTS { (e)-[:LOCATION]->(:Place)-[:LOCATED_IN*0..3]->(:Rdkg {id: $place}) })
WITH e
ORDER BY e.periodStart, e.id
WITH collect(e) AS events
// the page first, then its participants, places and claims (not those of every match)
CALL (events) {
  WITH events[$offset..$offset + $limit] AS page
  UNWIND range(0, size(page) - 1) AS i
  WITH i, page[i] AS e
  WITH i, e, COLLECT {
       MATCH (e)-[r:PARTICIPANT|HOST|VISITOR]->(a)
       WITH a, collect(DISTINCT toLower(type(r))) AS roles
       RETURN a {.id, .name, roles: [role IN ['host', 'visitor'] WHERE role IN roles]} AS a ORDER BY a.id
     } AS participants
  ORDER BY i
  RETURN collect({
       id: e.id, name: e.name, kind: e.kind,
       date: e.date, datePrecision: e.datePrecision,
       startDate: e.startDate, startDatePrecision: e.startDatePrecision,
       endDate: e.endDate, endDatePrecision: e.endDatePrecision, ongoing: e.ongoing,
       location: [(e)-[:LOCATION]->(p) | p {.id, .name}][0],
       part_of: [(e)-[:PART_OF]->(v) | v {.id, .name}][0],
       participants: participants,
       claims: COUNT { (e)-[:SUPPORTED_BY]->(:Claim) }
     }) AS items
}
RETURN size(events) AS total, items
