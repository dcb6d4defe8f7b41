#!/bin/bash
# Probe: how many portals are pending after a reconcile that stopped part-way with inactive portals.
# 20 portals; m00001–m00004 uninstalled (→ inactive, their rows marked active = 0); m00005–m00010
# point at a closed port, so with --parallel 1 the step stops as systemic after 5 in a row. README:
# "Installations the run has not reached yet are listed pending" and status counts "how many portals
# are … pending"; apply's summary and `apply --format json`'s portals should say the same.
source "$(dirname "$0")/lib.sh"
farm_up 20 >/dev/null
b baseline $P1 >/dev/null
b apply --yes --format json $P2 >"$W/gate.json" 2>/dev/null
gate_portals=$(python3 -c "import json;print(json.load(open('$W/gate.json'))['portals'])")
gates $P2
for m in m00001 m00002 m00003 m00004; do fault $m '"uninstalled"'; done
sql "UPDATE portals SET client_endpoint='http://127.0.0.1:1/rest/' WHERE member_id IN ('m00005','m00006','m00007','m00008','m00009','m00010')"
b apply --yes --parallel 1 $P2 >"$W/apply.txt" 2>&1; rc=$?
summary=$(grep 'portals.reconcile:' "$W/apply.txt" | tail -1)
b status --portals --limit 0 --format json $P2 >"$W/st.json"
read -r counted listed total <<<"$(python3 -c "
import json; d=json.load(open('$W/st.json'))
print(d['portals']['pending'], sum(p['state']=='pending' for p in d['portalList']), len(d['portalList']))")"
rep=$(b report --format json $P2 | python3 -c "import json,sys;print(json.load(sys.stdin)['portals']['totals']['pending'])")
echo "apply exit $rc; summary: $summary"
echo "status: portals.pending = $counted; portalList has $listed pending of $total"
echo "apply --format json at the deploy gate: portals = $gate_portals"
verdict $([ "$counted" = "$listed" ] && echo 0 || echo 1) "status's pending count ($counted) equals the portals it lists pending ($listed)"
verdict $([ "$rep" = "$listed" ] && echo 0 || echo 1) "report's portals.totals.pending ($rep) equals the portals status lists pending ($listed)"
verdict $(echo "$summary" | grep -q " $listed pending" && echo 0 || echo 1) "apply's summary counts the $listed unreached portals as pending: $summary"
verdict $(python3 -c "import json,sys;p=json.load(open('$W/gate.json'))['portals'];sys.exit(0 if p.get('pending')==20 else 1)" && echo 0 || echo 1) "apply --format json at a gate counts the 20 portals pending: $gate_portals"
finish
