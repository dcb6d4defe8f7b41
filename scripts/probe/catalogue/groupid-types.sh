#!/bin/bash
# Probe: TASK_VIEW_TAB option groupId given as a number, an array, with spaces. The docs: a string,
# a comma-separated list of project ids. After the release, a second reconcile must make zero
# placement.* writes (otherwise every reconcile rebinds the widget on every portal).
source "$(dirname "$0")/lib.sh"
VAL=${1:-11}
python3 - "$W/plans/acme.widgets" "$VAL" <<'PY'
import json,sys
d,val=sys.argv[1],json.loads(sys.argv[2])
base={"app":"acme.widgets","changelog":{"en":"Task tab for the listed projects only."},"scopes":["task","placement"],"handlerHosts":["app.acme.example"]}
json.dump(dict(base,version="1.0.0",placements=[{"placement":"TASK_VIEW_SIDEBAR","handler":"https://app.acme.example/s","title":"S"}]),open(f"{d}/1.0.0.json","w"),indent=2)
json.dump(dict(base,version="2.0.0",placements=[{"placement":"TASK_VIEW_SIDEBAR","handler":"https://app.acme.example/s","title":"S"},{"placement":"TASK_VIEW_TAB","handler":"https://app.acme.example/t","title":"T","options":{"groupId":val}}]),open(f"{d}/2.0.0.json","w"),indent=2)
PY
farm_up 2 3 task,placement $W/plans/acme.widgets/1.0.0.json ""
b baseline plans/acme.widgets/1.0.0.json >/dev/null || echo baseline failed
b lint plans/acme.widgets/2.0.0.json | grep -v '^ '
release plans/acme.widgets/2.0.0.json 2>&1 | tail -1; echo "rc=${PIPESTATUS[0]}"
fget /_farm/portal/m00001 | python3 -c "import json,sys;print([ (p['placement'],p['options']) for p in json.load(sys.stdin)['placements']])"
fpost /_farm/reset-stats '{}' >/dev/null
b reconcile --member-id m00001 plans/acme.widgets/2.0.0.json >/dev/null 2>&1; echo "reconcile rc=$?"; writes
b drift plans/acme.widgets/2.0.0.json 2>/dev/null | head -3; echo "drift rc=${PIPESTATUS[0]}"
farm_down
