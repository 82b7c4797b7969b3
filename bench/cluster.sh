#!/usr/bin/env bash
# Several instances on a real ZooKeeper, one JVM each: spread, memory/threads, failover (see bench/README.md).
# Usage: bench/cluster.sh [instances=3] [mailboxes=100] [kills=3]   (needs: apt-get install zookeeper)
#        bench/cluster.sh --e2e [rounds=3] [mailboxes=100]   the packaged jar x 3 on ZooKeeper, PostgreSQL
#            (127.0.0.1:5432, database test) and Dovecot + Postfix: kill -9 -> the mailbox's next mail answered
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh ""   # no profile (a bare `source` would pass this script's arguments on)
if [ "${1:-}" = --e2e ]; then
  shift
  [ -s target/email-channel.jar ] && [ -z "$(find src/main routes application.properties -newer target/email-channel.jar -print -quit)" ] \
    || mvn -q -B -DskipTests package
  exec java -cp "$BENCH_CP" dev.emailchannel.bench.ClusterFailoverBenchmark "$@"
fi
exec java -Dsurefire.test.class.path="$BENCH_CP" -cp "$BENCH_CP" dev.emailchannel.bench.ClusterBenchmark "$@"
