#!/usr/bin/env bash
# Accuracy + speed benchmark of the quote stripper against ../shared/corpora (see bench/README.md).
# Usage: bench/quote-corpus.sh [corpora-dir] [-v]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
CP_FILE=target/bench-classpath.txt
if [ ! -s "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
fi
exec java -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" dev.emailchannel.bench.QuoteCorpusBenchmark "$@"
