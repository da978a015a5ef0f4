#!/bin/sh
# A throw-away Dovecot 2.3 IMAP server on loopback for the connector tests.
#
#   dovecot.sh check                  exit 0 if dovecot and doveadm are installed
#   dovecot.sh start DIR PORT [TLSPORT]  config, maildir and logs under DIR; PID in DIR/dovecot.pid
#   dovecot.sh stop DIR               stops the server started in DIR (by its PID only)
#   dovecot.sh doveadm DIR ARGS...    doveadm with the same config (seed mail: `save -u support -m INBOX`)
#
# One user, support / password, with maildir mail under DIR/mail. TLSPORT, if given, adds an imaps
# listener with a self-signed certificate (DIR/tls/cert.pem is its own CA file for the client).
# DOVECOT_CAPABILITY, if set, replaces the advertised capabilities (to test clients without
# IDLE or MOVE); Dovecot still accepts the commands, the client must not rely on that.
set -eu

die() { echo "dovecot.sh: $*" >&2; exit 1; }

find_tools() {
    DOVECOT=$(command -v dovecot || true)
    [ -n "$DOVECOT" ] || DOVECOT=/usr/sbin/dovecot
    DOVEADM=$(command -v doveadm || true)
    [ -n "$DOVEADM" ] || DOVEADM=/usr/bin/doveadm
    [ -x "$DOVECOT" ] && [ -x "$DOVEADM" ] && [ -x /usr/lib/dovecot/imap ]
}

cmd=${1:-}
case "$cmd" in
check)
    find_tools || die "dovecot-imapd is not installed (apt-get install dovecot-imapd)"
    exit 0
    ;;
start)
    [ $# -ge 3 ] || die "usage: dovecot.sh start DIR PORT [TLSPORT]"
    find_tools || die "dovecot-imapd is not installed (apt-get install dovecot-imapd)"
    dir=$(cd "$2" && pwd)
    port=$3
    tls_port=${4:-0}
    ;;
stop)
    [ $# -ge 2 ] || die "usage: dovecot.sh stop DIR"
    dir=$2
    # The master takes its children down with it.
    "$(dirname "$0")/stop_pid.sh" "$dir/dovecot.pid"
    exit 0
    ;;
doveadm)
    [ $# -ge 2 ] || die "usage: dovecot.sh doveadm DIR ARGS..."
    find_tools || die "dovecot-imapd is not installed"
    dir=$2
    shift 2
    exec "$DOVEADM" -c "$dir/dovecot.conf" "$@"
    ;;
*)
    die "usage: dovecot.sh check|start|stop|doveadm ..."
    ;;
esac

# Dovecot refuses to give mail to uid 0 and its login processes want an unprivileged user. As root
# we use the two users the Debian package creates (dovecot for mail and internal services,
# dovenull for the login processes); as anyone else everything runs as that user.
if [ "$(id -u)" = 0 ]; then
    mail_user=dovecot
    login_user=dovenull
    internal_user=dovecot
else
    mail_user=$(id -un)
    login_user=$mail_user
    internal_user=$mail_user
fi
mail_uid=$(id -u "$mail_user")
mail_gid=$(id -g "$mail_user")

mkdir -p "$dir/run" "$dir/state" "$dir/mail"
: >"$dir/dovecot.log"
# Scheme PLAIN: the password is stored as written; this is a test server with a test password.
printf 'support:{PLAIN}password::::::\n' >"$dir/passwd"

ssl_block="ssl = no"
imaps_listener=""
if [ "$tls_port" != 0 ]; then
    mkdir -p "$dir/tls"
    if [ ! -f "$dir/tls/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" >/dev/null 2>&1 ||
            die "openssl could not make a test certificate"
    fi
    ssl_block="ssl = yes
ssl_cert = <$dir/tls/cert.pem
ssl_key = <$dir/tls/key.pem"
    imaps_listener="inet_listener imaps {
    address = 127.0.0.1
    port = $tls_port
    ssl = yes
  }"
fi

capability_line=""
if [ -n "${DOVECOT_CAPABILITY:-}" ]; then
    capability_line="imap_capability = $DOVECOT_CAPABILITY"
fi

cat >"$dir/dovecot.conf" <<EOF
# Written by tests/servers/dovecot.sh; everything lives under $dir.
base_dir = $dir/run
state_dir = $dir/state
instance_name = redress-test-$port
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
$ssl_block
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = $login_user
default_internal_user = $internal_user
first_valid_uid = $mail_uid
last_valid_uid = $mail_uid
mail_location = maildir:$dir/mail/%u
mail_uid = $mail_uid
mail_gid = $mail_gid
$capability_line
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$dir/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Archive {
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  $imaps_listener
}
# Nothing else may bind a port or a path outside $dir.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF

if [ "$(id -u)" = 0 ]; then
    # The mail user must reach its maildir below a directory mkdtemp made private to root.
    chmod 0755 "$dir"
    mkdir -p "$dir/home"
    chown -R "$mail_user" "$dir/mail" "$dir/home"
fi

"$DOVECOT" -c "$dir/dovecot.conf" </dev/null >>"$dir/dovecot.log" 2>&1 || die "dovecot did not start; see $dir/dovecot.log"
# The master writes its PID once it runs; wait for the file and for the listener.
i=0
while [ ! -s "$dir/run/master.pid" ] && [ $i -lt 100 ]; do
    sleep 0.02
    i=$((i + 1))
done
[ -s "$dir/run/master.pid" ] || die "dovecot wrote no PID; see $dir/dovecot.log"
cp "$dir/run/master.pid" "$dir/dovecot.pid"
echo "dovecot pid $(cat "$dir/dovecot.pid") listening on 127.0.0.1:$port"
