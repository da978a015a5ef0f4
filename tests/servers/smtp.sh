#!/bin/sh
# A throw-away SMTP server (aiosmtpd) on loopback for the connector tests.
#
#   smtp.sh check            exit 0 if a python3 with aiosmtpd is installed
#   smtp.sh start DIR PORT   delivers to the Maildir DIR/maildir (which must not exist yet); PID in DIR/smtp.pid
#   smtp.sh start DIR PORT --mode starttls|smtps --cert PEM --key PEM [--auth USER:PASSWORD]
#                            the same over TLS, with AUTH if asked (redress_smtp_tls.py beside this script)
#   smtp.sh stop DIR         stops the server started in DIR (by its PID only)
#
# Recipients reject@... get 550 and defer@... get 451 (redress_smtp_handler.py beside this script).
set -eu

die() { echo "smtp.sh: $*" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)

# Debian's python3-aiosmtpd lives in the system Python; a python3 earlier on PATH may not see it.
find_python() {
    for candidate in /usr/bin/python3 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import aiosmtpd" >/dev/null 2>&1; then
            PYTHON=$candidate
            return 0
        fi
    done
    return 1
}

cmd=${1:-}
case "$cmd" in
check)
    find_python || die "aiosmtpd is not installed (apt-get install python3-aiosmtpd)"
    exit 0
    ;;
start)
    [ $# -ge 3 ] || die "usage: smtp.sh start DIR PORT"
    find_python || die "aiosmtpd is not installed (apt-get install python3-aiosmtpd)"
    dir=$(cd "$2" && pwd)
    port=$3
    [ ! -e "$dir/maildir" ] || die "$dir/maildir exists already"
    shift 3
    if [ $# -gt 0 ]; then
        PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" "$here/redress_smtp_tls.py" --listen "127.0.0.1:$port" \
            --maildir "$dir/maildir" "$@" >"$dir/smtp.log" 2>&1 &
    else
        PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m aiosmtpd -n -l "127.0.0.1:$port" \
            -c redress_smtp_handler.RejectingMailbox "$dir/maildir" >"$dir/smtp.log" 2>&1 &
    fi
    echo $! >"$dir/smtp.pid"
    # Ready when the port answers.
    i=0
    while ! "$PYTHON" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 0.2).close()" "$port" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -ge 100 ] || ! kill -0 "$(cat "$dir/smtp.pid")" 2>/dev/null; then
            cat "$dir/smtp.log" >&2
            die "aiosmtpd did not start"
        fi
        sleep 0.05
    done
    echo "aiosmtpd pid $(cat "$dir/smtp.pid") listening on 127.0.0.1:$port"
    ;;
stop)
    [ $# -ge 2 ] || die "usage: smtp.sh stop DIR"
    dir=$2
    "$(dirname "$0")/stop_pid.sh" "$dir/smtp.pid"
    ;;
*)
    die "usage: smtp.sh check|start|stop ..."
    ;;
esac
