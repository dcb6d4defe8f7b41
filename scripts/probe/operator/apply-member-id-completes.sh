#!/bin/bash
# Probe: `apply --member-id A,B` (or `--where SQL`) on a release's run. README: apply exits 0 only
# "when every step is done and no portal is failed or pending"; installations the run has not reached
# are pending; a plain re-apply resumes the run. Observed: the targeted apply closes
# portals.reconcile and portals.scope-audit with the selected portals only, says "apply complete",
# exits 0; status then counts 0 pending; a plain apply afterwards reaches no other portal.
source "$(dirname "$0")/lib.sh"
MODE=${MODE:-member-id}
farm_up 12 >/dev/null
b baseline $P1 >/dev/null
b apply --yes $P2 >/dev/null 2>&1; gates $P2
if [ "$MODE" = where ]; then sel=(--where "member_id <= 'm00002'"); else sel=(--member-id m00001,m00002); fi
b apply --yes "${sel[@]}" $P2 >"$W/a1.txt" 2>&1; rc=$?
tail -4 "$W/a1.txt"
b apply --yes $P2 >"$W/a2.txt" 2>&1; rc2=$?
bound=$(for m in m00003 m00004 m00005 m00006 m00007 m00008 m00009 m00010 m00011 m00012; do
  fget /_farm/portal/$m | python3 -c "import json,sys;print(any(p['placement']=='TASK_VIEW_TAB' for p in json.load(sys.stdin)['placements']))"; done | grep -c True)
pending=$(b status --format json $P2 | python3 -c "import json,sys;print(json.load(sys.stdin)['portals']['pending'])")
echo "targeted apply exit $rc; plain apply exit $rc2; portals outside the selection with the new tab: $bound of 10; status pending: $pending"
verdict $([ $rc = 3 ] && echo 0 || echo 1) "apply ${sel[*]} leaves the other 10 portals pending: exit 3, not $rc"
verdict $([ "$bound" = 10 ] && echo 0 || echo 1) "a plain apply afterwards reconciles the other 10 portals ($bound did)"
finish
