// name: disputes
// description: Where sources disagree: facts marked disputed, denied (or left unconfirmed) by a claim, or backed by claims that dispute each other — each with every claim about it, its source and what it disputes.
// mode: read
// param: about: entity = null -- keep the facts about this node (id): the node itself, its figures, estimates and offices
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
// Candidates: with `about`, the node and its figures, estimates and offices (from the id index); otherwise every
// node backed by a denying or disputing claim, and every node marked disputed (the scans run only then).
CALL () {
  MATCH (n:Rdkg {id: $about})
  CALL (n) {
    RETURN n AS x
    UNION
    MATCH (n)-[:HAS_QUANTITY]->(x) RETURN x
    UNION
    MATCH (x)-[:ESTIMATE_OF]->(n) RETURN x
    UNION
    MATCH (x:Membership)-[:MEMBER]->(n) RETURN x
  }
  RETURN x
  UNION
  WITH $about AS about WHERE about IS NULL
  MATCH (c:Claim)
  WHERE c.stance IN ['denies', 'declines_to_confirm'] OR EXISTS { (c)-[:DISPUTES]-(:Claim) }
  MATCH (x:Rdkg)-[:SUPPORTED_BY]->(c)
  RETURN x
  UNION
  WITH $about AS about WHERE about IS NULL
  MATCH (x:Rdkg)
  WHERE x.status = 'disputed'
  RETURN x
}
WITH x
WHERE x.status = 'disputed'
   OR EXISTS { MATCH (x)-[:SUPPORTED_BY]->(c:Claim)
               WHERE c.stance IN ['denies', 'declines_to_confirm'] OR EXISTS { (c)-[:DISPUTES]-(:Claim) } }
// a figure, an estimate or an office held is shown with the flow or person it belongs to
WITH x, coalesce([(o)-[:HAS_QUANTITY]->(x) | o][0], [(x)-[:ESTIMATE_OF]->(o) | o][0],
                 [(x)-[:MEMBER]->(o) | o][0]) AS owner
WITH x, owner
ORDER BY coalesce(owner.id, x.id), x.id
WITH collect({x: x, owner: owner}) AS facts
CALL (facts) {
  WITH facts[$offset..$offset + $limit] AS page
  UNWIND range(0, size(page) - 1) AS i
  WITH i, page[i].x AS x, page[i].owner AS owner
  ORDER BY i
  RETURN collect({
    id: x.id,
    name: coalesce(x.name, x.title, x.prefLabel, x.id),
    labels: [l IN labels(x) WHERE l <> 'Rdkg'], kind: x.kind,
    status: x.status,
    about: CASE WHEN owner IS NULL THEN null
           ELSE owner {.id, name: coalesce(owner.name, owner.title, owner.id),
                       labels: [l IN labels(owner) WHERE l <> 'Rdkg'], kind: owner.kind} END,
    claims: COLLECT {
      MATCH (x)-[:SUPPORTED_BY]->(c:Claim)
      OPTIONAL MATCH (c)-[:SOURCE]->(s:SourceDocument)
      RETURN {id: c.id, quote: c.quote, stance: c.stance, confidence: c.confidence, date: c.date,
              datePrecision: c.datePrecision, source: s {.id, .title, .publisher, .date, .datePrecision, .url},
              claimants: [(c)-[:CLAIMANT]->(a) | a {.id, .name}],
              disputes: [(c)-[:DISPUTES]-(d:Claim) | d.id]} AS claim
      ORDER BY claim.stance, claim.id
    },
    // the claims on the other side: those the fact's claims dispute (or are disputed by), backing other nodes
    counterclaims: COLLECT {
      MATCH (x)-[:SUPPORTED_BY]->(:Claim)-[:DISPUTES]-(d:Claim)
      WHERE NOT (x)-[:SUPPORTED_BY]->(d)
      WITH DISTINCT d
      OPTIONAL MATCH (d)-[:SOURCE]->(s:SourceDocument)
      RETURN {id: d.id, quote: d.quote, stance: d.stance, confidence: d.confidence, date: d.date,
              datePrecision: d.datePrecision, source: s {.id, .title, .publisher, .date, .datePrecision, .url},
              claimants: [(d)-[:CLAIMANT]->(a) | a {.id, .name}],
              disputes: [(d)-[:DISPUTES]-(e:Claim) | e.id],
              supports: COLLECT { MATCH (n:Rdkg)-[:SUPPORTED_BY]->(d)
                                 RETURN n {.id, name: coalesce(n.name, n.title, n.id)} AS n ORDER BY n.id }} AS claim
      ORDER BY claim.id
    }
  }) AS items
}
RETURN size(facts) AS total, items
