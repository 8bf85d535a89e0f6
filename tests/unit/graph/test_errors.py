"""The one error root: every error the project raises on purpose is an ``RdkgError`` and knows its HTTP status,
its CLI exit code and its code; the API's handler table and the CLI's (``graph.errors.exit_on_error``) answer with
them. The table below walks every error class; a class missing from it, or one that does not name its own code,
fails ``test_every_error_class_is_in_the_table``.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rich.console import Console

import api.browser_routes
import api.errors
import api.resolve
import api.warmup
import graph.errors
import graph.storeswap
import loaders.csv_loader
import loaders.cypher
import loaders.guard
import loaders.history
import loaders.importfiles
import loaders.inputs
import loaders.rebuild
import loaders.release
import loaders.report
import loaders.rows
import loaders.validation
import queries.registry
from graph.errors import RdkgError, exit_on_error

PACKAGES = ("api", "graph", "loaders", "queries")
REPORT = loaders.report.ValidationReport(False, [loaders.report.Violation(
    "id:t1", "rdkg:from", "a Transfer needs rdkg:from", "Violation", None, "data/x.ttl")], [], 1, 1)
REMOVAL = loaders.guard.Removal(deleted=40, existing=100, kinds={"Claim": 40}, source_documents=0)

#: class → (HTTP status, exit code, code, a typical instance)
TABLE: dict[type[RdkgError], tuple[int, int, str, Callable[[], RdkgError]]] = {
    RdkgError: (500, 1, "internal_error", lambda: RdkgError("something failed")),
    graph.errors.InvalidParameter: (422, 2, "invalid_parameter", lambda: graph.errors.InvalidParameter(
        "limit", "500 is above the maximum page size 200")),
    api.resolve.AmbiguousReference: (422, 2, "invalid_parameter", lambda: api.resolve.AmbiguousReference(
        "from", "'Korea' names several nodes: KOR, PRK")),
    graph.errors.GraphError: (500, 3, "graph_error", lambda: graph.errors.GraphError("Neo4j failed")),
    graph.errors.GraphUnavailable: (503, 3, "graph_unavailable", lambda: graph.errors.GraphUnavailable(
        "Neo4j is unreachable: ServiceUnavailable")),
    graph.errors.QueryFailed: (503, 3, "query_failed", lambda: graph.errors.QueryFailed(
        "Neo4j failed the statement (Neo.TransientError.General.OutOfMemoryError)")),
    graph.errors.QueryTimeout: (503, 3, "query_timeout", lambda: graph.errors.QueryTimeout(
        "the query ran past the transaction timeout")),
    graph.errors.QueryBug: (500, 1, "query_error", lambda: graph.errors.QueryBug(
        "Neo4j refused the statement as written (Neo.ClientError.Statement.SyntaxError)")),
    graph.errors.PrerequisiteMissing: (500, 3, "prerequisite_missing", lambda: graph.errors.PrerequisiteMissing(
        "java not found")),
    graph.errors.LocalServerError: (500, 3, "local_server_error", lambda: graph.errors.LocalServerError(
        "Neo4j did not start")),
    graph.storeswap.SwapFailed: (500, 3, "swap_failed", lambda: graph.storeswap.SwapFailed("no new store")),
    api.errors.NotFound: (404, 1, "not_found", lambda: api.errors.NotFound("no node id:XYZ")),
    api.errors.LimitExceeded: (413, 1, "request_too_large", lambda: api.errors.LimitExceeded("too many ids")),
    api.errors.NotAcceptable: (406, 1, "not_acceptable", lambda: api.errors.NotAcceptable("text/csv")),
    api.errors.UriTooLong: (414, 1, "uri_too_long", lambda: api.errors.UriTooLong(
        "request URL is 9000 bytes; the limit is 8192")),
    api.errors.KnowledgeBaseUnavailable: (503, 1, "knowledge_base_unavailable",
                                          lambda: api.errors.KnowledgeBaseUnavailable("cannot read data/")),
    api.warmup.WarmingUp: (503, 3, "warming_up", lambda: api.warmup.WarmingUp(
        "planning the canned queries after connecting to Neo4j: 12 of 48 done")),
    api.errors.DataDiffersFromGraph: (409, 1, "data_differs_from_graph", lambda: api.errors.DataDiffersFromGraph(
        "the RDF files in data/ are not the data the graph was loaded from")),
    api.browser_routes.GuideError: (500, 1, "guide_error", lambda: api.browser_routes.GuideError("no [[slides]]")),
    queries.registry.QueryFileError: (500, 1, "query_file_error", lambda: queries.registry.QueryFileError(
        "flows.cypher: $since used but not declared")),
    queries.registry.UnknownQuery: (404, 2, "unknown_query", lambda: queries.registry.UnknownQuery(
        "no canned query 'nope'")),
    graph.errors.DataFileError: (422, 2, "unreadable_input", lambda: graph.errors.DataFileError(
        Path("data/x.ttl"), 6, "Turtle syntax error: bad")),
    loaders.csv_loader.CsvError: (422, 2, "invalid_csv", lambda: loaders.csv_loader.CsvError(
        Path("bad.csv"), ["bad.csv:2: column quantity_min: not a number"])),
    loaders.validation.ValidationFailed: (422, 1, "validation_failed", lambda: loaders.validation.ValidationFailed(
        REPORT)),
    loaders.rows.UnknownTermsError: (422, 1, "unknown_terms", lambda: loaders.rows.UnknownTermsError(
        ["<https://w3id.org/rdkg/id/x>: unknown property rdkg:nickname"])),
    loaders.cypher.IdentifierRefused: (500, 1, "identifier_refused", lambda: loaders.cypher.IdentifierRefused(
        "'Bogus' is not a label/relationship type defined by the ontology")),
    loaders.guard.RemovalRefused: (409, 4, "removal_refused", lambda: loaders.guard.RemovalRefused(REMOVAL)),
    loaders.release.ReleaseError: (404, 2, "release_error", lambda: loaders.release.ReleaseError(
        "no release '1999.12'")),
    loaders.history.UndoUnavailable: (409, 5, "undo_unavailable", lambda: loaders.history.UndoUnavailable(
        "nothing to undo")),
    loaders.importfiles.ImportFileError: (500, 1, "import_file_error", lambda: loaders.importfiles.ImportFileError(
        "unsupported property value")),
    loaders.rebuild.UnmanagedServer: (500, 3, "unmanaged_server", lambda: loaders.rebuild.UnmanagedServer(
        "bolt://example.org:7687")),
    loaders.rebuild.RebuildFailed: (500, 3, "rebuild_failed", lambda: loaders.rebuild.RebuildFailed(
        "import", "neo4j-admin failed")),
}


#: subclasses that answer with their parent's code on purpose (a client handles them alike)
SAME_CODE_AS_PARENT = {api.resolve.AmbiguousReference}


def _all_error_classes() -> set[type[RdkgError]]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            importlib.import_module(info.name)
    found: set[type[RdkgError]] = set()
    todo = [RdkgError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return {cls for cls in found if cls.__module__.split(".")[0] in PACKAGES}


def test_every_error_class_is_in_the_table() -> None:
    missing = sorted(cls.__qualname__ for cls in _all_error_classes() - TABLE.keys())
    assert not missing, f"error classes without a row in TABLE (status, exit code, code): {missing}"
    unnamed = sorted(cls.__qualname__ for cls in TABLE if cls is not RdkgError and "code" not in vars(cls)
                     and cls not in SAME_CODE_AS_PARENT)
    assert unnamed == [], f"error classes that do not name their own code: {unnamed}"


@pytest.mark.parametrize("cls", list(TABLE), ids=lambda cls: cls.__qualname__)
def test_each_error_knows_its_status_exit_code_and_code(cls: type[RdkgError]) -> None:
    status, exit_code, code, make = TABLE[cls]
    exc = make()
    assert type(exc) is cls
    assert (exc.status_code, exc.exit_code, exc.code) == (status, exit_code, code)


@pytest.mark.parametrize("cls", list(TABLE), ids=lambda cls: cls.__qualname__)
def test_the_api_answers_an_error_with_its_status_code_and_message(cls: type[RdkgError]) -> None:
    status, _, code, make = TABLE[cls]
    app = FastAPI()
    api.errors.install_handlers(app)

    @app.get("/fail")
    async def fail() -> None:
        raise make()

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/fail")
    assert r.status_code == status, r.text
    assert r.json() == {"error": code, "detail": str(make())}


@pytest.mark.parametrize("cls", list(TABLE), ids=lambda cls: cls.__qualname__)
def test_every_command_exits_with_the_errors_code_and_prints_its_message(cls: type[RdkgError]) -> None:
    _, exit_code, _, make = TABLE[cls]
    out = io.StringIO()
    with pytest.raises(typer.Exit) as exited, exit_on_error(Console(file=out, width=400), "nothing was written"):
        raise make()
    assert exited.value.exit_code == exit_code
    text = " ".join(out.getvalue().split())
    assert "Traceback" not in text and "nothing was written" in text.lower()
    if cls is loaders.validation.ValidationFailed:
        assert "a Transfer needs rdkg:from" in text and "data/x.ttl" in text
    elif cls is loaders.rows.UnknownTermsError:
        assert "refused: <https://w3id.org/rdkg/id/x>: unknown property rdkg:nickname" in text
    else:
        assert " ".join(str(make()).split()) in text

