#!/bin/bash
# Probe: canary edge cases. MODE=nomatch (where matches nothing) | unknown (a memberId not installed) |
# allfail (every canary portal fails) | inactive (canary member is an inactive row)
source "$(dirname "$0")/lib.sh"
MODE=${MODE:-nomatch}
farm_up 20
case $MODE in
  nomatch) config '"rollout": { "canary": { "where": "member_id = '"'"'nobody'"'"'" }, "waves": [50, 100], "between": "gate" }';;
  unknown) config '"rollout": { "canary": { "memberIds": ["m99999"] }, "waves": [50, 100], "between": "gate" }';;
  allfail) config '"rollout": { "canary": { "memberIds": ["m00003", "m00004"] }, "waves": [50, 100], "halt": {"failedPercent": 10, "minPortals": 5}, "between": "gate" }'
           fault m00003 '"redirect_insecure"'; fault m00004 '"redirect_insecure"';;
  inactive) config '"rollout": { "canary": { "memberIds": ["m00003"] }, "waves": [50, 100], "between": "gate" }'
           sql "UPDATE portals SET active = 0 WHERE member_id = 'm00003'";;
esac
b baseline $P1 >/dev/null || echo baseline failed
echo "--- diff"; b diff $P2 | sed -n '/canary/p'
echo "--- release"; release $P2 | tail -5; echo "rc=${PIPESTATUS[0]}"
steps; tasks | grep canary
echo "--- gate pass gate.canary"; b gate pass gate.canary $P2; echo "rc=$?"
echo "--- apply"; b apply --yes $P2 | tail -5; echo "rc=${PIPESTATUS[0]}"
steps
echo "m00003 has the task tab: $(hastask m00003)"
writes
farm_down
