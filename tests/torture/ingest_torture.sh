#!/usr/bin/env bash
# Torture run: every public message in $REDRESS_TORTURE_DIRS goes through `redress ingest` (the whole
# pipeline into a real SQLite file). Each must come out ingested (created, updated, recorded,
# duplicate) or quarantined with a reason and a file in var/quarantine; a crash or an error line fails.
# Usage: ingest_torture.sh /path/to/redress
set -euo pipefail
redress=${1:?path to the redress binary}
if [[ -z ${REDRESS_TORTURE_DIRS:-} ]]; then
  echo "SKIP: REDRESS_TORTURE_DIRS is not set (scripts/test sets it after scripts/fetch-corpora)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=$work/files
IFS=: read -ra dirs <<<"$REDRESS_TORTURE_DIRS"
echo "torture corpora: ${dirs[*]}"
for d in "${dirs[@]}"; do
  find "$d" -type f ! -name '.*' -print0
done | sort -z >"$list"
total=$(tr -cd '\0' <"$list" | wc -c)
if ((total == 0)); then
  echo "FAIL: no files under $REDRESS_TORTURE_DIRS"
  exit 1
fi

out=$work/outcomes.jsonl
# Batches of 400 files per process: the daemon's pipeline, one store, as many messages as a busy day.
# xargs exits non-zero if any batch did; a crash shows as a missing line below and as the exit status.
set +e
xargs -0 -n 400 "$redress" ingest --data-dir "$work/var" <"$list" >"$out" 2>"$work/stderr"
status=$?
set -e

lines=$(wc -l <"$out")
errors=$(grep -c '"error"' "$out" || true)
quarantined=$(grep -c '"action":"quarantined"' "$out" || true)
with_reason=$(grep '"action":"quarantined"' "$out" | grep -c '"quarantine_reason":"[^"]' || true)
kept=$(find "$work/var/quarantine" -name '*.eml' 2>/dev/null | wc -l)
created=$(grep -c '"action":"created"' "$out" || true)
recorded=$(grep -c '"action":"recorded"' "$out" || true)
updated=$(grep -c '"action":"updated"' "$out" || true)
duplicate=$(grep -c '"action":"duplicate"' "$out" || true)
echo "torture: $total files, $lines outcomes: created $created, updated $updated, recorded $recorded," \
     "duplicate $duplicate, quarantined $quarantined (files kept: $kept), errors $errors, exit status $status"
fail=0
if ((status != 0)); then echo "FAIL: redress ingest exited with $status"; tail -n 20 "$work/stderr"; fail=1; fi
if ((lines != total)); then echo "FAIL: $total files but $lines outcomes (a crash loses lines)"; fail=1; fi
if ((errors != 0)); then echo "FAIL: $errors messages ended in an error:"; grep '"error"' "$out" | head -n 5; fail=1; fi
if ((with_reason != quarantined)); then echo "FAIL: a quarantined message without a reason"; fail=1; fi
if ((kept < quarantined)); then
  # Identical bytes quarantined twice share one file, so kept may be lower only for exact copies.
  uniq_q=$(grep '"action":"quarantined"' "$out" | wc -l)
  echo "note: $kept files kept for $uniq_q quarantined outcomes"
fi
if ((fail)); then exit 1; fi
