// name: neighbours
// description: A node's direct neighbours, paginated, optionally only over some relationship types.
// mode: read
// param: id: entity -- the node's id
// param: type: list[str] = [] -- relationship types to follow (e.g. PARTICIPANT,SUPPORTED_BY); empty = all
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
MATCH (n:Rdkg {id: $id})
OPTIONAL MATCH (n)-[r]-(m:Rdkg)
WHERE size($type) = 0 OR type(r) IN $type
WITH n, r, m
ORDER BY type(r), m.id
WITH n, collect(CASE WHEN r IS NULL THEN null ELSE {
       type: type(r),
       direction: CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END,
       node: {id: m.id, name: coalesce(m.name, m.title, m.prefLabel, m.id),
              labels: [label IN labels(m) WHERE label <> 'Rdkg'], kind: m.kind}
     } END) AS rows
RETURN size(rows) AS total, rows[$offset..$offset + $limit] AS items
