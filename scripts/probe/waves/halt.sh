#!/bin/bash
# Probe: a wave halts; then (MODE) apply without fixing | gate pass gate.wave.1 | gate pass portals.wave.1 |
# apply --retry failed without fixing. Expected every time: wave 2 is not touched while wave 1 is halted.
source "$(dirname "$0")/lib.sh"
MODE=${MODE:-reapply}
farm_up 20
config '"rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 3 }, "between": "gate" }'
b baseline $P1 >/dev/null || echo baseline failed
for m in m00001 m00002 m00006 m00007; do fault $m '"redirect_insecure"'; done
echo "--- release: wave 1 should halt"; release $P2 | tail -4; echo "rc=${PIPESTATUS[0]}"
steps
fpost /_farm/reset-stats '{}' >/dev/null
case $MODE in
  reapply) echo "--- apply, nothing fixed"; b apply --yes $P2 | tail -6; echo "rc=${PIPESTATUS[0]}";;
  retry) echo "--- apply --retry failed, nothing fixed"; b apply --yes --retry failed $P2 | tail -6; echo "rc=${PIPESTATUS[0]}";;
  gate) echo "--- gate pass gate.wave.1"; b gate pass gate.wave.1 $P2; echo "rc=$?"
        echo "--- apply"; b apply --yes $P2 | tail -6; echo "rc=${PIPESTATUS[0]}";;
  wavegate) echo "--- gate pass portals.wave.1"; b gate pass portals.wave.1 $P2; echo "rc=$?"
        echo "--- apply"; b apply --yes $P2 | tail -6; echo "rc=${PIPESTATUS[0]}";;
esac
steps
echo "--- wave 2 portals touched (m00003 is wave 2):"; hastask m00003
writes
farm_down
