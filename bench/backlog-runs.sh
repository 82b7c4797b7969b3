#!/usr/bin/env bash
# The 300-mail backlog (`InboxBenchmark backlog`) run after run, each in a JVM of its own with its own Dovecot +
# Postfix and a new channel, to see whether the ratio to the bare IMAP loop holds in every run and every round, not
# only in the median of one (see bench/README.md, "Inbox benchmarks"). Per run: the box's load at its start, the
# medians and their ratio, the lowest and highest ratio of a counted round (the channel's round against the bare
# loop's round of the same number, measured one after the other), the first round after the JVM's start; then the
# runs again, and how many had a median ratio and a lowest round ratio of at least 0.5.
# Usage: bench/backlog-runs.sh [runs=5] [rounds=8]
#        BENCH_OPTIONS="-Dbench.warmupRounds=8" bench/backlog-runs.sh 3 (options of the benchmark JVM)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
rounds="${2:-8}"
source bench/classpath.sh ""
package_if_stale
summary=()
median_ok=0
rounds_ok=0
for ((i = 1; i <= runs; i++)); do
  log="$(mktemp)"
  # word splitting of the options is wanted: several -D… in one string
  # shellcheck disable=SC2086
  java -cp "$CP" ${BENCH_OPTIONS:-} dev.emailchannel.bench.InboxBenchmark backlog "$rounds" > "$log" 2>&1 \
    || { cat "$log"; exit 1; }
  load="$(grep -m1 -oE 'load average [0-9.]+' "$log" | grep -oE '[0-9.]+$' || echo '?')"
  median="$(grep '^median:' "$log")"
  first="$(grep '^first round' "$log" | sed -E 's/.*channel ([0-9]+) ms, bare loop ([0-9]+) ms; ratio ([0-9.]+)/\1 \/ \2 ms \3/')"
  # counted rounds only ("round N channel|bare 300 mails in X ms", N > 0): the ratio bare/channel of each N
  read -r low high <<< "$(awk '$1 == "round" && $2 > 0 && $4 == "300" { ms[$2 "," $3] = $7; n[$2] = 1 }
    END { low = 99; high = 0
          for (r in n) { q = ms[r ",bare"] / ms[r ",channel"]; if (q < low) low = q; if (q > high) high = q }
          printf "%.2f %.2f\n", low, high }' "$log")"
  ratio="$(sed -E 's/.*ratio channel\/bare ([0-9.]+).*/\1/' <<< "$median")"
  line="run $i (load $load) ${median#median: } | rounds ${low}–${high} | first round $first"
  echo "$line"
  summary+=("$line")
  awk -v r="$ratio" 'BEGIN { exit !(r >= 0.5) }' && median_ok=$((median_ok + 1))
  awk -v r="$low" 'BEGIN { exit !(r >= 0.5) }' && rounds_ok=$((rounds_ok + 1))
  rm -f "$log"
done
echo
printf '%s\n' "${summary[@]}"
echo "median ratio ≥ 0.5 in $median_ok of $runs runs; every counted round ≥ 0.5 in $rounds_ok of $runs runs"
echo "reproduce: bash bench/backlog-runs.sh $runs $rounds (BENCH_OPTIONS=\"${BENCH_OPTIONS:-}\")"
