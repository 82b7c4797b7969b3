#!/bin/bash
# Restart only Dovecot for a $ROOT that start.sh started (Postfix keeps running): every IMAP connection is closed, as
# when a provider restarts its IMAP server. Waits until the old master is gone and the IMAP ports answer again.
# DOWN_SECONDS (default 0): how long Dovecot stays down between stop and start.
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
set -euo pipefail
: "${ROOT:?ROOT must be set}"
# shellcheck disable=SC1091
source "$ROOT/ports.env"
conf="$ROOT/dovecot/dovecot.conf"
old=$(tr -d ' \n' < "$ROOT/dovecot/run/master.pid" 2>/dev/null || true)
# the master's children (login and imap processes) can outlive it by seconds, keeping client connections open:
# a restart is only a restart once they are gone too
procs="$old $( [ -n "$old" ] && pgrep -P "$old" | tr '\n' ' ' || true)"
dovecot -c "$conf" stop >/dev/null 2>&1 || true
for _ in $(seq 300); do
  alive=0
  for p in $procs; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break
  sleep 0.1
done
sleep "${DOWN_SECONDS:-0}"
dovecot -c "$conf" >> "$ROOT/log/dovecot-start.log" 2>&1 < /dev/null
for p in $IMAP_PORT $IMAPS_PORT $LMTP_PORT; do
  for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.05; done
done
echo "dovecot restarted: master pid $(cat "$ROOT/dovecot/run/master.pid")"
