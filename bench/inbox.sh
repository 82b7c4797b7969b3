#!/usr/bin/env bash
# Durable inbox and dispatcher benchmarks with the packaged jar against real Dovecot + Postfix (see bench/README.md,
# "Inbox"). Usage: bench/inbox.sh [burst | backlog [rounds] | kill [rounds] [h2|postgresql] | memory [h2|postgresql] | all]
# (default: all = burst, backlog 3, memory, memory postgresql, kill 20). Needs Dovecot + Postfix installed (see .ci/run); kill with
# postgresql needs the PostgreSQL of TestDatabases (127.0.0.1:5432, database test).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh ""   # no profile (a bare `source` would pass this script's arguments on)
package_if_stale   # the channel runs as users run it, through bin/email-channel
run() { # each mode in a JVM of its own, with its own Dovecot + Postfix
  java -cp "$CP" dev.emailchannel.bench.InboxBenchmark "$@"
  echo
}
if [ "${1:-all}" = all ]; then
  run burst; run backlog 3; run memory; run memory postgresql; run kill 20
else
  run "$@"
fi
