// name: categories
// description: The item categories (SKOS concepts) with their labels, broader concept and number of transfers.
// mode: read
MATCH (c:Category)
RETURN c.id AS id, c.prefLabel AS label, [(c)-[:BROADER]->(b) | b.id][0] AS broader,
       COUNT { (c)<-[:OF_CATEGORY]-(:Transfer) } AS transfers
ORDER BY c.id
