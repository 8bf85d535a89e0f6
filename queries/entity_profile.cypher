// name: entity_profile
// description: One node's profile: names, aliases, name variants (whose spelling each is), posts held, the posts held in it (a body or state: who holds which post), bodies, related treaties, events, transfers and shipments (disputed ones marked).
// mode: read
// param: id: entity -- the node's id (e.g. PRK, vitaly-shulika)
MATCH (n:Rdkg {id: $id})
RETURN n.id AS id,
       [label IN labels(n) WHERE label <> 'Rdkg'] AS labels, n.kind AS kind,
       coalesce(n.name, n.title, n.prefLabel, n.id) AS name,
       coalesce(n.aliases, []) AS aliases,
       properties(n) AS properties,
       // spellings only some sources use (rdkg:NameVariant), each with the claims that use it: whose spelling it is
       COLLECT {
         MATCH (n)<-[:VARIANT_OF]-(v:NameVariant)
         RETURN v {.id, .name, .note,
                   disputed: coalesce(v.status = 'disputed', false) OR EXISTS { MATCH (v)-[:SUPPORTED_BY]->(dc:Claim) WHERE dc.stance IN ['denies', 'declines_to_confirm'] OR EXISTS { (dc)-[:DISPUTES]-(:Claim) } },
                   claims: [(v)-[:SUPPORTED_BY]->(c:Claim) | {id: c.id, quote: c.quote, stance: c.stance, confidence: c.confidence,
                            date: c.date, datePrecision: c.datePrecision,
                            source: head([(c)-[:SOURCE]->(s:SourceDocument) | s {.id, .title, .publisher, .date, .datePrecision, .url}])}]} AS variant
         ORDER BY variant.name, variant.id
       } AS name_variants,
       COLLECT {
         MATCH (n)<-[:MEMBER]-(m:Membership)-[:POST]->(p:Post)
         OPTIONAL MATCH (p)-[:POST_IN]->(b)
         RETURN {id: m.id, post: p {.id, .name}, body: b {.id, .name},
                 startDate: m.startDate, startDatePrecision: m.startDatePrecision,
                 endDate: m.endDate, endDatePrecision: m.endDatePrecision,
                 claims: COUNT { (m)-[:SUPPORTED_BY]->(:Claim) },
                 disputed: coalesce(m.status = 'disputed', false) OR EXISTS { MATCH (m)-[:SUPPORTED_BY]->(dc:Claim) WHERE dc.stance IN ['denies', 'declines_to_confirm'] OR EXISTS { (dc)-[:DISPUTES]-(:Claim) } }}
         ORDER BY m.id
       } AS posts,
       // a body or state: the posts held in it, and who holds them
       COLLECT {
         MATCH (n)<-[:POST_IN]-(p:Post)<-[:POST]-(m:Membership)-[:MEMBER]->(h)
         RETURN {id: m.id, person: h {.id, .name}, post: p {.id, .name},
                 startDate: m.startDate, startDatePrecision: m.startDatePrecision,
                 endDate: m.endDate, endDatePrecision: m.endDatePrecision,
                 claims: COUNT { (m)-[:SUPPORTED_BY]->(:Claim) },
                 disputed: coalesce(m.status = 'disputed', false) OR EXISTS { MATCH (m)-[:SUPPORTED_BY]->(dc:Claim) WHERE dc.stance IN ['denies', 'declines_to_confirm'] OR EXISTS { (dc)-[:DISPUTES]-(:Claim) } }}
         ORDER BY p.name, m.startDate, m.id
       } AS postHolders,
       COLLECT {
         MATCH (n)<-[:MEMBER]-(:Membership)-[:POST]->(:Post)-[:POST_IN]->(b)
         RETURN DISTINCT b {.id, .name, relation: 'HOLDS_POST_IN', direction: 'out'} AS body
         UNION
         MATCH (n)-[r:PART_OF_STATE|SUB_ORGANIZATION_OF|MEMBER_STATE]-(b)
         WHERE b:PublicBody OR b:Organization OR b:State
         RETURN DISTINCT b {.id, .name, relation: type(r),
                            direction: CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END} AS body
       } AS bodies,
       COLLECT {
         MATCH (n)<-[r:SIGNATORY|SIGNED_BY|CONCERNS|TREATY]-(a)
         WHERE a:Agreement OR a:Ratification
         WITH coalesce([(a)-[:TREATY]->(x) | x][0], a) AS a
         RETURN DISTINCT a {.id, .name, .date, .datePrecision} AS treaty ORDER BY treaty.id
       } AS treaties,
       COLLECT {
         MATCH (n)<-[r:PARTICIPANT|HOST|VISITOR|CONCERNS|STATE|TARGET]-(e:Event)
         RETURN DISTINCT e {.id, .name, .date, .datePrecision, .startDate, .startDatePrecision, .ongoing,
                            kind: e.kind,
                            disputed: coalesce(e.status = 'disputed', false) OR EXISTS { MATCH (e)-[:SUPPORTED_BY]->(dc:Claim) WHERE dc.stance IN ['denies', 'declines_to_confirm'] OR EXISTS { (dc)-[:DISPUTES]-(:Claim) } }} AS event
         ORDER BY coalesce(event.date, event.startDate), event.id
       } AS events,
       COLLECT {
         MATCH (n)<-[r:FROM|TO]-(t:Transfer)
         OPTIONAL MATCH (t)-[:OF_CATEGORY]->(c:Category)
         RETURN {id: t.id, direction: CASE type(r) WHEN 'FROM' THEN 'outgoing' ELSE 'incoming' END,
                 category: c.id, disputed: coalesce(t.status = 'disputed', false) OR EXISTS { MATCH (t)-[:SUPPORTED_BY]->(dc:Claim) WHERE dc.stance IN ['denies', 'declines_to_confirm'] OR EXISTS { (dc)-[:DISPUTES]-(:Claim) } }} AS transfer
         ORDER BY transfer.id
       } AS transfers,
       // a port, vessel or place: the shipments that leave, reach, pass or carry it
       COLLECT {
         MATCH (n)<-[r:ORIGIN|DESTINATION|WAYPOINT|VESSEL]-(s:Shipment)
         WITH s, collect(DISTINCT toLower(type(r))) AS roles
         RETURN s {.id, .name, .date, .datePrecision, .startDate, .startDatePrecision, .endDate, .endDatePrecision, .ongoing,
                   roles: roles, disputed: coalesce(s.status = 'disputed', false) OR EXISTS { MATCH (s)-[:SUPPORTED_BY]->(dc:Claim) WHERE dc.stance IN ['denies', 'declines_to_confirm'] OR EXISTS { (dc)-[:DISPUTES]-(:Claim) } }} AS shipment
         ORDER BY coalesce(shipment.date, shipment.startDate), shipment.id
       } AS shipments,
       COUNT { (n)-[:SUPPORTED_BY]->(:Claim) } AS claims
