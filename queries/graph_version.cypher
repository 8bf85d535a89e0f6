// name: graph_version
// description: What identifies the graph's current content: the loader's load fingerprint (written in the same transaction as every load) and the node and relationship counts (from the count store).
// mode: read
OPTIONAL MATCH (m:RdkgLoadState {key: 'state'})
CALL () { MATCH (n:Rdkg) RETURN count(n) AS nodes }
CALL () { MATCH (:Rdkg)-[r]->() RETURN count(r) AS rels }
RETURN m.fingerprint AS fingerprint, nodes, rels
