#!/usr/bin/env bash
# Several instances on a real ZooKeeper, one JVM each: spread, memory/threads, failover (see bench/README.md).
# Usage: bench/cluster.sh [instances=3] [mailboxes=100] [kills=3]   (needs: apt-get install zookeeper)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh
exec java -Dsurefire.test.class.path="$BENCH_CP" -cp "$BENCH_CP" dev.emailchannel.bench.ClusterBenchmark "$@"
