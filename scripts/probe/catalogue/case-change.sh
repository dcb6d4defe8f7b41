#!/bin/bash
# Probe: release 2.2.0 writes 2.1.0's LANDING_SETTINGS as "landing_settings" (the docs: "the case
# of the characters in the code is not important"). Expected: the Sites binding stays bound.
source "$(dirname "$0")/lib.sh"
FIX=$REPO/Tests/Fixtures/catalogue/acme.widgets
cp $FIX/*.json $W/plans/acme.widgets/
sed -e 's/"2.1.0"/"2.2.0"/' -e 's/"LANDING_SETTINGS"/"landing_settings"/' -e 's/The Sites action is renamed; the block action is gone./Release 2.2.0 spells the Sites code in lower case./' $FIX/2.1.0.json > $W/plans/acme.widgets/2.2.0.json
farm_up 2 3 crm,placement,task,landing $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null
release plans/acme.widgets/2.0.0.json >/dev/null
release plans/acme.widgets/2.1.0.json >/dev/null
echo "after 2.1.0: $(landing m00001)"
b lint plans/acme.widgets/2.2.0.json
b diff plans/acme.widgets/2.2.0.json | sed -n '/Changes/,/Partner/p'
fpost /_farm/reset-stats '{}' >/dev/null
release plans/acme.widgets/2.2.0.json 2>&1 | tail -2; echo "rc=${PIPESTATUS[0]}"
echo "after 2.2.0: $(landing m00001)"; writes
fpost /_farm/reset-stats '{}' >/dev/null
b reconcile --member-id m00001 plans/acme.widgets/2.2.0.json >/dev/null 2>&1; echo "reconcile rc=$?  after: $(landing m00001)"; writes
farm_down
