#!/usr/bin/env bash
# Several instances on a real ZooKeeper, one JVM each: spread, memory/threads, failover (see bench/README.md).
# Usage: bench/cluster.sh [instances=3] [mailboxes=100] [kills=3]   (needs: apt-get install zookeeper)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
CP_FILE=target/bench-classpath.txt
if [ ! -s "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
fi
exec java -Dsurefire.test.class.path="target/classes:target/test-classes:$(cat "$CP_FILE")" \
  -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" dev.emailchannel.bench.ClusterBenchmark "$@"
