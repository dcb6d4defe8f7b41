#!/bin/bash
# Probe: SIGINT during a wave (SIG=INT|TERM). Expected: exit 130/143, the wave stays running/pending
# (not done, not halted), the next apply resumes it; every portal bound exactly once; the later
# wave untouched until its gate.
source "$(dirname "$0")/lib.sh"
SIG=${SIG:-INT}
farm_up 40 "slow=40"
config '"rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 3 }, "between": "gate" }'
b baseline $P1 >/dev/null || echo baseline failed
b apply --yes $P2 >/dev/null 2>&1; gates $P2
(cd $W && exec $B24PLAN apply --yes --parallel 2 $P2 >$W/int.out 2>&1) & pid=$!
sleep 1.5; kill -$SIG $pid; wait $pid; echo "interrupted apply rc=$?"; tail -4 $W/int.out
steps; sql "SELECT step_id, state, count(*) FROM b24plan_portal_tasks GROUP BY 1,2"
writes
b apply --yes --parallel 2 $P2 | tail -3; echo "resumed rc=${PIPESTATUS[0]}"
b gate pass gate.wave.1 $P2 >/dev/null; b apply --yes --parallel 4 $P2 | tail -3; echo "final rc=${PIPESTATUS[0]}"
fget /_farm/stats | python3 -c "import json,sys;d=json.load(sys.stdin);w=d['writes_by_portal_method'];print('portals written',len(w),'max binds per portal',max(v.get('placement.bind',0) for v in w.values()))"
farm_down
