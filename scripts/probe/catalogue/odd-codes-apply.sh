#!/bin/bash
# Probe: Sites codes that lint accepts but that are odd: bare LANDING_BLOCK (B24P218 warning only),
# LANDING_BLOCK_*x, LANDING_BLOCK_**, landing_block_*, a 600-character block code. Apply them.
source "$(dirname "$0")/lib.sh"
CODE=${1:-LANDING_BLOCK}
python3 - "$W/plans/acme.widgets" "$CODE" <<'PY'
import json,sys
d,code=sys.argv[1],sys.argv[2]
base={"app":"acme.widgets","changelog":{"en":"Sites editor actions for every block type."},"scopes":["landing"],"handlerHosts":["app.acme.example"]}
json.dump(dict(base,version="1.0.0",placements=[{"placement":"LANDING_SETTINGS","handler":"https://app.acme.example/s","title":"S"}]),open(f"{d}/1.0.0.json","w"),indent=2)
json.dump(dict(base,version="2.0.0",placements=[{"placement":"LANDING_SETTINGS","handler":"https://app.acme.example/s","title":"S"},{"placement":code,"handler":"https://app.acme.example/b","title":"B"}]),open(f"{d}/2.0.0.json","w"),indent=2)
PY
farm_up 2 3 landing $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null || echo baseline failed
b lint plans/acme.widgets/2.0.0.json | cut -c1-200 | grep -v '^ '
release plans/acme.widgets/2.0.0.json 2>&1 | grep -v 'portals.reconcile: ./' | tail -4; echo "rc=${PIPESTATUS[0]}"
b status plans/acme.widgets/2.0.0.json 2>&1 | tail -3 | cut -c1-300
echo "m00001: $(landing m00001 | cut -c1-300)"; writes
farm_down
