// name: graph
// description: Nodes and edges for a set of ids, for graph widgets (with expand, also their direct neighbours).
// mode: read
// param: ids: list[str] -- node ids
// param: expand: bool = false -- add every direct neighbour of the given nodes
// param: limit: int = 500 -- most nodes to return
MATCH (n:Rdkg) WHERE n.id IN $ids
OPTIONAL MATCH (n)--(m:Rdkg) WHERE $expand
WITH collect(DISTINCT n) + collect(DISTINCT m) AS found
UNWIND found AS x
WITH DISTINCT x ORDER BY x.id LIMIT $limit
WITH collect(x) AS xs
RETURN [x IN xs | {id: x.id, name: coalesce(x.name, x.title, x.prefLabel, x.id),
                   labels: [l IN labels(x) WHERE l <> 'Rdkg'], kind: x.kind}] AS nodes,
       COLLECT {
         UNWIND xs AS a
         MATCH (a)-[r]->(b) WHERE b IN xs
         RETURN {type: type(r), source: a.id, target: b.id} AS e ORDER BY e.source, e.type, e.target
       } AS edges
