// name: graph_version
// description: What identifies the graph's current content: the loader's load fingerprint (written in the same transaction as every load) and the node and relationship counts (from the count store); with the release the loader recorded and the input fingerprint of the data it loaded (which release the graph holds).
// mode: read
OPTIONAL MATCH (m:RdkgLoadState {key: 'state'})
CALL () { MATCH (n:Rdkg) RETURN count(n) AS nodes }
CALL () { MATCH (:Rdkg)-[r]->() RETURN count(r) AS rels }
RETURN m.fingerprint AS fingerprint, m.release AS release, m.inputFingerprint AS data_fingerprint, nodes, rels
