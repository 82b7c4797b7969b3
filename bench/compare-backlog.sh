#!/usr/bin/env bash
# The 300-mail backlog (`InboxBenchmark backlog`) with the jar of another revision and with this working tree's jar,
# alternately, so that both meet the same box: old, new, old, new, ... (see bench/README.md, "Inbox benchmarks").
# Usage: bench/compare-backlog.sh REV [pairs=2] [rounds=4]
#        BENCH_OPTIONS="-Dbench.warmupRounds=6" bench/compare-backlog.sh HEAD~1 3
# REV is built once in a git worktree under target/compare/REV; both runs use this tree's benchmark classes (only the
# channel's jar differs). Prints each run's median line and the first round's, then all of them again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:?usage: $0 REV [pairs] [rounds]}"
pairs="${2:-2}"
rounds="${3:-4}"
source bench/classpath.sh ""
if [ ! -s target/email-channel.jar ] || [ -n "$(find src/main routes application.properties pom.xml -newer target/email-channel.jar -print -quit)" ]; then
  mvn -q -B -DskipTests package
fi
sha="$(git rev-parse --short "$rev")"
old="target/compare/$sha"
if [ ! -s "$old/target/email-channel.jar" ]; then
  rm -rf "$old"
  git worktree prune
  git worktree add -f --detach "$old" "$sha" >/dev/null
  (cd "$old" && mvn -q -B -DskipTests package)
fi
# the benchmark starts target/email-channel.jar of its working directory
cp_abs="$(realpath target/classes):$(realpath target/test-classes):$(cat target/bench-classpath.txt)"
summary=()
for ((i = 1; i <= pairs; i++)); do
  for which in old new; do
    dir=.
    [ "$which" = old ] && dir="$old"
    log="$(mktemp)"
    (cd "$dir" && java -cp "$cp_abs" ${BENCH_OPTIONS:-} dev.emailchannel.bench.InboxBenchmark backlog "$rounds") > "$log" 2>&1
    # the channel's CPU in each counted round (the last $rounds "channel:" lines), sorted: its median is the middle
    cpu="$(grep 'channel:' "$log" | tail -n "$rounds" | sed -E 's/.*CPU until the 300th call: channel +([0-9]+) ms.*/\1/' \
      | sort -n | tr '\n' ' ')"
    line="$(printf '%-3s (%s, load %s) %s | channel CPU per round: %sms | %s' "$which" \
      "$([ "$which" = old ] && echo "$sha" || echo "tree")" "$(cut -d' ' -f1 /proc/loadavg)" \
      "$(grep '^median' "$log" | sed 's/ (target.*//')" "$cpu" "$(grep '^first round' "$log" | sed 's/first round, //')")"
    file="$(grep '^embedded H2 file' "$log" | sed 's/^embedded H2 file: / | H2 file /')"
    line="$line$file"
    echo "$line"
    summary+=("$line")
    rm -f "$log"
  done
done
echo
printf '%s\n' "${summary[@]}"
