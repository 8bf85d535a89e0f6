# rdkg — two commands do everything: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench bench-quick reliability browser-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

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
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	PY=$(BIN)/python bench/run.sh full

bench-quick: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	PY=$(BIN)/python bench/run.sh quick

## make reliability: long fuzzing, the full injection corpus, every kill point (+ random ones), then the bounded
## loopback load ladder on its own Neo4j instance; figures in docs/reliability.md.
reliability: $(STAMP) browser-deps
	RDKG_RELIABILITY_LONG=1 RDKG_FUZZ_EXAMPLES=100 $(BIN)/python -m pytest tests/reliability $(PYTEST_ARGS)
	$(BIN)/python -m bench.loadtest.run --instance loadtest --steps 1,2,4,8,16,32 --seconds 20
