// name: entity_search
// description: Find nodes by name or alias (case- and accent-insensitive), best matches first — or, without a search text, list the nodes of some types by name.
// mode: read
// param: q: search = null -- the search text (matched case- and accent-insensitively against names, aliases and ids); null = every node of `types`
// param: type: kinds = [] -- classes to keep (State, Person, Vessel …; a class keeps its subclasses: PublicBody → Ministry …); empty = every searchable node
// param: limit: int = 50 -- page size
// param: offset: int = 0 -- rows to skip
// Ranks: 0 = a name, alias or id equals the text; 1 = one starts with it; 2 = a word in one starts with it;
// 3 = it occurs inside one (a source document's title: 4-6). Internal nodes (classes annotated rdkg:searchable
// false: claims, figures, estimates, offices held) have no searchText, so a search text alone never finds them;
// they are found only when their type is asked for — all of them, or those whose id contains the text.
// A name variant (rdkg:NameVariant: a spelling only some sources use, e.g. the seed's "Vitaly Shulyka") answers
// with the entity it names, ranked by the variant's text, unless its kind is among the types asked for: the
// variant node itself is never a hit otherwise.
// Candidates from an index: a search text through the text index on :Rdkg(searchText), the types asked for
// through the range index on :Rdkg(kind).
CALL () {
  MATCH (hit:Rdkg) WHERE hit.searchText CONTAINS $q
  RETURN hit
  UNION
  MATCH (hit:Rdkg) WHERE hit.kind IN $type AND ($q IS NULL OR toLower(hit.id) CONTAINS $q)
  RETURN hit
}
OPTIONAL MATCH (hit:NameVariant)-[:VARIANT_OF]->(named:Rdkg)
WITH hit, CASE WHEN named IS NULL OR hit.kind IN $type THEN hit ELSE named END AS n
WHERE size($type) = 0 OR n.kind IN $type
WITH n, coalesce(split(hit.searchText, ' | '), [toLower(hit.id)]) AS names,
     coalesce(n.name, n.title, n.prefLabel, n.id) AS display
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
              labels: [label IN labels(n) WHERE label <> 'Rdkg'], kind: n.kind, rank: rank}) AS rows
RETURN size(rows) AS total, rows[$offset..$offset + $limit] AS items
