"""Every id lookup and date-range filter of the canned queries is answered from an index (issue 8).

``EXPLAIN`` on the curated graph: the plan of each case must contain an index seek (``NodeUniqueIndexSeek`` on
``:Rdkg(id)`` for ids, ``NodeIndexSeekByRange`` on ``periodStart``/``periodEnd`` for date ranges) and, for the
anchored cases, no label scan — so their cost does not grow with the graph (the 1000x numbers are in
docs/benchmarks.md §2). One plan serves every parameter combination of a query, so EXPLAIN with the case's
parameters shows the plan that runs.
"""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver, Query

from graph.settings import Settings
from loaders.result import LoadResult
from queries.registry import Registry
from queries.runner import bind_text

#: case → (query, text parameters, index operators that must appear, whether a label scan is acceptable)
CASES: dict[str, tuple[str, dict[str, str], set[str], bool]] = {
    "flows between two states": ("flows", {"from": "PRK", "to": "RUS", "since": "2023-01-01"},
                                 {"NodeUniqueIndexSeek"}, False),
    "flows by period only": ("flows", {"since": "2024-01-01", "until": "2024-12-31"},
                             {"NodeIndexSeekByRange"}, False),
    "flow totals": ("flow_totals", {"from": "PRK", "since": "2023"}, {"NodeUniqueIndexSeek",
                                                                            "NodeIndexSeekByRange"}, False),
    "timeline by period": ("timeline", {"since": "2024", "until": "2024"}, {"NodeIndexSeekByRange"}, False),
    "timeline by participant": ("timeline", {"participant": "kim-jong-un"}, {"NodeUniqueIndexSeek"}, False),
    "meetings by period": ("meetings", {"since": "2025-05", "until": "2025-05"}, {"NodeIndexSeekByRange"}, False),
    "meetings with a participant": ("meetings", {"participant": "vladimir-putin"}, {"NodeUniqueIndexSeek"}, False),
    "entity profile": ("entity_profile", {"id": "PRK"}, {"NodeUniqueIndexSeek"}, False),
    # one flow: a seek; the formerId branch (a scan of the flows) runs only when the seek finds no flow
    "one flow": ("flow", {"id": "transfer-prk-rus-munitions-containers"}, {"NodeUniqueIndexSeek"}, True),
    "claims about": ("claims_about", {"id": "transfer-prk-rus-munitions-containers"}, {"NodeUniqueIndexSeek"},
                     False),
    "source document": ("source_document", {"id": "source-s01"}, {"NodeUniqueIndexSeek"}, False),
    "neighbours": ("neighbours", {"id": "PRK"}, {"NodeUniqueIndexSeek"}, False),
    "node ref": ("node_ref", {"id": "PRK"}, {"NodeUniqueIndexSeek"}, False),
    "paths": ("shortest_paths", {"from": "vladimir-putin", "to": "kim-jong-un"}, {"NodeUniqueIndexSeek"},
              False),
    # "list all" branches scan their (small) label when no party / resolution is given; the anchored branch seeks.
    "treaties of a party": ("treaties", {"signatory": "PRK"}, {"NodeUniqueIndexSeek"}, True),
    "votes of a state": ("votes", {"voter": "RUS"}, {"NodeUniqueIndexSeek"}, True),
    "disputes about a node": ("disputes", {"about": "vitaly-shulika"}, {"NodeUniqueIndexSeek"}, True),
}


def operators(plan: Any) -> set[str]:
    ops = {plan.get("operatorType", "").split("@")[0]}
    for child in plan.get("children", []):
        ops |= operators(child)
    return ops


@pytest.mark.parametrize("case", sorted(CASES))
def test_lookups_use_index_seeks(case: str, curated_graph: LoadResult, neo4j_driver: Driver,
                                 neo4j_settings: Settings) -> None:
    name, raw, wanted, scan_ok = CASES[case]
    query = Registry.load().get(name)
    _, summary, _ = neo4j_driver.execute_query(Query("EXPLAIN " + query.text), bind_text(query, raw),  # type: ignore[arg-type]
                                               database_=neo4j_settings.neo4j_database)
    ops = operators(summary.plan)
    assert wanted <= ops, f"{case}: no {sorted(wanted - ops)} in {sorted(ops)}"
    assert any("IndexSeek" in op for op in ops)
    if not scan_ok:
        assert not ops & {"AllNodesScan", "NodeByLabelScan"}, f"{case}: scans in {sorted(ops)}"
