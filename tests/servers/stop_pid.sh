#!/bin/sh
# stop_pid.sh PIDFILE: stops the test server whose PID is in PIDFILE (by that PID only), waits up to
# 5 s so its port is free for a restart, then kills it hard; removes PIDFILE. Quiet if already gone.
[ -f "$1" ] || exit 0
pid=$(cat "$1")
kill "$pid" 2>/dev/null || true
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
done
kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
rm -f "$1"
