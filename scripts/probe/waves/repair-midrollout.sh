#!/bin/bash
# Probe: a wave rollout of 2.0.0 is half done (wave 1 done, waiting at gate.wave.1; or wave 1 halted),
# then drift and `reconcile --all` of the published 2.0.0. Question: does the bulk repair push 2.0.0
# to wave 2's portals, past the unpassed gate / the halt?
source "$(dirname "$0")/lib.sh"
MODE=${MODE:-gate}
farm_up 20
config '"rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 3 }, "between": "gate" }'
b baseline $P1 >/dev/null || echo baseline failed
[ $MODE = halt ] && for m in m00001 m00002 m00006; do fault $m '"redirect_insecure"'; done
echo "--- release: wave 1"; release $P2 | tail -2; steps | grep wave
[ $MODE = halt ] && for m in m00001 m00002 m00006; do fault $m ''; done
echo "wave 2 portal m00003 has the task tab: $(hastask m00003)"
echo "--- drift"; b drift $P2 | tail -4; echo "rc=${PIPESTATUS[0]}"
fpost /_farm/reset-stats '{}' >/dev/null
echo "--- reconcile --all"; b reconcile --all $P2 | tail -4; echo "rc=${PIPESTATUS[0]}"
echo "wave 2 portal m00003 has the task tab: $(hastask m00003)"
writes
steps | grep wave
echo "--- status"; b status $P2 | tail -3
echo "--- gate pass gate.wave.1 + apply"; b gate pass gate.wave.1 $P2 | head -1; b apply --yes $P2 | tail -3
farm_down
