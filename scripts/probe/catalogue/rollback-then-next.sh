#!/bin/bash
# Probe: 2.0.0 → 2.1.0 → apply --rollback 2.0.0 → release 2.2.0 (same bindings as 2.1.0).
# Expected after 2.2.0: landing_placements == [LANDING_SETTINGS "Check the page"] on every portal
# (the README: "the next release reconciles every portal, since they hold the older bindings").
source "$(dirname "$0")/lib.sh"
FIX=$REPO/Tests/Fixtures/catalogue/acme.widgets
cp $FIX/*.json $W/plans/acme.widgets/
sed -e 's/"2.1.0"/"2.2.0"/' -e 's/The Sites action is renamed; the block action is gone./Release 2.2.0 again renames the Sites action./' $FIX/2.1.0.json > $W/plans/acme.widgets/2.2.0.json
farm_up 3 3 crm,placement,task,landing $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null
release plans/acme.widgets/2.0.0.json >/dev/null
release plans/acme.widgets/2.1.0.json >/dev/null
b apply --yes --rollback plans/acme.widgets/2.0.0.json >/dev/null 2>&1; echo "rollback rc=$?; after rollback: $(landing m00001)"
fpost /_farm/reset-stats '{}' >/dev/null
b diff plans/acme.widgets/2.2.0.json | sed -n '/Changes/,/Plan:/p'
release plans/acme.widgets/2.2.0.json >/dev/null 2>&1; echo "2.2.0 rc=$?"
echo "after 2.2.0: $(landing m00001)"; writes
