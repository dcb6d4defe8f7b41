#!/bin/bash
# Probe: `reconcile --member-id` with 10,000 ids (200 installed portals, the rest unknown), and with
# a duplicated id. Expected: the installed ones repaired once each, the unknown ones named (or
# counted), no crash; time taken.
source "$(dirname "$0")/lib.sh"
farm_up 200
b baseline $P1 >/dev/null || echo baseline failed
release $P2 | tail -1
for m in $(members); do fpost /_farm/portal/$m/unbind '{"placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/task"}' >/dev/null; done
IDS=$(python3 -c "print(','.join(['m%05d' % i for i in range(1, 10001)] + ['m00001']))")
fpost /_farm/reset-stats '{}' >/dev/null
start=$(date +%s.%N)
b reconcile --member-id "$IDS" $P2 >$W/rec.out 2>&1; echo "rc=$?"; head -c 600 $W/rec.out; echo; tail -3 $W/rec.out | cut -c1-400
python3 -c "print('took %.1f s' % ($(date +%s.%N) - $start))"
fget /_farm/stats | python3 -c "import json,sys;d=json.load(sys.stdin);w=d['writes_by_portal_method'];print('portals written',len(w),'max binds per portal',max([v.get('placement.bind',0) for v in w.values()] or [0]))"
b reconcile --format json --member-id "$IDS" $P2 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); print({k: (v if not isinstance(v,(dict,list)) else len(v)) for k,v in d.items()}); print(json.dumps(d['states'])[:300])"
farm_down
