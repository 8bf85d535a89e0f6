// name: former_id
// description: The flow or estimate that now carries an id from an earlier release (rdkg:formerId), e.g. the flow an old per-estimate transfer was merged into.
// mode: read
// param: id: str -- the old id
// Asked only after the id named nothing (the resolver's last step). Former ids are given to the nodes that absorbed
// others in the flows-and-estimates re-model — flows and estimates — so only those two labels are scanned.
CALL () {
  MATCH (n:Transfer) WHERE $id IN n.formerId
  RETURN n
  UNION
  MATCH (n:Estimate) WHERE $id IN n.formerId
  RETURN n
}
RETURN n.id AS id, coalesce(n.name, n.title, n.prefLabel, n.id) AS name, [l IN labels(n) WHERE l <> 'Rdkg'] AS labels, n.kind AS kind
ORDER BY id
LIMIT 1
