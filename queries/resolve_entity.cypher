// name: resolve_entity
// description: The nodes an entity reference may name: the node with exactly this id, otherwise every searchable node whose names, aliases, name variants or id contain the folded text (the API keeps the exact matches).
// mode: read
// param: term: str -- the reference as given (an id, ISO code, name or alias)
// param: folded: search -- the same text lower-cased with accents stripped (as the loader builds searchText)
// An exact id is one seek on the unique index on :Rdkg(id); anything else one lookup in the text index on
// :Rdkg(searchText) (names, aliases and the id, folded), which runs only when no node has the exact id; a former
// id (rdkg:formerId, a short scan) resolves to the node that has it now.
OPTIONAL MATCH (exact:Rdkg {id: $term})
CALL (exact) {
  WITH exact WHERE exact IS NOT NULL
  RETURN exact AS n
  UNION
  WITH exact WHERE exact IS NULL  // a name variant (rdkg:NameVariant) stands for the entity it names
  MATCH (hit:Rdkg)
  WHERE hit.searchText CONTAINS $folded
  OPTIONAL MATCH (hit:NameVariant)-[:VARIANT_OF]->(named:Rdkg)
  RETURN coalesce(named, hit) AS n
  UNION
  WITH exact WHERE exact IS NULL  // an id the node had before it was renamed (rdkg:formerId)
  MATCH (n:Rdkg)
  WHERE $term IN coalesce(n.formerId, [])
  RETURN n
}
RETURN n.id AS id, coalesce(n.name, n.title, n.prefLabel, n.id) AS name,
       [l IN labels(n) WHERE l <> 'Rdkg'] AS labels, n.kind AS kind, n.isoCode AS isoCode,
       coalesce(n.aliases, []) + [k IN keys(n) WHERE k STARTS WITH 'name_' | n[k]]
         + [t IN [n.title] WHERE t IS NOT NULL] + [(n)<-[:VARIANT_OF]-(v:NameVariant) | v.name] AS names,
       $term IN coalesce(n.formerId, []) AS former
ORDER BY n.id
