#!/bin/bash
# Probe: release 2.0.0 (LANDING_SETTINGS "Check meta tags" + LANDING_BLOCK_04.1...), then 2.1.0
# (LANDING_SETTINGS retitled "Check the page", block removed), then `apply --rollback 2.0.0.json`.
# Expected after the rollback: every portal's landing_placements == 2.0.0's (title "Check meta tags" + block).
source "$(dirname "$0")/lib.sh"
FIX=$REPO/Tests/Fixtures/catalogue/acme.widgets
cp $FIX/*.json $W/plans/acme.widgets/
farm_up 3 3 crm,placement,task,landing $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null
release plans/acme.widgets/2.0.0.json >/dev/null; echo "after 2.0.0: $(landing m00001)"
release plans/acme.widgets/2.1.0.json >/dev/null; echo "after 2.1.0: $(landing m00001)"
fpost /_farm/reset-stats '{}' >/dev/null
b apply --yes --rollback plans/acme.widgets/2.0.0.json; echo "rollback rc=$?"
echo "after rollback: $(landing m00001)"; writes
b drift plans/acme.widgets/2.0.0.json; echo "drift rc=$?"
farm_down
