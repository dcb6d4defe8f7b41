#!/bin/bash
# Probe: `diff --out saved.json`, `apply saved.json` (stops at the gates), pass the gates, then
# `apply saved.json` again to reach the portals. Expected: the same reviewed plan finishes the run.
source "$(dirname "$0")/lib.sh"
FIX=$REPO/Tests/Fixtures/catalogue/acme.widgets
cp $FIX/*.json $W/plans/acme.widgets/
farm_up 2 3 crm,placement,task,landing $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null
b diff --out saved.json plans/acme.widgets/2.0.0.json >/dev/null; echo "diff --out rc=$?"
b apply --yes saved.json >/dev/null 2>&1; echo "apply saved rc=$? (3 expected: gates)"
for g in deploy gate.partner gate.moderation; do b gate pass $g plans/acme.widgets/2.0.0.json >/dev/null; done
b apply --yes saved.json 2>&1 | grep -v 'portals.reconcile: [0-9]*/' | tail -3; echo "apply saved after gates rc=${PIPESTATUS[0]}"
echo "m00001 landing: $(landing m00001)"
farm_down
