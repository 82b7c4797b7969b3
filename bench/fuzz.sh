#!/usr/bin/env bash
# Coverage-guided fuzzing of the MIME parser and the quote stripper with Jazzer (see bench/README.md, "Fuzzing").
# Usage: bench/fuzz.sh [seconds-per-target] [target...]     targets: mail quote authres (default: all), 300 s each
# Prints executions, coverage and findings per target; a finding's input is saved under target/fuzz/findings/<target>/
# (replay: copy it to src/test/resources/fuzz/<target>/ and run FuzzFindingsTest).
# FUZZ_ARGS adds libFuzzer flags, e.g. FUZZ_ARGS=-len_control=0 to try 64 KB inputs at once.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-300}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(mail quote authres)

source bench/classpath.sh fuzz

for target in "${TARGETS[@]}"; do
  case "$target" in
    mail)  class=dev.emailchannel.fuzz.MailParserFuzzer;   seeds=(src/test/resources/eml src/test/resources/mime src/test/resources/fuzz/mail) ;;
    quote) class=dev.emailchannel.fuzz.QuoteStripperFuzzer; seeds=(src/test/resources/quote src/test/resources/fuzz/quote) ;;
    authres) class=dev.emailchannel.fuzz.AuthenticationResultsFuzzer; seeds=(src/test/resources/fuzz/authres) ;;
    *) echo "unknown target $target (mail, quote, authres)" >&2; exit 2 ;;
  esac
  corpus=target/fuzz/corpus/$target findings=target/fuzz/findings/$target log=target/fuzz/$target.log
  mkdir -p "$corpus" "$findings"
  existing=()
  for s in "${seeds[@]}"; do [ -d "$s" ] && existing+=("$s"); done
  echo "== $target: $class, ${SECONDS_PER_TARGET}s, seeds: ${existing[*]}"
  set +e
  # --keep_going: collect up to 20 distinct findings (deduplicated by stack trace) instead of stopping at the first
  java -Xmx2g -cp "$CP" com.code_intelligence.jazzer.Jazzer --target_class="$class" \
    --instrumentation_includes='dev.emailchannel.**' --keep_going=20 \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -max_len=65536 -rss_limit_mb=3072 -print_final_stats=1 \
    -artifact_prefix="$findings/" ${FUZZ_ARGS:-} "$corpus" "${existing[@]}" > "$log" 2>&1
  rc=$?
  set -e
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done [0-9]+ runs|^stat::number_of_executed_units|^stat::average_exec_per_sec' "$log" || true
  grep -E '== Java Exception|^(Caused by|java\.|dev\.)[^ ]*(Exception|Error)|ERROR: libFuzzer' "$log" | sort | uniq -c | head -20 || true
  n=$(find "$findings" -type f | wc -l)
  echo "== $target: exit $rc, $n finding file(s) in $findings, corpus $(find "$corpus" -type f | wc -l) inputs, log $log"
done
