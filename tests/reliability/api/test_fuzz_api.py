"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis), against the curated graph.

For every operation in ``/openapi.json``, schemathesis generates requests that fit the schema (positive) and
requests that break it (negative), sends them through the ASGI app with its lifespan running (one driver, the real
test Neo4j) and checks each response: no 5xx, a status code the schema documents, the documented content type,
a body that validates against the documented model, and negative data rejected with a 4xx. The number of requests
tried is printed in the "reliability figures" summary.

Bounded for ``make test``: ``RDKG_FUZZ_EXAMPLES`` examples per operation and mode (default 10; the long run in
docs/reliability.md uses 200).
"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.settings import ApiSettings
from tests.reliability.support import report

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("RDKG_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]


@pytest.mark.timeout(3600)
def test_fuzzing_every_operation_finds_no_server_error_and_no_schema_violation(api_settings: ApiSettings) -> None:
    app = create_app(api_settings)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    began = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, statuses)
            except Unsatisfiable:
                continue  # nothing in this operation can be made invalid (no parameters, or only free text)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 — collect them all, report together
                failures.append(f"{operation.label} [{mode.value}]: {type(exc).__name__}: {exc}"[:2000])
    total = sum(statuses.values())
    report(f"fuzzing: {total} requests over {len(operations)} operations x 2 modes in "
           f"{time.monotonic() - began:.0f}s, statuses {dict(sorted(statuses.items()))}")
    assert not failures, "\n\n".join(failures)
    assert total >= len(operations) * 2, "schemathesis sent fewer requests than operations"
    assert not [code for code in statuses if code >= 500], statuses


def _fuzz(operation: APIOperation, mode: GenerationMode, statuses: Counter[int]) -> None:
    checks = CHECKS if mode is GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: schemathesis.Case) -> None:
        response = case.call()
        statuses[response.status_code] += 1
        case.validate_response(response, checks=checks)

    fuzz()
