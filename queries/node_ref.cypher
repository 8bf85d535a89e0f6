// name: node_ref
// description: Id, display name and labels of one node (used to answer 404 for unknown ids).
// mode: read
// param: id: str -- the node's id
MATCH (n:Rdkg {id: $id})
RETURN n.id AS id, coalesce(n.name, n.title, n.prefLabel, n.id) AS name, [l IN labels(n) WHERE l <> 'Rdkg'] AS labels, n.kind AS kind
