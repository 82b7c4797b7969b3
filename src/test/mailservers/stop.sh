#!/bin/bash
# Stop what start.sh started for $ROOT and wait (up to 10 s) until the processes are gone. Idempotent.
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
set -uo pipefail
: "${ROOT:?ROOT must be set}"
pids=()
pidof_file() { [ -f "$1" ] && tr -d ' \n' < "$1"; }

p=$(pidof_file "$ROOT/postfix/spool/pid/master.pid") && [ -n "$p" ] && pids+=("$p")
p=$(pidof_file "$ROOT/dovecot/run/master.pid") && [ -n "$p" ] && pids+=("$p")
# both stop commands wait for their daemons (Dovecot ~2.5 s): run them side by side
[ -f "$ROOT/postfix/conf/main.cf" ] && postfix -c "$ROOT/postfix/conf" stop >/dev/null 2>&1 &
[ -f "$ROOT/dovecot/dovecot.conf" ] && dovecot -c "$ROOT/dovecot/dovecot.conf" stop >/dev/null 2>&1 &
wait
if p=$(pidof_file "$ROOT/oauth-fake.pid") && [ -n "$p" ]; then kill "$p" 2>/dev/null; pids+=("$p"); rm -f "$ROOT/oauth-fake.pid"; fi

for _ in $(seq 100); do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break
  sleep 0.1
done
for p in "${pids[@]}"; do
  if kill -0 "$p" 2>/dev/null; then echo "stop.sh: pid $p still running after 10 s, killing it" >&2; kill -9 "$p" 2>/dev/null; fi
done

# the watchdog (if any) is not needed any more; do not kill ourselves when the watchdog runs us
if p=$(pidof_file "$ROOT/watchdog.pid") && [ -n "$p" ]; then
  rm -f "$ROOT/watchdog.pid"
  [ "$p" != "$PPID" ] && kill "$p" 2>/dev/null
fi
exit 0
