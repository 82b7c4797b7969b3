#!/usr/bin/env bash
# Do committed inbox and outbox steps survive kill -9 of the process? (dev.emailchannel.bench.StoreKillBenchmark; see
# bench/README.md, "Store durability under kill -9"). Usage: bench/store-kill.sh [rounds=10] [jdbc-url]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh ""   # no profile (a bare `source` would pass this script's arguments on)
exec java -cp "$CP" dev.emailchannel.bench.StoreKillBenchmark "$@"
