#!/bin/bash
# Start (the fake OAuth introspection endpoint,) Dovecot, then Postfix for a $ROOT prepared by setup.sh;
# wait until every port answers. All daemonize; PIDs: $ROOT/oauth-fake.pid, $ROOT/dovecot/run/master.pid,
# $ROOT/postfix/spool/pid/master.pid.
# Optional WATCH_PID: a watchdog runs stop.sh as soon as that process is gone (e.g. a killed test JVM).
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
set -euo pipefail
: "${ROOT:?ROOT must be set}"
HERE=$(cd "$(dirname "$0")" && pwd)
[ -f "$ROOT/ports.env" ] || { echo "start.sh: $ROOT is not set up (run setup.sh)" >&2; exit 2; }
# shellcheck disable=SC1091
source "$ROOT/ports.env"

fail() { echo "start.sh: $*" >&2; for f in "$ROOT"/log/*.log; do echo "--- $f" >&2; tail -20 "$f" >&2; done; bash "$HERE/stop.sh" >/dev/null 2>&1 || true; exit 1; }

ports="$IMAP_PORT $IMAPS_PORT $LMTP_PORT $SMTP_PORT $SUBMISSION_PORT $SMTPS_PORT"
if [ "$OAUTH" = 1 ]; then
  nohup python3 "$HERE/oauth-fake.py" "$OAUTH_PORT" >> "$ROOT/log/oauth-fake.log" 2>&1 < /dev/null &
  echo $! > "$ROOT/oauth-fake.pid"
  ports="$ports $OAUTH_PORT"
fi
# Dovecot's children keep the caller's stderr: give them a log file, so `./start.sh | cmd` does not hang
dovecot -c "$ROOT/dovecot/dovecot.conf" >> "$ROOT/log/dovecot-start.log" 2>&1 < /dev/null || fail "dovecot did not start"
# `postfix start` = postfix-script checks (~2 s) + `master -w`; setup.sh made the queue, so run the master directly
# (POSTFIX_CHECKS=1 for the full `postfix start`).
if [ "${POSTFIX_CHECKS:-0}" = 1 ]; then
  postfix -c "$ROOT/postfix/conf" start >> "$ROOT/log/postfix-start.log" 2>&1 || fail "postfix did not start"
else
  "$(postconf -d -h daemon_directory)/master" -c "$ROOT/postfix/conf" -w \
    >> "$ROOT/log/postfix-start.log" 2>&1 || fail "postfix master did not start"
fi

for p in $ports; do
  up=0
  for _ in $(seq 200); do   # up to 10 s per port
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then up=1; break; fi
    sleep 0.05
  done
  [ $up = 1 ] || fail "nothing listens on 127.0.0.1:$p"
done

if [ -n "${WATCH_PID:-}" ]; then
  nohup bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ROOT="$2" bash "$3/stop.sh"' \
    watchdog "$WATCH_PID" "$ROOT" "$HERE" >> "$ROOT/log/watchdog.log" 2>&1 < /dev/null &
  echo $! > "$ROOT/watchdog.pid"
fi
echo "started in $ROOT: dovecot master pid $(cat "$ROOT/dovecot/run/master.pid"), postfix master pid $(tr -d ' ' < "$ROOT/postfix/spool/pid/master.pid"), ports $ports"
