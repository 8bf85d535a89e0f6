// name: timeline
// description: Events (meetings, visits, ratifications, announcements, attacks …) whose date or period overlaps [since, until], in date order (an open end counts as ongoing only where a source says so).
// mode: read
// param: since: date = null -- keep events ending on or after this day
// param: until: date_end = null -- keep events starting on or before this day
// param: kind: kinds = [] -- event classes to keep (Meeting, Visit, Ratification, Announcement …; a class keeps its subclasses); empty = all
// param: participant: entity = null -- keep events in which this node (id) takes part
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
// Candidates from an index (see meetings.cypher): the participant through :Rdkg(id), otherwise the range
// indexes on Event.periodEnd (closed periods) and Event.periodStart (open ones; every Event has one).
CALL () {
  MATCH (:Rdkg {id: $participant})<-[:PARTICIPANT|HOST|VISITOR|STATE]-(e:Event)
  RETURN e
  UNION
  MATCH (e:Event)
  WHERE e.periodEnd >= CASE WHEN $participant IS NULL THEN coalesce($since, date('0001-01-01')) END
  RETURN e
  UNION
  MATCH (e:Event)
  WHERE e.periodStart <= CASE WHEN $participant IS NULL THEN coalesce($until, date('9999-12-31')) END
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
WHERE ($since IS NULL OR lastDay IS NULL OR lastDay >= $since)
  AND ($until IS NULL OR e.periodStart IS NULL OR e.periodStart <= $until)
  AND (size($kind) = 0 OR e.kind IN $kind)
  AND ($participant IS NULL OR EXISTS { (e)-[:PARTICIPANT|HOST|VISITOR|STATE]->(:Rdkg {id: $participant}) })
WITH e
ORDER BY e.periodStart, e.id
WITH collect(e) AS events
// the page first, then its participants, places and claims (not those of every match)
CALL (events) {
  WITH events[$offset..$offset + $limit] AS page
  UNWIND range(0, size(page) - 1) AS i
  WITH i, page[i] AS e
  ORDER BY i
  RETURN collect({
       id: e.id, name: e.name,
       kind: e.kind,
       date: e.date, datePrecision: e.datePrecision,
       startDate: e.startDate, startDatePrecision: e.startDatePrecision,
       endDate: e.endDate, endDatePrecision: e.endDatePrecision, ongoing: e.ongoing,
       location: [(e)-[:LOCATION]->(p) | p {.id, .name}][0],
       participants: COLLECT { MATCH (e)-[:PARTICIPANT|HOST|VISITOR]->(a) RETURN DISTINCT a {.id, .name} AS a ORDER BY a.id },
       concerns: COLLECT { MATCH (e)-[:CONCERNS]->(x) RETURN x {.id, name: coalesce(x.name, x.title, x.id)} AS x ORDER BY x.id },
       claims: COUNT { (e)-[:SUPPORTED_BY]->(:Claim) }
     }) AS items
}
RETURN size(events) AS total, items
