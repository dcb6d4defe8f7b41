#!/bin/bash
# Probe: a portal's own error text (here ESC[2J — clear screen —, an OSC title sequence, BEL, CR and
# a newline) reaches the operator's terminal raw through `status --portals`, `drift` and
# `reconcile --member-id`. README: text output prints control characters escaped (\n, \r, \u{1B}) so
# nothing "can clear or rewrite the terminal"; the report escapes the same text. Also: the
# "… more: b24plan status --portals --after ID" hint must be a command a shell can run (quoted).
source "$(dirname "$0")/lib.sh"
farm_up 4 >/dev/null
b baseline $P1 >/dev/null
b apply --yes $P2 >/dev/null 2>&1; gates $P2
mkfifo "$W/h.in"; ( python3 "$(dirname "$0")/hostile_portal.py" <"$W/h.in" >"$W/h.out" 2>/dev/null & ); exec 8>"$W/h.in"
for i in $(seq 1 50); do grep -q PORT "$W/h.out" 2>/dev/null && break; sleep 0.1; done
HP=$(awk '/PORT/{print $2}' "$W/h.out")
sql "UPDATE portals SET client_endpoint='http://127.0.0.1:$HP/p/x/rest/' WHERE member_id='m00002'"
b apply --yes $P2 >/dev/null 2>&1; echo "apply exit $? (m00002 failed)"
raw() { python3 -c "import sys; d=open(sys.argv[1],'rb').read(); sys.exit(0 if any(c in d for c in (b'\x1b', b'\x07', b'\r')) else 1)" "$1"; }
b status --portals --state failed >"$W/status.txt" 2>&1
raw "$W/status.txt"; verdict $([ $? = 1 ] && echo 0 || echo 1) "status --portals prints no raw ESC/BEL/CR from a portal's error: $(grep m00002 "$W/status.txt" | head -c 120 | cat -v)"
b drift $P2 >"$W/drift.txt" 2>&1
raw "$W/drift.txt"; verdict $([ $? = 1 ] && echo 0 || echo 1) "drift prints no raw ESC/BEL/CR: $(grep m00002 "$W/drift.txt" | head -c 120 | cat -v)"
b reconcile $P2 --member-id m00002 >"$W/rec.txt" 2>&1
raw "$W/rec.txt"; verdict $([ $? = 1 ] && echo 0 || echo 1) "reconcile --member-id prints no raw ESC/BEL/CR: $(head -c 120 "$W/rec.txt" | cat -v)"
# The next-page hint with member ids a shell would split.
sqlite3 "$W/state.db" "INSERT INTO portals (member_id, domain, client_endpoint, access_token, refresh_token, expires_at, active) VALUES ('it''s a b', 'x', 'https://h.example/rest/', 'a', 'r', 4102444800, 1), ('it''s a c', 'x', 'https://h.example/rest/', 'a', 'r', 4102444800, 1)"
hint=$(b status --portals --limit 1 2>&1 | grep 'more:' | sed 's/.*more: //; s/ (with the same.*//')
echo "hint: $hint"
got=$(bash -c "set -- $hint; printf '%s' \"\${5:-}\"" 2>/dev/null)
verdict $([ "$got" = "it's a b" ] && echo 0 || echo 1) "the next-page hint's --after value survives a shell: got [$got], want [it's a b]"
exec 8>&-
finish
