#!/usr/bin/env bash
# The 300-mail backlog (`InboxBenchmark backlog`) with this working tree's jar and two sets of benchmark options,
# alternately, so that both meet the same box: A, B, A, B, ... (see bench/README.md, "H2 compaction, and raw mails
# from memory"). For settings rather than code: -Dbench.databaseUrl=…, -Dbench.env=NAME=value,…,
# -Dbench.channelJvmOptions=…
# Usage: bench/compare-options.sh "OPTIONS_A" "OPTIONS_B" [pairs=2] [rounds=3]
#        bench/compare-options.sh "" "-Dbench.databaseUrl=jdbc:h2:file:./data/email-channel;AUTO_COMPACT_FILL_RATE=90"
# BENCH_OPTIONS (default -Dbench.warmupRounds=6) go to both. Prints each run's median line, the channel's CPU per
# counted round, the first round and the embedded H2 file's size, then all of them again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
a="${1?usage: $0 OPTIONS_A OPTIONS_B [pairs] [rounds]}"
b="${2?usage: $0 OPTIONS_A OPTIONS_B [pairs] [rounds]}"
pairs="${3:-2}"
rounds="${4:-3}"
source bench/classpath.sh ""
if [ ! -s target/email-channel.jar ] || [ -n "$(find src/main routes application.properties pom.xml -newer target/email-channel.jar -print -quit)" ]; then
  mvn -q -B -DskipTests package
fi
summary=()
for ((i = 1; i <= pairs; i++)); do
  for which in A B; do
    opts="$a"
    [ "$which" = B ] && opts="$b"
    log="$(mktemp)"
    # word splitting of the options is wanted: several -D… in one argument
    # shellcheck disable=SC2086
    java -cp "$CP" ${BENCH_OPTIONS:--Dbench.warmupRounds=6} $opts dev.emailchannel.bench.InboxBenchmark backlog "$rounds" \
      > "$log" 2>&1 || { cat "$log"; exit 1; }
    cpu="$(grep 'channel:' "$log" | tail -n "$rounds" | sed -E 's/.*CPU until the 300th call: channel +([0-9]+) ms.*/\1/' \
      | sort -n | tr '\n' ' ')"
    line="$(printf '%s (load %s) %s | channel CPU per round: %sms | %s%s' "$which" "$(cut -d' ' -f1 /proc/loadavg)" \
      "$(grep '^median' "$log" | sed 's/ (target.*//')" "$cpu" "$(grep '^first round' "$log" | sed 's/first round, //')" \
      "$(grep '^embedded H2 file' "$log" | sed 's/^embedded H2 file: / | H2 file /')")"
    echo "$line"
    summary+=("$line")
    rm -f "$log"
  done
done
echo
echo "A: ${a:-(no options)}"
echo "B: ${b:-(no options)}"
printf '%s\n' "${summary[@]}"
