// name: former_id
// description: The node that now carries an id from an earlier release (rdkg:formerId), e.g. the flow an old per-estimate transfer was merged into.
// mode: read
// param: id: str -- the old id
// Only asked after the id itself was not found; a scan of the formerId lists (few nodes carry one).
MATCH (n:Rdkg)
WHERE $id IN n.formerId
RETURN n.id AS id, coalesce(n.name, n.title, n.prefLabel, n.id) AS name, [l IN labels(n) WHERE l <> 'Rdkg'] AS labels
ORDER BY id
LIMIT 1
