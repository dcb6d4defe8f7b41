#!/bin/bash
# Probe: `reconcile --all` (and --member-id with one id, and several) while an apply of the same app
# is running its portals. Expected: the bulk repair is refused (the app's lock) or waits; no portal
# is written twice at once.
source "$(dirname "$0")/lib.sh"
farm_up 40 "slow=40"
b baseline $P1 >/dev/null || echo baseline failed
b apply --yes $P2 >/dev/null 2>&1; gates $P2
(cd $W && exec $B24PLAN apply --yes --parallel 2 $P2 >$W/apply.out 2>&1) & pid=$!
sleep 1.5
echo "--- reconcile --all during the apply"; b reconcile --all $P2 2>&1 | tail -3; echo "rc=${PIPESTATUS[0]}"
echo "--- reconcile --member-id m00040 during the apply"; b reconcile --member-id m00040 $P2 2>&1 | tail -3; echo "rc=${PIPESTATUS[0]}"
echo "--- reconcile --member-id m00039,m00038 during the apply"; b reconcile --member-id m00039,m00038 $P2 2>&1 | tail -3; echo "rc=${PIPESTATUS[0]}"
echo "--- drift during the apply"; b drift $P2 2>&1 | tail -1; echo "rc=${PIPESTATUS[0]}"
wait $pid; echo "apply rc=$?"; tail -2 $W/apply.out
fget /_farm/stats | python3 -c "import json,sys;d=json.load(sys.stdin);w=d['writes_by_portal_method'];print('portals written',len(w),'max binds per portal',max(v.get('placement.bind',0) for v in w.values())); print('errors', d['errors_by_method'])"
sql "SELECT r.version, r.state FROM b24plan_runs r" 
farm_down
