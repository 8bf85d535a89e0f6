"""Serve the real API or the naive baseline on loopback for the API benchmark (``python -m bench.serve``).

``python -m bench.serve api --port 8101 [--workers 2] [--no-rust]`` serves ``api.app:create_app`` against a bench
Neo4j instance (``--instance/--bolt-port/--http-port``, default the 1x instance); ``naive`` serves
``bench.naive_api``. ``--no-rust`` hides neo4j-rust-ext from the driver (single worker only: uvicorn's worker
processes start fresh interpreters).

``--no-cache`` serves the API with its response cache off (``RDKG_API_CACHE=0``: every request runs its queries;
ETags still come from the graph version, so ``If-None-Match`` still gets a 304 without a query). One *experiment*
(single worker; it patches the app object in this process only, never the files in api/):
``--strip-caching`` removes the ``CachingMiddleware`` (ETags, 304s, the response cache) from the stack.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import uvicorn

from bench.query_bench import INSTANCES
from bench.server import BenchInstance


def _instance_env(inst: BenchInstance) -> None:
    os.environ.pop("NEO4J_URI", None)
    os.environ["RDKG_NEO4J_INSTANCE"] = inst.name
    os.environ["RDKG_NEO4J_BOLT_PORT"] = str(inst.bolt_port)
    os.environ["RDKG_NEO4J_HTTP_PORT"] = str(inst.http_port)


def _api_app(strip_caching: bool) -> Any:
    from api.app import create_app

    app = create_app()
    if strip_caching:
        app.user_middleware = [m for m in app.user_middleware
                               if getattr(m.cls, "__name__", "") != "CachingMiddleware"]
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", choices=["api", "naive"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-rust", action="store_true")
    parser.add_argument("--scale", default="1x", choices=sorted(INSTANCES))
    parser.add_argument("--strip-caching", action="store_true")
    parser.add_argument("--no-cache", action="store_true", help="RDKG_API_CACHE=0")
    args = parser.parse_args(argv)
    if args.no_rust:
        if args.workers > 1:
            parser.error("--no-rust works with one worker only")
        sys.modules["neo4j._codec.packstream._rust"] = None  # type: ignore[assignment]
    inst = INSTANCES[args.scale]
    _instance_env(inst)
    if args.no_cache:
        os.environ["RDKG_API_CACHE"] = "0"
    common = {"host": "127.0.0.1", "port": args.port, "log_level": "warning", "access_log": False}
    if args.app == "api":
        if args.workers > 1:
            uvicorn.run("api.app:create_app", factory=True, workers=args.workers, **common)  # type: ignore[arg-type]
        else:
            uvicorn.run(_api_app(args.strip_caching), **common)  # type: ignore[arg-type]
    else:
        from bench.naive_api import create_naive_app

        uvicorn.run(create_naive_app(inst.settings()), **common)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
