#!/usr/bin/env bash
# Cost of masking secrets in log lines (dev.emailchannel.bench.LogMaskingBenchmark). Usage: bench/log-masking.sh [mailboxes]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh ""   # no profile (a bare `source` would pass this script's arguments on)
exec java -cp "$CP" dev.emailchannel.bench.LogMaskingBenchmark "$@"
