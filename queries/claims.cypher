// name: claims
// description: Claims, one row each (a claim backing several facts counts once), filtered by what they back, stance, confidence, source, estimator or being in a dispute; with every match's stance for the counts.
// mode: read
// param: about: entity = null -- keep claims backing this node (id), its figures, estimates or offices held
// param: stance: str = null -- asserts, reports, confirms, denies or declines_to_confirm
// param: confidence: str = null -- low, medium or high
// param: source: entity = null -- keep claims from this source document (id) or from documents relaying it (report → wire → outlet)
// param: estimator: entity = null -- keep claims made by this body or person (claimant) or giving an estimate it made
// param: disputed: bool = false -- keep claims that dispute another claim or are disputed by one
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
// Candidates from an index: `about` or `source` through the unique index on :Rdkg(id); neither: every claim.
CALL () {
  MATCH (n:Rdkg {id: $about})
  CALL (n) {
    MATCH (n)-[:SUPPORTED_BY]->(c:Claim) RETURN c
    UNION
    MATCH (n)-[:HAS_QUANTITY]->(:Quantity)-[:SUPPORTED_BY]->(c:Claim) RETURN c
    UNION
    MATCH (n)<-[:MEMBER]-(:Membership)-[:SUPPORTED_BY]->(c:Claim) RETURN c
    UNION
    MATCH (n)<-[:ESTIMATE_OF]-(:Estimate)-[:SUPPORTED_BY]->(c:Claim) RETURN c
  }
  RETURN c
  UNION
  MATCH (:Rdkg {id: $source})<-[:DERIVED_FROM*0..3]-(:SourceDocument)<-[:SOURCE]-(c:Claim)
  WHERE $about IS NULL
  RETURN c
  UNION
  WITH $about AS about, $source AS source WHERE about IS NULL AND source IS NULL  // no scan otherwise
  MATCH (c:Claim)
  RETURN c
}
WITH DISTINCT c
WHERE ($stance IS NULL OR c.stance = $stance)
  AND ($confidence IS NULL OR c.confidence = $confidence)
  AND ($source IS NULL OR EXISTS { (c)-[:SOURCE]->(:SourceDocument)-[:DERIVED_FROM*0..3]->(:Rdkg {id: $source}) })
  AND ($estimator IS NULL OR EXISTS { (c)-[:CLAIMANT]->(:Rdkg {id: $estimator}) }
       OR EXISTS { (c)<-[:SUPPORTED_BY]-(:Estimate)-[:ESTIMATOR]->(:Rdkg {id: $estimator}) })
  AND (NOT $disputed OR EXISTS { (c)-[:DISPUTES]-(:Claim) })
OPTIONAL MATCH (c)-[:SOURCE]->(s:SourceDocument)
WITH c, s
ORDER BY s.id, c.stance, c.id
WITH collect({c: c, s: s}) AS rows
// the page first, then what each claim backs and disputes (not those of every match)
CALL (rows) {
  WITH rows[$offset..$offset + $limit] AS page
  UNWIND range(0, size(page) - 1) AS i
  WITH i, page[i].c AS c, page[i].s AS s
  ORDER BY i
  RETURN collect({
    id: c.id, quote: c.quote, stance: c.stance, confidence: c.confidence, date: c.date,
    datePrecision: c.datePrecision,
    source: s {.id, .title, .publisher, .date, .datePrecision, .url},
    claimants: [(c)-[:CLAIMANT]->(a) | a {.id, .name}],
    supports: COLLECT {
      MATCH (x)-[:SUPPORTED_BY]->(c)
      RETURN x.id AS x ORDER BY x
    },
    disputes: COLLECT { MATCH (c)-[:DISPUTES]-(d:Claim) RETURN DISTINCT d.id AS d ORDER BY d }
  }) AS items
}
RETURN size(rows) AS total, [r IN rows | r.c.stance] AS stances, items
