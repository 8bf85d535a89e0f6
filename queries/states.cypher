// name: states
// description: Every state with its ISO code, name and aliases (the API resolves state names from this list).
// mode: read
MATCH (s:State)
RETURN s.id AS id, s.isoCode AS isoCode, s.name AS name, coalesce(s.aliases, []) AS aliases
ORDER BY s.id
