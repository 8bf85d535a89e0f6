// name: source_document
// description: A source document, its derivation chain, every claim it supports with the facts they back, and the claims of the outlets relaying it (report → wire → outlet).
// mode: read
// param: id: entity -- the source's id (e.g. source-s01, source-msmt-report-2025-05-29)
MATCH (s:Rdkg {id: $id})  // the unique index on :Rdkg(id)
WHERE s:SourceDocument
RETURN s {.id, .title, .publisher, .date, .datePrecision, .url, .factBaseId, .language, .note,
          kind: s.kind} AS source,
       [(s)-[:PUBLISHED_BY]->(o) | o {.id, .name}][0] AS published_by,
       COLLECT { MATCH (s)-[:DERIVED_FROM]->(d) RETURN d {.id, .title, .publisher} AS d ORDER BY d.id } AS derived_from,
       COLLECT { MATCH (s)<-[:DERIVED_FROM]-(d) RETURN d {.id, .title, .publisher} AS d ORDER BY d.id } AS derivatives,
       COLLECT {
         MATCH (s)<-[:SOURCE]-(c:Claim)
         RETURN {id: c.id, quote: c.quote, stance: c.stance, confidence: c.confidence, date: c.date,
                 datePrecision: c.datePrecision,
                 supports: COLLECT {
                   MATCH (x)-[:SUPPORTED_BY]->(c)
                   RETURN x {.id, name: coalesce(x.name, x.title, x.id),
                             kind: x.kind} AS x ORDER BY x.id
                 }} AS claim
         ORDER BY claim.id
       } AS claims,
       // what the outlets relaying this document (directly or through a wire story) quote from it
       COLLECT {
         MATCH (s)<-[:DERIVED_FROM*1..3]-(o:SourceDocument)<-[:SOURCE]-(c:Claim)
         WITH DISTINCT c, o
         RETURN {id: c.id, quote: c.quote, stance: c.stance, confidence: c.confidence, date: c.date,
                 datePrecision: c.datePrecision, via: o {.id, name: o.title},
                 supports: COLLECT {
                   MATCH (x)-[:SUPPORTED_BY]->(c)
                   RETURN x {.id, name: coalesce(x.name, x.title, x.id),
                             kind: x.kind} AS x ORDER BY x.id
                 }} AS claim
         ORDER BY claim.id, claim.via.id
       } AS relayed
