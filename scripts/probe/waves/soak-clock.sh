#!/bin/bash
# Probe: a timed soak ("between": "1h") and the clock. The canary runs under CLOCK1 (a faketime
# offset, e.g. -2d / +2d / 0), the next apply under CLOCK2; TZ1/TZ2 set the time zone of each.
source "$(dirname "$0")/lib.sh"
CLOCK1=${CLOCK1:-+0}; CLOCK2=${CLOCK2:-+0}; TZ1=${TZ1:-UTC}; TZ2=${TZ2:-UTC}
farm_up 10
config '"rollout": { "canary": { "memberIds": ["m00003"] }, "waves": [100], "between": "1h" }'
b baseline $P1 >/dev/null || echo baseline failed
b apply --yes $P2 >/dev/null 2>&1; gates $P2
echo "--- apply under faketime $CLOCK1 TZ=$TZ1"
(cd $W && TZ=$TZ1 faketime -f "$CLOCK1" $B24PLAN apply --yes $P2 2>&1 | tail -4); steps | grep -v done
sql "SELECT s.step_id, s.state, s.started_at, s.finished_at, s.detail FROM b24plan_steps s WHERE s.step_id LIKE 'soak%'"
echo "--- apply under faketime $CLOCK2 TZ=$TZ2"
(cd $W && TZ=$TZ2 faketime -f "$CLOCK2" $B24PLAN apply --yes $P2 2>&1 | tail -4); echo "rc=${PIPESTATUS[0]}"
steps | grep -v done
echo "--- status"; b status $P2 | grep -A1 soak
farm_down
