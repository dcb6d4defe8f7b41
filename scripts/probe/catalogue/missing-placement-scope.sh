#!/bin/bash
# Probe: portal m00002 lacks scope `placement` but holds `landing` during 2.0.0. Expected: its Sites
# bindings are made (landing.repo.* needs only `landing`), placement.bind ones skipped (needs-reinstall).
source "$(dirname "$0")/lib.sh"
FIX=$REPO/Tests/Fixtures/catalogue/acme.widgets
cp $FIX/*.json $W/plans/acme.widgets/
farm_up 3 3 crm,placement,task,landing $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null
fpost /_farm/portal/m00002/scopes '{"scopes":["crm","task","landing"]}' >/dev/null
release plans/acme.widgets/2.0.0.json 2>&1 | tail -1; echo "rc=${PIPESTATUS[0]}"
echo "m00002 landing: $(landing m00002)"
sqlite3 $W/state.db "select member_id, state, substr(detail,1,200) from b24plan_portal_tasks where member_id='m00002'" 2>/dev/null || sqlite3 $W/state.db "select * from b24plan_portal_tasks where member_id='m00002'"
farm_down
