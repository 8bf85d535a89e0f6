// name: votes
// description: UN Security Council resolutions (adopted or failed drafts) with each state's recorded vote.
// mode: read
// param: resolution: entity = null -- keep this resolution (id)
// param: voter: entity = null -- keep resolutions on which this state (id) has a recorded vote
// param: choice: str = null -- keep resolutions with a vote of this choice (in_favour, against, abstention, veto)
// A resolution or a voter given: anchored through the unique index on :Rdkg(id); neither: every resolution.
CALL () {
  MATCH (res:Rdkg {id: $resolution})
  WHERE res:Resolution
  RETURN res
  UNION
  MATCH (:Rdkg {id: $voter})<-[:VOTER]-(:Vote)-[:RESOLUTION]->(res:Resolution)
  WHERE $resolution IS NULL
  RETURN res
  UNION
  WITH $resolution AS resolution, $voter AS voter WHERE resolution IS NULL AND voter IS NULL  // no scan otherwise
  MATCH (res:Resolution)
  RETURN res
}
WITH res
WHERE ($resolution IS NULL OR res.id = $resolution)
  AND ($voter IS NULL OR EXISTS { (res)<-[:RESOLUTION]-(:Vote)-[:VOTER]->(:State {id: $voter}) })
  AND ($choice IS NULL OR EXISTS { (res)<-[:RESOLUTION]-(v:Vote) WHERE v.choice = $choice })
RETURN res.id AS id, res.name AS name, res.symbol AS symbol, res.outcome AS outcome,
       res.date AS date, res.datePrecision AS datePrecision, res.voteTally AS voteTally,
       res.meetingNumber AS meetingNumber,
       COLLECT { MATCH (res)-[:SPONSOR]->(s) RETURN s {.id, .name} AS s ORDER BY s.id } AS sponsors,
       COLLECT { MATCH (res)-[:CONCERNS]->(x) RETURN x {.id, name: coalesce(x.name, x.id)} AS x ORDER BY x.id } AS concerns,
       COLLECT {
         MATCH (res)<-[:RESOLUTION]-(v:Vote)
         OPTIONAL MATCH (v)-[:VOTER]->(s:State)
         RETURN {id: v.id, choice: v.choice, voter: s {.id, .name},
                 claims: COUNT { (v)-[:SUPPORTED_BY]->(:Claim) }} AS v
         ORDER BY v.voter.id, v.id
       } AS votes
ORDER BY res.date, res.id
