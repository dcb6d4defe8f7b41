#!/bin/bash
# Probe: drift's "repair with:" command when many portals differ and member ids have Bitrix24's
# real length (32 hex characters). about 4,500 of 9,000 portals differ: the one --member-id argument is ~148 KB,
# over Linux's 128 KiB limit for a single argument (MAX_ARG_STRLEN). Expected: the printed command
# can be run (e.g. it says --all, --where, or splits). Observed: see below.
source "$(dirname "$0")/lib.sh"
N=${N:-9000}
python3 "$FARMDIR/farm.py" --generate $N --seed 3 --scopes crm,placement,task --bind-from "$W/$P1" --out "$W/farm.json" >/dev/null
python3 - "$W/farm.json" <<'PY'
import json, sys, hashlib
c = json.load(open(sys.argv[1]))
for p in c["portals"]: p["member_id"] = hashlib.md5(p["member_id"].encode()).hexdigest()
json.dump(c, open(sys.argv[1], "w"))
PY
mkfifo "$W/farm.in"
( python3 "$FARMDIR/farm.py" --config "$W/farm.json" --sqlite "$W/state.db" <"$W/farm.in" >"$W/farm.out" 2>"$W/farm.err" & )
exec 9>"$W/farm.in"
for i in $(seq 1 200); do grep -q PORT "$W/farm.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(awk '/PORT/{print $2}' "$W/farm.out"); F=http://127.0.0.1:$PORT
export B24_CLIENT_ID=$(python3 -c "import json;print(json.load(open('$W/farm.json'))['client_id'])")
export B24_CLIENT_SECRET=$(python3 -c "import json;print(json.load(open('$W/farm.json'))['client_secret'])")
export B24PLAN_DATABASE_URL=sqlite:$W/state.db B24PLAN_SKIP_PREFLIGHT=1
config ''
b baseline $P1 >/dev/null || echo baseline failed
b apply --yes $P2 >/dev/null 2>&1; gates $P2
# publish 2.0.0 and reconcile about half of the portals (member_id < '8'): ~4,500 differ
b apply --yes --where "member_id < '8'" $P2 >/dev/null 2>&1
start=$(date +%s)
b drift $P2 >$W/drift.out 2>&1; echo "drift rc=$? in $(( $(date +%s) - start )) s"
CMD=$(grep '^repair with:' $W/drift.out | sed 's/^repair with: //'); echo "printed command: ${#CMD} bytes; longest word: $(echo "$CMD" | tr ' ' '\n' | awk '{ if (length > m) m = length } END { print m }') bytes"
echo "--- running the printed command"
(cd $W && eval "${CMD/b24plan/$B24PLAN}" >$W/rec.out 2>&1); echo "rc=$?"; tail -2 $W/rec.out | cut -c1-300
exec 9>&-
