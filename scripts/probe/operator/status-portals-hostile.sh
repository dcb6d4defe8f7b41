#!/bin/bash
# Probe: `status --portals` with hostile member ids (quotes, %, _, SQL fragments, unicode, control
# characters, 1,000 characters, the empty string) while the run waits at a gate (all pending), and
# `--limit` edge values. Expected: every id listed once in member-id order; paging with any page size
# following nextAfter ends and covers all; hostile --after values select by comparison only; --limit
# negative / non-numeric / huge is a usage error (64). With STORE=postgres (B24PLAN_TEST_POSTGRES_URL
# set) the same on PostgreSQL. Also times one page of 20,000 installations (N=20000).
source "$(dirname "$0")/lib.sh"
N=${N:-10}
if [ "${STORE:-sqlite}" = postgres ]; then
  : "${B24PLAN_TEST_POSTGRES_URL:?source scripts/postgres-test-cluster.sh first}"
  db="opx_$$"; psql -q -d "$B24PLAN_TEST_POSTGRES_URL" -c "CREATE DATABASE $db"
  PGURL=${B24PLAN_TEST_POSTGRES_URL%/*}/$db; FARM_SERVE_ARGS="--postgres $PGURL"
fi
farm_up "$N" >/dev/null
[ -n "${PGURL:-}" ] && export B24PLAN_DATABASE_URL=$PGURL
b baseline $P1 >/dev/null; b apply --yes $P2 >/dev/null 2>&1
python3 - "${PGURL:-sqlite:$W/state.db}" <<'PY'
import subprocess, sys
url = sys.argv[1]
ids = ["a'quote", 'b"dq', 'c%pct', 'd_under', 'é-unicode', 'z' * 1000, "' OR 1=1 --", "x\ty", "n\nl", "\x1b[31mred", "日本", "m00005%", "m0000_", "", " sp", "E-upper", "e-lower"]
if url.startswith("sqlite:"):
    import sqlite3
    c = sqlite3.connect(url[7:])
    for i in ids:
        c.execute("INSERT INTO portals (member_id, domain, client_endpoint, access_token, refresh_token, expires_at, active) VALUES (?,?,?,?,?,?,1)", (i, "x", "https://h.example/rest/", "a", "r", 4102444800))
    c.commit()
else:
    q = lambda s: "'" + s.replace("'", "''") + "'"
    sql = "INSERT INTO portals (member_id, domain, client_endpoint, access_token, refresh_token, expires_at, active) VALUES " + ",".join(f"({q(i)},'x','https://h.example/rest/','a','r',4102444800,1)" for i in ids if i != "")
    subprocess.run(["psql", "-q", "-d", url, "-c", sql], check=True)
PY
python3 - "$B24PLAN" "$W" <<'PY'
import json, subprocess, sys, time
b, W = sys.argv[1:3]
def status(*extra):
    r = subprocess.run([b, "status", "--portals", "--format", "json", *extra], cwd=W, capture_output=True, text=True)
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else r.stderr)
code, full = status("--limit", "0")
every = [p["memberId"] for p in full["portalList"]]
fails = 0
def check(ok, what):
    global fails
    print(("PASS: " if ok else "FAIL: ") + what); fails += 0 if ok else 1
check(len(every) == len(set(every)) and every == sorted(every, key=lambda s: s.encode()), f"--limit 0 lists {len(every)} ids once, in byte order")
for size in (1, 2, 7):
    seen, after, pages = [], None, 0
    while pages < 200:
        code, d = status("--limit", str(size), *(["--after", after] if after is not None else []))
        pages += 1
        if code != 0: break
        seen += [p["memberId"] for p in d["portalList"]]
        if d["nextAfter"] is None: break
        after = d["nextAfter"]
    check(seen == every, f"pages of {size}: {pages} pages, {len(seen)} ids, same as --limit 0")
for after in ["' OR 1=1 --", "%", "_", "m00005%", "zzz", "é"]:
    code, d = status("--after", after, "--limit", "0")
    want = [m for m in every if m.encode() > after.encode()]
    check(code == 0 and [p["memberId"] for p in d["portalList"]] == want, f"--after {after!r} lists exactly the ids after it")
for limit in ["-1", "abc", "1e3", "99999999999999999999", ""]:
    code, _ = status("--limit", limit)
    check(code == 64, f"--limit {limit!r} is a usage error (exit {code})")
start = time.time(); code, d = status("--limit", "100"); took = time.time() - start
check(code == 0, f"one page of 100 took {took:.2f} s")
sys.exit(1 if fails else 0)
PY
[ $? = 0 ] || FAILS=$((FAILS+1))
[ -n "${PGURL:-}" ] && { farm_down; psql -q -d "$B24PLAN_TEST_POSTGRES_URL" -c "DROP DATABASE $db WITH (FORCE)"; }
finish
