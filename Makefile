# rdkg — two commands do everything: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every install takes its versions from the lock (pip, setuptools, every package): the versions the tests passed
# with. `make lock` refreshes it; see README "Installing".
LOCK := requirements.lock
PIP_INSTALL := PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install -q -c $(LOCK)
LOCK_ARGS ?=

.PHONY: run test install lock audit lint bench bench-quick reliability browser-deps

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP_INSTALL) pip setuptools
	$(PIP_INSTALL) --build-constraint $(LOCK) -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make lock: re-resolve requirements.lock from pyproject.toml (+ requirements-build.in) with uv, for Python 3.11 on
## every platform. Existing pins are kept unless pyproject needs otherwise; LOCK_ARGS=--upgrade moves everything to
## the newest allowed versions, LOCK_ARGS="--upgrade-package NAME" one package. Then `make install` and `make test`.
lock:
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install -q $$(test -f $(LOCK) && echo -c $(LOCK)) uv
	$(BIN)/uv pip compile --quiet --custom-compile-command "make lock" --universal --python-version 3.11 --all-extras $(LOCK_ARGS) \
		pyproject.toml requirements-build.in -o $(LOCK)

## make audit: the locked versions checked for known vulnerabilities (pip-audit, --strict); reviewed exceptions in
## audit-exceptions.toml. AUDIT_ARGS="--service osv" uses OSV instead of PyPI. See docs/reliability.md.
AUDIT_ARGS ?=
audit: $(STAMP)
	$(BIN)/python tools/audit_deps.py $(LOCK) $(AUDIT_ARGS)


## make run: start Neo4j (unless NEO4J_URI points at a reachable one), apply the schema, load data/, serve the API.
run: $(STAMP)
	$(BIN)/rdkg run

## make test: the whole suite against a real Neo4j that the test session starts (and stops) on its own ports.
test: $(STAMP) browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Headless Chromium for the Neo4j Browser check (Debian's package; the script skips what is already there).
browser-deps:
	@if [ -x tests/browser/install-chromium.sh ]; then tests/browser/install-chromium.sh; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## make bench: loader vs rdflib-neo4j, query scaling, API overhead (not part of make test); see docs/benchmarks.md.
## BENCH_1000X=0 make bench skips the 1000x graph.
bench: $(STAMP)
	$(PIP_INSTALL) --build-constraint $(LOCK) -e '.[dev,bench]'
	PY=$(BIN)/python bench/run.sh full

bench-quick: $(STAMP)
	$(PIP_INSTALL) --build-constraint $(LOCK) -e '.[dev,bench]'
	PY=$(BIN)/python bench/run.sh quick

## make reliability: long fuzzing, the full injection corpus, every kill point (+ random ones), the bounded
## loopback load ladder, then the 30-minute soak with a Neo4j restart and a full reload (SOAK_MINUTES=…), each on its
## own Neo4j instance; figures in docs/reliability.md.
SOAK_MINUTES ?= 30
reliability: $(STAMP) browser-deps
	RDKG_RELIABILITY_LONG=1 RDKG_FUZZ_EXAMPLES=100 $(BIN)/python -m pytest tests/reliability $(PYTEST_ARGS)
	$(BIN)/python -m bench.loadtest.run --instance loadtest --steps 1,2,4,8,16,32 --seconds 20
	$(BIN)/python -m bench.soak.run --instance soak --minutes $(SOAK_MINUTES)
