#!/usr/bin/env bash
# How long the channel's IMAP and SMTP connections take to sign in and to send one reply against real Dovecot +
# Postfix, with the channel's sockets (Nagle's algorithm off) and Angus Mail's own (Nagle on), alternately in one run
# (see bench/README.md, "Sign-in and sending: Nagle's algorithm").
# Usage: bench/mail-connect.sh [rounds=20]
# Starts throw-away Dovecot + Postfix (src/test/mailservers) and needs them installed (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/classpath.sh ""
java -cp "$CP" dev.emailchannel.bench.MailConnectBenchmark "$@"
