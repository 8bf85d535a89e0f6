// name: shortest_paths
// description: The shortest paths between two nodes, at most max_depth hops (hard cap 6), one per sequence of nodes, skipping claims and sources unless asked and hub nodes (states, treaties and agreements) when asked.
// mode: read
// param: from_id as from: entity -- id of the first node
// param: to_id as to: entity -- id of the second node
// param: max_depth: int = 4 -- longest path to return, in hops (1..6)
// param: include_provenance: bool = false -- allow paths through Claim and SourceDocument nodes
// param: avoid_hubs: bool = false -- no path through a State, Treaty or Agreement between the two ends
// param: limit: int = 10 -- most paths to return
// Cypher cannot take a variable-length bound as a parameter, so the text fixes the hard cap (6) and the
// statement keeps paths of length <= $max_depth *after* the search (all shortest paths have one length, so this
// is exact; a length predicate inside the search would make Neo4j fall back to an exhaustive search). The API
// refuses max_depth outside 1..6. Two paths through the same nodes (a visit linked to a person both as PARTICIPANT
// and as VISITOR) are one answer: its edges are those of the first path in type order.
MATCH (a:Rdkg {id: $from_id}), (b:Rdkg {id: $to_id})
WHERE a <> b
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE ($include_provenance
       OR all(x IN nodes(p)[1..-1] WHERE NOT x:Claim AND NOT x:SourceDocument AND NOT x:Quantity))
  AND (NOT $avoid_hubs OR all(x IN nodes(p)[1..-1] WHERE NOT x:State AND NOT x:Agreement))
WITH p
WHERE length(p) <= $max_depth
WITH p ORDER BY [x IN nodes(p) | x.id], [r IN relationships(p) | type(r)]
WITH [x IN nodes(p) | x.id] AS sequence, collect(p)[0] AS p
ORDER BY sequence
LIMIT $limit
RETURN length(p) AS length,
       [x IN nodes(p) | {id: x.id, name: coalesce(x.name, x.title, x.prefLabel, x.id),
                         labels: [l IN labels(x) WHERE l <> 'Rdkg'], kind: x.kind}] AS nodes,
       [r IN relationships(p) | {type: type(r), source: startNode(r).id, target: endNode(r).id}] AS edges
