#!/usr/bin/env bash
# The 300-mail backlog (`InboxBenchmark backlog`) twice over, alternately, so that both meet the same box: old, new,
# old, new, ... (see bench/README.md, "Inbox benchmarks"). Either the jar of another revision against this working
# tree's jar, or (--options) this tree's jar with two sets of benchmark options, for settings rather than code:
# -Dbench.databaseUrl=…, -Dbench.env=NAME=value,…, -Dbench.channelJvmOptions=…
# Usage: bench/compare-backlog.sh REV [pairs=2] [rounds=4]
#        bench/compare-backlog.sh --options "OPTIONS_A" "OPTIONS_B" [pairs=2] [rounds=4]
#        BENCH_OPTIONS="-Dbench.warmupRounds=6" bench/compare-backlog.sh HEAD~1 3
# REV is built once in a git worktree under target/compare/REV; both runs use this tree's benchmark classes (only the
# channel's jar differs). BENCH_OPTIONS go to every run. Prints each run's median line, the channel's CPU per counted
# round, the first round's figures and the embedded H2 file's size, then all of them again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: $0 REV [pairs] [rounds] | $0 --options OPTIONS_A OPTIONS_B [pairs] [rounds]"
if [ "${1:-}" = --options ]; then
  [ $# -ge 3 ] || { echo "$usage" >&2; exit 2; }
  options=("$2" "$3")
  shift 3
else
  rev="${1:?$usage}"
  shift
fi
pairs="${1:-2}"
rounds="${2:-4}"
source bench/classpath.sh ""
package_if_stale
if [ -n "${rev:-}" ]; then
  sha="$(git rev-parse --short "$rev")"
  old="target/compare/$sha"
  if [ ! -s "$old/target/email-channel.jar" ]; then
    rm -rf "$old"
    git worktree prune
    git worktree add -f --detach "$old" "$sha" >/dev/null
    (cd "$old" && mvn -q -B -DskipTests package)
  fi
fi
# the benchmark starts target/email-channel.jar of its working directory
cp_abs="$(realpath target/classes):$(realpath target/test-classes):$(cat target/bench-classpath.txt)"
summary=()
for ((i = 1; i <= pairs; i++)); do
  for which in 0 1; do
    dir=.
    opts=""
    if [ -n "${rev:-}" ]; then
      label="$([ "$which" = 0 ] && echo "old $sha" || echo "new tree")"
      [ "$which" = 0 ] && dir="$old"
    else
      opts="${options[$which]}"
      label="$([ "$which" = 0 ] && echo "A" || echo "B") options ${opts:-none}"
    fi
    log="$(mktemp)"
    # word splitting of the options is wanted: several -D… in one string
    # shellcheck disable=SC2086
    (cd "$dir" && java -cp "$cp_abs" ${BENCH_OPTIONS:-} $opts dev.emailchannel.bench.InboxBenchmark backlog "$rounds") \
      > "$log" 2>&1 || { cat "$log"; exit 1; }
    # the channel's CPU in each counted round (the last $rounds "channel:" lines), sorted: its median is the middle
    cpu="$(grep 'channel:' "$log" | tail -n "$rounds" | sed -E 's/.*CPU until the 300th call: channel +([0-9]+) ms.*/\1/' \
      | sort -n | tr '\n' ' ')"
    line="$(printf '%s (load %s) %s | channel CPU per round: %sms | %s%s' "$label" "$(cut -d' ' -f1 /proc/loadavg)" \
      "$(grep '^median' "$log" | sed 's/ (target.*//')" "$cpu" "$(grep '^first round' "$log" | sed 's/first round, //')" \
      "$(grep '^embedded H2 file' "$log" | sed 's/^embedded H2 file: / | H2 file /')")"
    echo "$line"
    summary+=("$line")
    rm -f "$log"
  done
done
echo
printf '%s\n' "${summary[@]}"
