"""Dedicated Neo4j instances for the benchmarks — never the dev, test or API instance.

Each bench instance is a managed ``LocalNeo4j`` (graph/server.py) with its own name, data directory and ports.

"Fresh database" before each run is ``wipe()``: delete every node in transactions of 10,000, drop every
constraint and index (except Neo4j's two token-lookup indexes) and clear the query caches. A restart with an
empty ``data/`` directory (``fresh()``) would also reset the page cache and store files, but on this 2-core
machine a start takes 45–70 s, which would dominate the benchmark's wall time; both loaders get the same wipe.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass

from neo4j import Driver

from graph.db import driver as open_driver
from graph.db import local_server
from graph.settings import Settings


@dataclass(frozen=True)
class BenchInstance:
    name: str = "bench"
    bolt_port: int = 7697
    http_port: int = 7484
    heap: str = "3g"
    pagecache: str = "2g"
    tx_memory: str = "3g"

    def settings(self) -> Settings:
        return Settings(
            neo4j_uri=None,
            neo4j_password=None,
            neo4j_database="neo4j",
            local_instance=self.name,
            local_bolt_port=self.bolt_port,
            local_http_port=self.http_port,
            local_heap=self.heap,
            local_pagecache=self.pagecache,
            local_tx_memory=self.tx_memory,
        )

    def cli_args(self) -> list[str]:
        return ["--instance", self.name, "--bolt-port", str(self.bolt_port), "--http-port", str(self.http_port)]

    def start(self) -> None:
        local_server(self.settings()).start()

    def stop(self) -> None:
        local_server(self.settings()).stop()

    def fresh(self) -> None:
        """Stop, wipe the data directory (and the password of the wiped system database), start."""
        server = local_server(self.settings())
        server.stop()
        shutil.rmtree(server.home / "data", ignore_errors=True)
        server.password_file.unlink(missing_ok=True)
        server.start()

    def wipe(self) -> None:
        """Empty the database: nodes, relationships, constraints, indexes, query caches."""
        with self.driver() as drv:
            with drv.session(database="neo4j") as session:  # CALL … IN TRANSACTIONS needs an auto-commit tx
                session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            for name in _names(drv, "SHOW CONSTRAINTS YIELD name RETURN name"):
                drv.execute_query(f"DROP CONSTRAINT `{name}` IF EXISTS", database_="neo4j")
            for name in _names(drv, "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
                drv.execute_query(f"DROP INDEX `{name}` IF EXISTS", database_="neo4j")
            drv.execute_query("CALL db.clearQueryCaches()", database_="neo4j")

    def driver(self) -> Driver:
        return open_driver(self.settings())

    def server_pid(self) -> int:
        pid = local_server(self.settings()).status().pid
        if pid is None:
            raise RuntimeError(f"bench Neo4j {self.name!r} is not running")
        return pid

    def password(self) -> str:
        return local_server(self.settings()).password()


def _names(drv: Driver, query: str) -> list[str]:
    return [r["name"] for r in drv.execute_query(query, database_="neo4j").records]


def instance_from_args(name: str, bolt_port: int, http_port: int) -> BenchInstance:
    return BenchInstance(name=name, bolt_port=bolt_port, http_port=http_port)


def graph_counts(driver: Driver, database: str = "neo4j") -> dict[str, int]:
    """Nodes, relationships, distinct labels / types and node properties — to compare loaders' graphs."""
    records, _, _ = driver.execute_query(
        "MATCH (n) RETURN count(n) AS nodes, sum(size(keys(n))) AS props", database_=database
    )
    nodes, props = records[0]["nodes"], records[0]["props"] or 0
    rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n", database_=database).records[0]["n"]
    labels = driver.execute_query("CALL db.labels() YIELD label RETURN count(label) AS n",
                                  database_=database).records[0]["n"]
    types = driver.execute_query("CALL db.relationshipTypes() YIELD relationshipType RETURN count(*) AS n",
                                 database_=database).records[0]["n"]
    return {"nodes": nodes, "relationships": rels, "node_properties": props, "labels": labels, "rel_types": types}


def graph_hash(driver: Driver, database: str = "neo4j") -> str:
    """SHA-256 of the whole database as sorted canonical JSON lines (the reliability tests' dump,
    ``tests/reliability/support.dump``), leaving out the load state's ``loadedAt`` (a clock time)."""
    nodes = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props",
                                 database_=database).records
    lines = []
    for record in nodes:
        props = dict(record["props"])
        props.pop("loadedAt", None)
        lines.append(json.dumps({"labels": sorted(record["labels"]), "props": props}, sort_keys=True,
                                ensure_ascii=False, default=str))
    del nodes
    lines.sort()
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN coalesce(a.uri, a.id, elementId(a)) AS s, type(r) AS type, "
        "properties(r) AS props, coalesce(b.uri, b.id, elementId(b)) AS o", database_=database).records
    rel_lines = sorted(json.dumps(r.data(), sort_keys=True, ensure_ascii=False, default=str) for r in rels)
    text = "\n".join(["# nodes", *lines, "# relationships", *rel_lines])
    return hashlib.sha256(text.encode()).hexdigest()
