// name: categories
// description: The item categories (SKOS concepts) with their labels, broader concepts and number of transfers.
// mode: read
MATCH (c:Category)
RETURN c.id AS id, c.prefLabel AS label, COLLECT { MATCH (c)-[:BROADER]->(b) RETURN b.id ORDER BY b.id } AS broader,
       COUNT { (c)<-[:OF_CATEGORY]-(:Transfer) } AS transfers
ORDER BY c.id
