#!/bin/bash
# Probe (needs MariaDB: run `source scripts/mariadb-test-server.sh` first, or set
# B24PLAN_TEST_MYSQL_URL): an installation whose member id has 1,000 characters, on a MySQL/MariaDB
# store; its endpoint refuses connections, so the reconcile cannot finish it. Expected: it ends
# `failed` (or pending) under its whole id, and is never marked inactive without evidence (README: a
# portal is `inactive` "only on evidence about that portal"). Observed: b24plan_portal_tasks.member_id
# is VARCHAR(191); the id is cut there, the cut id matches no installation, so the portal is journaled
# `inactive` ("no longer an active installation"), never reconciled, and apply exits 0.
source "$(dirname "$0")/lib.sh"
: "${B24PLAN_TEST_MYSQL_URL:?source scripts/mariadb-test-server.sh first}"
my() { python3 - "$B24PLAN_TEST_MYSQL_URL" "$1" <<'PY'
import subprocess, sys
from urllib.parse import unquote
url = sys.argv[1]; rest = url.split("://", 1)[1]; userinfo, hostpart = rest.rsplit("@", 1)
user, password = userinfo.split(":", 1); hostport, db = hostpart.split("/", 1); host, port = hostport.split(":")
r = subprocess.run(["mariadb", "-h", host, "-P", port, "-u", user, f"-p{unquote(password)}", db, "-N", "-e", sys.argv[2]], capture_output=True, text=True)
sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); sys.exit(r.returncode)
PY
}
for t in $(my "SHOW TABLES"); do my "DROP TABLE \`$t\`"; done
farm_up 3 >/dev/null
export B24PLAN_DATABASE_URL=$B24PLAN_TEST_MYSQL_URL
my "CREATE TABLE portals (member_id VARCHAR(1100) NOT NULL, domain TEXT, client_endpoint TEXT NOT NULL, access_token TEXT, refresh_token TEXT, expires_at BIGINT, active INT NOT NULL DEFAULT 1, PRIMARY KEY (member_id(700)))"
rows=$(sqlite3 "$W/state.db" "SELECT printf('(''%s'',''%s'',''%s'',''%s'',''%s'',%d,1)', member_id, domain, client_endpoint, access_token, refresh_token, expires_at) FROM portals" | paste -sd,)
LONG=$(python3 -c "print('z' * 1000)")
my "INSERT INTO portals VALUES $rows, ('$LONG', 'x', 'http://127.0.0.1:1/rest/', 'a', 'r', 4102444800, 1)"
b baseline $P1 >/dev/null; b apply --yes $P2 >/dev/null 2>&1; gates $P2
b apply --yes --parallel 1 $P2 >/dev/null 2>&1; echo "apply exit $?"
echo "journal: $(my "SELECT LENGTH(member_id), state FROM b24plan_portal_tasks WHERE member_id LIKE 'zz%'" | tr '\n' ' ')"
python3 - "$B24PLAN" "$W" <<'PY'
import json, subprocess, sys
b, W = sys.argv[1:3]
d = json.loads(subprocess.run([b, "status", "--portals", "--limit", "0", "--format", "json"], cwd=W, capture_output=True, text=True).stdout)
long = [p for p in d["portalList"] if p["memberId"].startswith("zzz")]
print(f"status lists: {[(len(p['memberId']), p['state'], p['reason']) for p in long]}")
ok = len(long) == 1 and len(long[0]["memberId"]) == 1000 and long[0]["state"] != "inactive"
print(f"{'PASS' if ok else 'FAIL'}: the 1,000-character installation is listed once, under its whole id, not inactive")
sys.exit(0 if ok else 1)
PY
[ $? = 0 ] || FAILS=$((FAILS+1))
finish
