#!/usr/bin/env bash
# The benchmark suite (make bench / make bench-quick). Usage: bench/run.sh [full|quick]
# full : loader at 10^4, 10^5, 10^6 triples (3 runs; rdkg rebuild at 10^6 and 10^5), queries at 1x/100x/1000x, API overhead (3 rounds).
# quick: loader at 10^4 (1 run), queries at 1x (1 round), API overhead (1 round, short), dashboard (2 rounds).
# BENCH_1000X=0 skips the 1000x graph (≈5.35 M triples: ≈4 GB for the loader plus a 6 GB-heap Neo4j).
# Results: bench/out/*.md (tables), *.json / *.jsonl (raw), profile/ (PROFILE plans). See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
MODE=${1:-full}
OUT=bench/out
mkdir -p "$OUT" bench/data

gen() { [ -s "bench/data/$1.ttl" ] || "$PY" -m bench.generate "${@:2}" --out "bench/data/$1.ttl"; }
LOADERS=(--config rdkg-novalidate --config rdkg-novalidate+norust --config rdkg+reload
         --config rdflib-neo4j:5000+norust --config rdflib-neo4j:20000+norust)
BASE=rdflib-neo4j:20000+norust

if [ "$MODE" = quick ]; then
  gen t1e4 --triples 10000
  gen x1 --copies 1
  "$PY" -m bench.loader_bench --file bench/data/t1e4.ttl --runs 1 "${LOADERS[@]}" --baseline "$BASE" \
      --log "$OUT/loader-quick.jsonl" | tee "$OUT/loader-quick.md"
  "$PY" -m bench.query_bench prepare --scale 1x=bench/data/x1.ttl
  "$PY" -m bench.query_bench measure --scale 1x --rounds 1 --iterations 10 --out "$OUT/queries-quick.json" \
      | tee "$OUT/queries-quick.md"
  "$PY" -m bench.api_bench --rounds 1 --c1-requests 50 --c32-seconds 2 --cases 1 --out "$OUT/api-quick.json" \
      | tee "$OUT/api-quick.md"
  "$PY" -m bench.dashboard_bench --rounds 2 --out "$OUT/dashboard-quick.json" | tee "$OUT/dashboard-quick.md"
  exit 0
fi

gen t1e4 --triples 10000
gen t1e5 --triples 100000
gen t1e6 --triples 1000000
gen x1 --copies 1
gen x100 --copies 100
SCALES=(--scale 1x --scale 100x)
PREP=(--scale 1x=bench/data/x1.ttl --scale 100x=bench/data/x100.ttl)
if [ "${BENCH_1000X:-1}" != 0 ]; then
  gen x1000 --copies 1000
  SCALES+=(--scale 1000x)
  PREP+=(--scale 1000x=bench/data/x1000.ttl)
  # the 1000x graph: rebuild vs rdflib-neo4j (+ the transactional loader with BENCH_1000X_TX=1: ≈20 min or more,
  # and it needs a bigger bench heap: --heap 10g --tx-memory 9g)
  X1000=(--config "$BASE" --config rdkg-rebuild)
  [ "${BENCH_1000X_TX:-0}" != 0 ] && X1000+=(--config rdkg-novalidate --heap 10g --tx-memory 9g)
  "$PY" -m bench.loader_bench --file bench/data/x1000.ttl --runs 1 "${X1000[@]}" --baseline "$BASE" \
      --log "$OUT/rebuild-1000x.jsonl" | tee "$OUT/rebuild-1000x.md"
fi
"$PY" -m bench.loader_bench --file bench/data/t1e4.ttl --file bench/data/t1e5.ttl --runs 3 "${LOADERS[@]}" \
    --baseline "$BASE" --log "$OUT/loader.jsonl" | tee "$OUT/loader.md"
# 10^6 side by side: rdflib-neo4j, the transactional loader, rdkg rebuild (+ the importer's own time: the floor);
# the rebuild's graph hash is compared with the transactional load's (column "= load"). 10^5 once more for the
# rebuild's memory at a tenth of the input (it must stay flat).
"$PY" -m bench.loader_bench --file bench/data/t1e6.ttl --runs 3 --config "$BASE" --config rdkg-novalidate \
    --config rdkg-rebuild --baseline "$BASE" --log "$OUT/loader-1e6.jsonl" | tee "$OUT/loader-1e6.md"
"$PY" -m bench.loader_bench --file bench/data/t1e5.ttl --runs 1 --config "$BASE" --config rdkg-rebuild \
    --baseline "$BASE" --log "$OUT/rebuild-1e5.jsonl" | tee "$OUT/rebuild-1e5.md"
"$PY" -m bench.query_bench prepare "${PREP[@]}"
"$PY" -m bench.query_bench measure "${SCALES[@]}" --rounds 3 --iterations 30 | tee "$OUT/queries.md"
"$PY" -m bench.api_bench --rounds 3 --c1-requests 200 --c32-seconds 5 | tee "$OUT/api.md"
"$PY" -m bench.dashboard_bench --rounds 5 | tee "$OUT/dashboard.md"
