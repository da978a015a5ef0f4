#!/usr/bin/env python3
"""What PRAGMA secure_delete costs the store (docs/privacy.md), as ratios in one run.

Each round makes a fresh WAL database with synchronous=FULL (as the store does), inserts N messages
of ~1.5 KB text and a 6 KB raw copy, one commit each (the ingest), then blanks the text and raw copy
of every second one in one transaction (an erase). Rounds alternate secure_delete ON and OFF, so the
shared machine's load falls on both. Python's sqlite3 uses the system's SQLite (3.40 on Debian 12).

    bench/secure_delete.py [--messages N] [--rounds R]
"""
import argparse
import os
import random
import sqlite3
import string
import tempfile
import time


def one_round(folder, secure, messages):
    path = os.path.join(folder, f"bench-{int(secure)}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(f"PRAGMA secure_delete={'ON' if secure else 'OFF'}")
    db.execute("CREATE TABLE messages(id INTEGER PRIMARY KEY, text TEXT, raw BLOB)")
    rnd = random.Random(1)
    letters = string.ascii_letters + " "
    start = time.perf_counter()
    for _ in range(messages):
        text = "".join(rnd.choice(letters) for _ in range(1500))
        db.execute("BEGIN")
        db.execute("INSERT INTO messages(text, raw) VALUES(?, ?)", (text, rnd.randbytes(6000)))
        db.execute("COMMIT")
    inserted = time.perf_counter()
    db.execute("BEGIN")
    for i in range(1, messages + 1, 2):
        db.execute("UPDATE messages SET text = '', raw = X'' WHERE id = ?", (i,))
    db.execute("COMMIT")
    erased = time.perf_counter()
    db.close()
    return inserted - start, erased - inserted


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    times = {True: [], False: []}
    with tempfile.TemporaryDirectory() as folder:
        for r in range(args.rounds):
            for secure in ((True, False) if r % 2 == 0 else (False, True)):
                times[secure].append(one_round(folder, secure, args.messages))
    print(f"SQLite {sqlite3.sqlite_version}, {args.messages} messages, {args.rounds} rounds")
    for secure in (False, True):
        print(("secure_delete ON " if secure else "secure_delete OFF"),
              "insert s:", [round(t[0], 2) for t in times[secure]],
              "erase s:", [round(t[1], 3) for t in times[secure]])
    insert = sum(t[0] for t in times[True]) / sum(t[0] for t in times[False])
    erase = sum(t[1] for t in times[True]) / sum(t[1] for t in times[False])
    print(f"ON / OFF: insert {insert:.2f}, erase {erase:.2f}")


if __name__ == "__main__":
    main()
