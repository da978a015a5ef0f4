#!/bin/sh
# Delivers many messages at once to the test Dovecot started by dovecot.sh, as unread mail.
#
#   seed_mailbox.sh DIR FILE...   into the INBOX of user support; each FILE is one RFC 5322 message
#
# One `doveadm save` per message costs about half a second on a busy 2-core machine, so the files
# are laid out as a throw-away Maildir and copied in with one `doveadm import`: the same server-side
# delivery (new UIDs, no \Seen, IDLE clients notified), forty messages in under a second.
set -eu

die() { echo "seed_mailbox.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: seed_mailbox.sh DIR FILE..."
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$1" && pwd)
shift 1

seed=$(mktemp -d "$dir/seed-XXXXXX")
trap 'rm -rf "$seed"' EXIT
mkdir -p "$seed/new" "$seed/cur" "$seed/tmp"
i=0
for file in "$@"; do
    i=$((i + 1))
    # Maildir names sort in delivery order: the messages keep the order they were given in.
    cp "$file" "$seed/new/$(printf '%06d' "$i").seed"
done
# doveadm reads the source as the mail user and writes its index files there.
chmod -R a+rwX "$seed"
chmod a+x "$dir"

# The source Maildir's INBOX goes into the test user's INBOX.
"$here/dovecot.sh" doveadm "$dir" import -u support "maildir:$seed" "" mailbox INBOX >/dev/null ||
    die "doveadm import failed"
