#!/bin/bash
# Probe: a portal that fails during 2.1.0 (redirect_insecure fault) is never fixed by the next
# release 2.2.0 (same bindings as 2.1.0): its removed Sites block binding stays and LANDING_SETTINGS
# keeps 2.0.0's title, while 2.2.0 reports every portal done and drift reports no difference.
source "$(dirname "$0")/lib.sh"
FIX=$REPO/Tests/Fixtures/catalogue/acme.widgets
cp $FIX/*.json $W/plans/acme.widgets/
sed -e 's/"2.1.0"/"2.2.0"/' -e 's/The Sites action is renamed; the block action is gone./Release 2.2.0 keeps the renamed Sites action./' $FIX/2.1.0.json > $W/plans/acme.widgets/2.2.0.json
farm_up 3 3 crm,placement,task,landing $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null
release plans/acme.widgets/2.0.0.json >/dev/null
fpost /_farm/portal/m00002/faults '{"faults":["redirect_insecure"]}' >/dev/null
release plans/acme.widgets/2.1.0.json 2>&1 | grep -E 'apply|m00002|failed' | head -5; echo "2.1.0 rc=${PIPESTATUS[0]}"
fpost /_farm/portal/m00002/faults '{"faults":[]}' >/dev/null
echo "m00002 after 2.1.0: $(landing m00002)"
release plans/acme.widgets/2.2.0.json 2>&1 | grep -E 'portals.reconcile:' | tail -1; echo "2.2.0 rc=${PIPESTATUS[0]}"
echo "m00001 after 2.2.0: $(landing m00001)"
echo "m00002 after 2.2.0: $(landing m00002)"
b drift plans/acme.widgets/2.2.0.json 2>/dev/null | head -2; echo "drift rc=${PIPESTATUS[0]}"
fpost /_farm/reset-stats '{}' >/dev/null
b reconcile --member-id m00002 plans/acme.widgets/2.2.0.json >/dev/null 2>&1; echo "reconcile --member-id m00002 2.2.0 rc=$?: $(landing m00002)"; writes
b apply --yes plans/acme.widgets/2.2.0.json 2>&1 | tail -1; echo "re-apply 2.2.0 rc=${PIPESTATUS[0]}: $(landing m00002)"
b apply --yes --retry failed plans/acme.widgets/2.1.0.json 2>&1 | grep -i error | head -2; echo "apply --retry failed 2.1.0 rc=${PIPESTATUS[0]}: $(landing m00002)"
farm_down
