"""The dry run: the data mapped in memory and compared with the graph (by :mod:`loaders.diff`'s rule), counted as
a :class:`loaders.result.LoadResult` — inside one read transaction, nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from neo4j import ManagedTransaction, Session

from graph.contract import Mapping
from loaders import cypher, guard
from loaders.diff import labels_to_drop, read_state
from loaders.result import LoadResult, counts
from loaders.rows import NodeRow, map_files


def dry_run(session: Session, files: list[Path], mapping: Mapping) -> LoadResult:
    """What loading ``files`` would change, and the counts of the graph it would leave."""
    rows, triples = map_files(files, mapping)
    result = counts(rows, triples, files)
    plan = session.execute_read(read_plan, rows, mapping)
    plan_counts(result, plan, session.execute_read(count_removed_relationships, plan))
    result.removal = guard.removal(plan.delete_labels, plan.existing, mapping)
    return result


@dataclass
class Plan:
    """The difference between the data and the graph."""

    create: list[NodeRow] = field(default_factory=list)
    update: list[tuple[NodeRow, list[str]]] = field(default_factory=list)  # (row, labels to drop)
    delete: list[str] = field(default_factory=list)
    delete_labels: list[list[str]] = field(default_factory=list)
    existing: int = 0
    unchanged: int = 0


def read_plan(tx: ManagedTransaction, rows: list[NodeRow], mapping: Mapping) -> Plan:
    existing = read_state(tx)
    plan = Plan(existing=len(existing))
    for row in rows:
        old = existing.pop(row.uri, None)
        if old is None:
            plan.create.append(row)
        elif (drop := labels_to_drop(row, old, mapping)) is not None:
            plan.update.append((row, drop))
        else:
            plan.unchanged += 1
    plan.delete = sorted(existing)
    plan.delete_labels = [existing[uri][1] for uri in plan.delete]
    return plan


def count_removed_relationships(tx: ManagedTransaction, plan: Plan) -> int:
    updated = [row.uri for row, _ in plan.update]
    return len(list(tx.run(cypher.REMOVED_RELATIONSHIPS, updated=updated, deleted=plan.delete)))


def plan_counts(result: LoadResult, plan: Plan, removed_relationships: int) -> None:
    result.nodes_created = len(plan.create)
    result.nodes_updated = len(plan.update)
    result.nodes_deleted = len(plan.delete)
    result.nodes_unchanged = plan.unchanged
    result.relationships_created = sum(len(r.rels) for r in plan.create) + sum(len(r.rels) for r, _ in plan.update)
    result.relationships_deleted = removed_relationships
