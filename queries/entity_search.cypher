// name: entity_search
// description: Search nodes by name and aliases (case- and accent-insensitive substring), best matches first.
// mode: read
// param: q: search -- the search text (matched case- and accent-insensitively against names and aliases)
// param: types: list[str] = [] -- labels to keep (State, Person, Ministry …); empty = all but claims and quantities
// param: limit: int = 20 -- page size
// param: offset: int = 0 -- rows to skip
MATCH (n:Rdkg)
WHERE n.searchText CONTAINS $q
  AND NOT n:Claim AND NOT n:Quantity
  AND (size($types) = 0 OR any(label IN labels(n) WHERE label IN $types))
WITH n, toLower(coalesce(n.name, n.title, n.prefLabel, n.id)) AS display
WITH n, CASE WHEN toLower(n.id) = $q OR display = $q THEN 0
             WHEN display STARTS WITH $q THEN 1
             WHEN display CONTAINS $q THEN 2
             ELSE 3 END AS rank
ORDER BY rank, n.id
WITH collect({id: n.id, name: coalesce(n.name, n.title, n.prefLabel, n.id), aliases: coalesce(n.aliases, []),
              labels: [label IN labels(n) WHERE label <> 'Rdkg']}) AS rows
RETURN size(rows) AS total, rows[$offset..$offset + $limit] AS items
