#!/bin/bash
# Probe: portal m00002 loses scope `landing` before 2.1.0 (which retitles LANDING_SETTINGS and removes
# the block binding). It ends needs-reinstall. After it reinstalls with `landing`, the README says
# `reconcile --member-id` completes it. Expected: m00002 == [LANDING_SETTINGS "Check the page"].
source "$(dirname "$0")/lib.sh"
FIX=$REPO/Tests/Fixtures/catalogue/acme.widgets
cp $FIX/*.json $W/plans/acme.widgets/
farm_up 3 3 crm,placement,task,landing $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null
release plans/acme.widgets/2.0.0.json >/dev/null
fpost /_farm/portal/m00002/scopes '{"scopes":["crm","placement","task"]}' >/dev/null
fpost /_farm/reset-stats '{}' >/dev/null
release plans/acme.widgets/2.1.0.json 2>&1 | grep -v "portals.reconcile: ./"; echo "2.1.0 rc=${PIPESTATUS[0]}"
writes
b status --missing-scopes plans/acme.widgets/2.1.0.json 2>&1 | tail -4
echo "m00002 after 2.1.0: $(landing m00002)"
fpost /_farm/portal/m00002/scopes '{"scopes":["crm","placement","task","landing"]}' >/dev/null
fpost /_farm/reset-stats '{}' >/dev/null
b reconcile --member-id m00002 plans/acme.widgets/2.1.0.json; echo "reconcile rc=$?"
echo "m00002 after reconcile: $(landing m00002)"; writes
farm_down
