#!/usr/bin/env bash
# Accuracy + speed benchmark of the quote stripper against ../shared/corpora (see bench/README.md).
# Usage: bench/quote-corpus.sh [corpora-dir] [-v]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh ""   # no profile (a bare `source` would pass this script's arguments on)
exec java -cp "$CP" dev.emailchannel.bench.QuoteCorpusBenchmark "$@"
