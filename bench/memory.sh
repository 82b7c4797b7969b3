#!/usr/bin/env bash
# Heap cost of large attachments end to end (dev.emailchannel.bench.MemoryBenchmark): one 10 MB file, then 20 at once
# in a channel JVM of -Xmx512m, against throw-away Dovecot + Postfix (installed as in .ci/run). See bench/README.md.
# Usage: bench/memory.sh [one]   (one: only the single 10 MB mail)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -s target/email-channel.jar ] || [ -n "$(find src/main pom.xml -newer target/email-channel.jar | head -1)" ]; then
  mvn -q -B -DskipTests package
fi
source bench/classpath.sh ""   # no profile (a bare `source` would pass this script's arguments on)
# this JVM holds the agent's copies of the 20 events; the channel runs as its own process (-Xmx512m)
exec java -Xmx3g -cp "$CP" dev.emailchannel.bench.MemoryBenchmark "$@"
