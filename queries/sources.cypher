// name: sources
// description: Source documents (reports, articles, statements …) with publisher, date, URL and how many claims cite each.
// mode: read
// param: publisher: str = null -- keep sources whose publisher text contains this (case-insensitive)
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
MATCH (s:SourceDocument)
WHERE $publisher IS NULL OR toLower(s.publisher) CONTAINS toLower($publisher)
WITH s ORDER BY s.id
WITH collect(s) AS sources
// the page first, then its claim counts (not those of every source)
CALL (sources) {
  WITH sources[$offset..$offset + $limit] AS page
  UNWIND range(0, size(page) - 1) AS i
  WITH i, page[i] AS s
  ORDER BY i
  RETURN collect(s {.id, .title, .publisher, .date, .datePrecision, .url, .factBaseId,
                    kind: s.kind,
                    claims: COUNT { (s)<-[:SOURCE]-(:Claim) }}) AS items
}
RETURN size(sources) AS total, items
