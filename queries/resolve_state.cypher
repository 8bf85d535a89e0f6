// name: resolve_state
// description: The state whose id, ISO code, name or alias equals a term (case-insensitive), e.g. DPRK → PRK.
// mode: read
// param: term: str -- an ISO code, a name or an alias
MATCH (s:State)
WHERE toUpper(s.id) = toUpper($term) OR toUpper(s.isoCode) = toUpper($term) OR toLower(s.name) = toLower($term)
   OR any(a IN coalesce(s.aliases, []) WHERE toLower(a) = toLower($term))
RETURN s.id AS id, s.name AS name
ORDER BY CASE WHEN toUpper(s.id) = toUpper($term) THEN 0 ELSE 1 END, s.id
