#!/usr/bin/env bash
# Pickup engine benchmarks against real Dovecot + Postfix (see bench/README.md, "Pickup").
# Usage: bench/pickup.sh [latency | backlog [rounds] | restart [rounds] | scale N | channel [N] [mails] | all]
#        (default: all; `channel` runs the packaged jar, built here when it is missing)
#        BENCH_OPTIONS="-Dbench.storeMillis=10 -Dbench.rttMillis=20" bench/pickup.sh backlog 3: a slower store and a
#        longer IMAP round trip for the engine (see PickupBenchmark)
# Each run starts throw-away Dovecot + Postfix (src/test/mailservers) and needs them installed (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -DskipTests test-compile 2>/dev/null || mvn -q -B -DskipTests test-compile
CP_FILE=target/bench-classpath.txt
if [ ! -s "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
fi
run() { # every benchmark in a JVM of its own, with the heap the issue names for 100 mailboxes
  java -Xmx256m ${BENCH_OPTIONS:-} -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" dev.emailchannel.bench.PickupBenchmark "$@"
  echo
}
channel() { # the packaged jar as a process of its own in -Xmx256m; the harness JVM only sends mail and plays the agent
  [ -f target/email-channel.jar ] || mvn -q -B -DskipTests package
  java -Xmx256m ${CHANNEL_JVM:+"-Dchannel.jvm=$CHANNEL_JVM"} -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" \
    dev.emailchannel.bench.PickupChannelBenchmark "$@"
  echo
}
if [ "${1:-all}" = channel ]; then
  shift
  channel "$@"
elif [ "${1:-all}" = all ]; then
  run latency; run backlog 5; run restart 5; run scale 100; run scale 1000; channel 100 20
else
  run "$@"
fi
