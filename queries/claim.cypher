// name: claim
// description: One claim: its quote, stance and confidence, its source with the chain it came through (report → wire → outlet), who made it, what it backs, and the claims it disputes and is disputed by.
// mode: read
// param: id: str -- the claim's id (e.g. claim-seed-31)
MATCH (c:Rdkg {id: $id})  // the unique index on :Rdkg(id)
WHERE c:Claim
OPTIONAL MATCH (c)-[:SOURCE]->(s:SourceDocument)
RETURN c {.id, .quote, .stance, .confidence, .date, .datePrecision, .note} AS claim,
       s {.id, .title, .publisher, .date, .datePrecision, .url,
          kind: s.kind} AS source,
       // the documents this source relays, nearest first: outlet → wire → report
       COLLECT {
         MATCH p = (s)-[:DERIVED_FROM*1..4]->(d:SourceDocument)
         WITH d, min(length(p)) AS hops
         RETURN d {.id, .title, .publisher, .date, .datePrecision, .url, hops: hops,
                   kind: d.kind,
                   published_by: [(d)-[:PUBLISHED_BY]->(o) | o {.id, .name}][0]} AS d
         ORDER BY d.hops, d.id
       } AS chain,
       [(s)-[:PUBLISHED_BY]->(o) | o {.id, .name}][0] AS published_by,
       [(c)-[:CLAIMANT]->(a) | a {.id, .name}] AS claimants,
       COLLECT {
         MATCH (x)-[:SUPPORTED_BY]->(c)
         WITH x, coalesce([(o)-[:HAS_QUANTITY]->(x) | o][0], [(x)-[:ESTIMATE_OF]->(o) | o][0],
                          [(x)-[:MEMBER]->(o) | o][0]) AS owner
         RETURN x {.id, name: coalesce(x.name, x.title, x.prefLabel, x.id), .status,
                   labels: [l IN labels(x) WHERE l <> 'Rdkg'], kind: x.kind,
                   about: CASE WHEN owner IS NULL THEN null ELSE owner {.id, name: coalesce(owner.name, owner.id)} END}
                AS x
         ORDER BY x.id
       } AS supports,
       COLLECT {
         MATCH (c)-[:DISPUTES]->(d:Claim)
         OPTIONAL MATCH (d)-[:SOURCE]->(ds:SourceDocument)
         RETURN d {.id, .quote, .stance, .confidence, .date, .datePrecision,
                   source: ds {.id, .title, .publisher, .date, .datePrecision, .url}} AS d ORDER BY d.id
       } AS disputes,
       COLLECT {
         MATCH (c)<-[:DISPUTES]-(d:Claim)
         OPTIONAL MATCH (d)-[:SOURCE]->(ds:SourceDocument)
         RETURN d {.id, .quote, .stance, .confidence, .date, .datePrecision,
                   source: ds {.id, .title, .publisher, .date, .datePrecision, .url}} AS d ORDER BY d.id
       } AS disputed_by,
       // nothing deleted silently: what replaced or retracted this claim (and what it replaced), with their dates
       [(c)-[:SUPERSEDED_BY]->(n:Claim) | n {.id, .date, .datePrecision}] AS superseded_by,
       [(c)<-[:SUPERSEDED_BY]-(o:Claim) | o {.id, .date, .datePrecision}] AS supersedes,
       [(c)-[:RETRACTED_BY]->(n:Claim) | n {.id, .date, .datePrecision}] AS retracted_by
