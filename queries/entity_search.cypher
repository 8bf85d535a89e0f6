// name: entity_search
// description: Find nodes by name or alias (case- and accent-insensitive), best matches first — or, without a search text, list the nodes of some types by name.
// mode: read
// param: q: search = null -- the search text (matched case- and accent-insensitively against names, aliases and ids); null = every node of `types`
// param: type: list[str] = [] -- labels to keep (State, Person, Vessel …); empty = all but internal nodes (claims, figures, estimates, offices held)
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
// Ranks: 0 = a name, alias or id equals the text; 1 = one starts with it; 2 = a word in one starts with it;
// 3 = it occurs inside one (a source document's title: 4-6). Internal nodes (memberships, quantities, estimates; claims have no searchText) are
// returned only when their type is asked for. A name variant (rdkg:NameVariant: a spelling only some sources use,
// e.g. the seed's "Vitaly Shulyka") answers with the entity it names, ranked by the variant's text, unless
// NameVariant is among the types asked for: the variant node itself is never a hit otherwise.
MATCH (hit:Rdkg)
WHERE hit.searchText CONTAINS coalesce($q, '')
OPTIONAL MATCH (hit:NameVariant)-[:VARIANT_OF]->(named:Rdkg)
WITH hit, CASE WHEN named IS NULL OR 'NameVariant' IN $type THEN hit ELSE named END AS n
WHERE (size($type) = 0 OR any(label IN labels(n) WHERE label IN $type))
  AND (size($type) > 0 OR NOT (n:Membership OR n:Quantity OR n:Estimate OR n:Claim OR n:NameVariant))
WITH n, split(hit.searchText, ' | ') AS names, coalesce(n.name, n.title, n.prefLabel, n.id) AS display
WITH n, display, CASE WHEN $q IS NULL THEN 0
                      WHEN any(x IN names WHERE x = $q) THEN 0
                      WHEN any(x IN names WHERE x STARTS WITH $q) THEN 1
                      WHEN any(x IN names WHERE x CONTAINS ' ' + $q OR x CONTAINS '-' + $q) THEN 2
                      ELSE 3 END AS rank
// an entity found by its own names and by a variant (or by two variants) is one hit, at its best rank
WITH n, display, min(rank) AS rank
// a document whose title merely contains the text ranks below every entity that is not an exact match; ties go
// to the better-connected node (Kim Jong Un before Kim Jong Gyu for "kim jong"), then by name (a listing: by name)
WITH n, display, CASE WHEN n:SourceDocument AND rank > 0 THEN rank + 3 ELSE rank END AS rank
ORDER BY rank, CASE WHEN $q IS NULL THEN 0 ELSE -COUNT { (n)--() } END, toLower(display), n.id
WITH collect({id: n.id, name: display, aliases: coalesce(n.aliases, []),
              labels: [label IN labels(n) WHERE label <> 'Rdkg'], rank: rank}) AS rows
RETURN size(rows) AS total, rows[$offset..$offset + $limit] AS items
