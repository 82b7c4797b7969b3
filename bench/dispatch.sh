#!/usr/bin/env bash
# The dispatcher alone on the inbox, with and without claims ahead of its workers (dev.emailchannel.bench.DispatchBenchmark;
# see bench/README.md, "Dispatch: claims ahead"). Usage: bench/dispatch.sh [rounds=5] [h2|postgresql]
# (postgresql: the PostgreSQL of TestDatabases, 127.0.0.1:5432, database test; a fresh schema per run)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh ""   # no profile (a bare `source` would pass this script's arguments on)
exec java -cp "$CP" ${BENCH_OPTIONS:-} dev.emailchannel.bench.DispatchBenchmark "$@"
