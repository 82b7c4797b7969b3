#!/usr/bin/env bash
# Profiles the packaged jar during the warm rounds of `InboxBenchmark backlog 3` with async-profiler (Maven Central,
# tools.profiler:async-profiler), attached to the running channel after the warm-up rounds and stopped after the last
# channel round (see bench/README.md, "Backlog: where the rest of the time goes").
# Usage: bench/profile-backlog.sh [cpu|wall] [output=target/backlog-profile.collapsed]
#        BENCH_OPTIONS="-Dbench.warmupRounds=8" bench/profile-backlog.sh (options of the benchmark JVM)
# The output is one line per distinct stack, "[thread];frame;frame… samples" (collapsed, per thread): feed it to a
# flame graph tool, or sum the lines of a thread and grep for frames.
set -euo pipefail
cd "$(dirname "$0")/.."
event="${1:-cpu}"
out="$(realpath -m "${2:-target/backlog-profile.collapsed}")"
case "$event" in
  cpu) opts="event=cpu,interval=200us" ;;
  wall) opts="event=wall,interval=1ms" ;;
  *) echo "usage: $0 [cpu|wall] [output]" >&2; exit 2 ;;
esac
version=4.1
jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
[ -s "$jar" ] || mvn -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$version" >/dev/null
lib="target/async-profiler-$version/linux-x64/libasyncProfiler.so"
if [ ! -s "$lib" ]; then
  mkdir -p "target/async-profiler-$version" && unzip -q -o "$jar" 'linux-x64/*' -d "target/async-profiler-$version"
fi
lib="$(realpath "$lib")"
source bench/classpath.sh ""
package_if_stale
log="$(mktemp)"
# BENCH_OPTIONS: extra JVM options for the benchmark, e.g. -Dbench.warmupRounds=8
java -cp "$CP" ${BENCH_OPTIONS:-} dev.emailchannel.bench.InboxBenchmark backlog 3 > "$log" 2>&1 &
bench=$!
until grep -q "^round 1 bare" "$log"; do kill -0 "$bench" 2>/dev/null || { cat "$log"; exit 1; }; sleep 0.2; done
channel="$(pgrep -f "target/email-channel.jar" | head -1)"
# jcmd passes the options to the agent only when quoted once more
jcmd "$channel" JVMTI.agent_load "$lib" "\"start,$opts,threads\"" >/dev/null
until grep -q "^round 3 channel" "$log"; do sleep 0.05; done
jcmd "$channel" JVMTI.agent_load "$lib" "\"stop,file=$out,collapsed,threads\"" >/dev/null
wait "$bench"
grep -E "^round [1-3] |median" "$log"
echo "profile of the channel in rounds 2-3 ($event): $out"
