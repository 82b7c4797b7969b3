#!/bin/bash
# Configure a throw-away Dovecot (IMAP+STARTTLS, IMAPS, LMTP) + Postfix (plain SMTP, submission with
# STARTTLS required, SMTPS) on 127.0.0.1, with all state under $ROOT. Nothing outside $ROOT is written.
#
# The caller chooses the ports (free ones, at run time) and passes them in:
#   ROOT IMAP_PORT IMAPS_PORT LMTP_PORT SMTP_PORT SUBMISSION_PORT SMTPS_PORT  [OAUTH=1 OAUTH_PORT]
# Optional: VUID (numeric uid/gid owning the Maildirs, default 5000), INSTANCE (Dovecot instance name),
#           MAX_CONNECTIONS (room for that many simultaneous IMAP connections, for benchmarks; default: Dovecot's).
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
set -euo pipefail

missing=()
for v in ROOT IMAP_PORT IMAPS_PORT LMTP_PORT SMTP_PORT SUBMISSION_PORT SMTPS_PORT; do
  [ -n "${!v:-}" ] || missing+=("$v")
done
OAUTH=${OAUTH:-0}
if [ "$OAUTH" = 1 ] && [ -z "${OAUTH_PORT:-}" ]; then missing+=(OAUTH_PORT); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: missing environment variable(s): ${missing[*]}" >&2
  exit 2
fi
VUID=${VUID:-5000}
INSTANCE=${INSTANCE:-mailsrv-$(basename "$ROOT")}
# Unix socket paths must stay below ~107 bytes (Dovecot login sockets live under $ROOT/dovecot/run/...).
if [ ${#ROOT} -gt 60 ]; then echo "setup.sh: ROOT path too long for unix sockets: $ROOT" >&2; exit 2; fi

mkdir -p "$ROOT"/{tls,dovecot/run,dovecot/state,mail,postfix/conf,postfix/spool,postfix/data,log}
# mktemp/createTempDirectory make 0700 dirs; dovenull, dovecot, postfix and the mail uid must traverse ROOT.
chmod 755 "$ROOT"

# Remember the configuration for start.sh / stop.sh.
cat > "$ROOT/ports.env" <<ENV
IMAP_PORT=$IMAP_PORT
IMAPS_PORT=$IMAPS_PORT
LMTP_PORT=$LMTP_PORT
SMTP_PORT=$SMTP_PORT
SUBMISSION_PORT=$SUBMISSION_PORT
SMTPS_PORT=$SMTPS_PORT
OAUTH=$OAUTH
OAUTH_PORT=${OAUTH_PORT:-}
ENV

# 1. self-signed certificate with SAN localhost + 127.0.0.1, and a PKCS12 trust store for Java clients
if [ ! -f "$ROOT/tls/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$ROOT/tls/key.pem" -out "$ROOT/tls/cert.pem" 2>/dev/null
  chmod 600 "$ROOT/tls/key.pem"
  rm -f "$ROOT/tls/truststore.p12"
  keytool -importcert -noprompt -alias mailsrv -file "$ROOT/tls/cert.pem" \
    -keystore "$ROOT/tls/truststore.p12" -storetype PKCS12 -storepass changeit >/dev/null 2>&1
fi

# 2. Dovecot. passwd-file: user:{PLAIN}password:uid:gid::home  (':' is the only special character;
#    '+ # % , \' in the password are taken literally)
cat > "$ROOT/dovecot/users" <<USERS
alice@example.test:{PLAIN}alice-secret:$VUID:$VUID::$ROOT/mail/example.test/alice
bob@example.test:{PLAIN}bob-secret:$VUID:$VUID::$ROOT/mail/example.test/bob
carol@example.test:{PLAIN}carol-secret:$VUID:$VUID::$ROOT/mail/example.test/carol
dave@example.test:{PLAIN}p+w#d%1,x\\y:$VUID:$VUID::$ROOT/mail/example.test/dave
USERS
chmod 644 "$ROOT/dovecot/users"
chown "$VUID:$VUID" "$ROOT/mail"
chown postfix:postfix "$ROOT/postfix/data"

if [ "$OAUTH" = 1 ]; then
  AUTH_MECHS="plain login xoauth2 oauthbearer"
  OAUTH_PASSDB="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $ROOT/dovecot/oauth2.conf.ext
}"
  PW_MECHS="  mechanisms = plain login"
  cat > "$ROOT/dovecot/oauth2.conf.ext" <<O2
introspection_mode = post
introspection_url = http://127.0.0.1:$OAUTH_PORT/introspect
username_attribute = email
active_attribute = active
active_value = true
timeout_msecs = 20000
O2
else
  AUTH_MECHS="plain login"; OAUTH_PASSDB=""; PW_MECHS=""
fi

# Many simultaneous connections (benchmarks): one login process proxies many TLS connections instead of one process
# per connection, and the process and client limits leave room for an imap process per connection.
LOGIN_EXTRA=""; IMAP_SERVICE=""; LIMITS=""
if [ -n "${MAX_CONNECTIONS:-}" ]; then
  # Dovecot tells IDLE clients about new mail through inotify, one instance per imap process; Linux allows 128 per
  # user by default (fs.inotify.max_user_instances) and all test mailboxes share one uid, so beyond that Dovecot
  # looks every mailbox_idle_check_interval (30 s by default) instead.
  LIMITS="mailbox_idle_check_interval = 1 secs
default_process_limit = $((MAX_CONNECTIONS + 100))
default_client_limit = $((2 * MAX_CONNECTIONS + 100))
default_vsz_limit = 512M"
  LOGIN_EXTRA="  service_count = 0
  process_min_avail = 2
  client_limit = $((MAX_CONNECTIONS + 100))"
  IMAP_SERVICE="service imap {
  process_limit = $((MAX_CONNECTIONS + 100))
}"
fi

cat > "$ROOT/dovecot/dovecot.conf" <<CONF
base_dir = $ROOT/dovecot/run
state_dir = $ROOT/dovecot/state
instance_name = $INSTANCE
listen = 127.0.0.1
protocols = imap lmtp
log_path = $ROOT/log/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1000
mail_location = maildir:~/Maildir
mail_home = $ROOT/mail/%d/%n
ssl = yes
ssl_cert = <$ROOT/tls/cert.pem
ssl_key = <$ROOT/tls/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
# the process title names the user and the command: tests find a user's imap process to kill or stop it
verbose_proctitle = yes
$LIMITS
auth_mechanisms = $AUTH_MECHS
# failure tests must be fast: no delay after a failed login
auth_failure_delay = 0
auth_verbose = yes
passdb {
  driver = passwd-file
$PW_MECHS
  args = scheme=PLAIN username_format=%u $ROOT/dovecot/users
}
$OAUTH_PASSDB
userdb {
  driver = passwd-file
  args = username_format=%u $ROOT/dovecot/users
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = create
  }
  mailbox Trash {
    special_use = \Trash
    auto = create
  }
}
protocol imap {
  imap_idle_notify_interval = 2 mins
  mail_max_userip_connections = 100
}
$IMAP_SERVICE
service imap-login {
$LOGIN_EXTRA
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
# no penalty (delay) for repeated failed logins from 127.0.0.1
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
CONF

# 3. Postfix: virtual domain example.test delivered over LMTP into Dovecot; SASL through Dovecot.
cp /usr/share/postfix/master.cf.dist "$ROOT/postfix/conf/master.cf"
# no chroot (the queue is in a temp dir), the MX-style listener only on 127.0.0.1:$SMTP_PORT
sed -i -E 's/^(smtp +inet +n +- +)y/\1n/; s/^([a-z]+ +unix +[-n] +- +)y/\1n/' "$ROOT/postfix/conf/master.cf"
sed -i -E "s/^smtp( +inet)/127.0.0.1:$SMTP_PORT\1/" "$ROOT/postfix/conf/master.cf"
cat >> "$ROOT/postfix/conf/master.cf" <<MASTER
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
MASTER
cat > "$ROOT/postfix/conf/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $ROOT/postfix/spool
data_directory = $ROOT/postfix/data
maillog_file = $ROOT/log/postfix.log
maillog_file_prefixes = /var, /dev/stdout, /tmp, $ROOT
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.example.test
mydomain = example.test
myorigin = example.test
mydestination =
mynetworks = 127.0.0.0/8
local_transport = error:local delivery disabled
alias_maps =
alias_database =
biff = no
virtual_mailbox_domains = example.test
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_sasl_type = dovecot
smtpd_sasl_path = $ROOT/dovecot/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_tls_cert_file = $ROOT/tls/cert.pem
smtpd_tls_key_file = $ROOT/tls/key.pem
smtpd_tls_security_level = may
smtp_tls_security_level = none
message_size_limit = 52428800
# fast test runs: no delays after soft errors, retry deferred mail quickly
smtpd_error_sleep_time = 0
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 10s
MAIN
# Queue directories as postfix-files wants them, so start.sh can run the master directly: `postfix start`
# spends ~2 s in postfix-script's checks (post-install, postconf runs) on every start.
Q="$ROOT/postfix/spool"
install -d -o root -m 755 "$Q" "$Q/pid"
for d in active bounce corrupt defer deferred flush hold incoming private saved trace; do
  install -d -o postfix -m 700 "$Q/$d"
done
install -d -o postfix -g postdrop -m 730 "$Q/maildrop"
install -d -o postfix -g postdrop -m 710 "$Q/public"
echo "setup done in $ROOT"
