#!/usr/bin/env bash
# The inbox's and the outbox's lookups per new mail and per reply as their history grows
# (dev.emailchannel.bench.HistoryBenchmark; see bench/README.md, "Lookups that read the whole history").
# Usage: bench/history.sh [h2|postgresql] [sizes=1000,10000,100000]
# (postgresql: the PostgreSQL of TestDatabases, 127.0.0.1:5432, database test; a fresh schema per run)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh ""   # no profile (a bare `source` would pass this script's arguments on)
exec java -cp "$CP" ${BENCH_OPTIONS:-} dev.emailchannel.bench.HistoryBenchmark "$@"
