#!/bin/bash
# Probe: a wave halts early (minPortals reached before the wave's end, --parallel 1 so the order is
# fixed), the cause is fixed, then `apply --retry failed`. Expected: the wave continues: the failed
# portals AND the portals of the wave never started are reconciled; status counts them as pending.
source "$(dirname "$0")/lib.sh"
RETRY=${RETRY---retry failed}
farm_up 20
config '"rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 3 }, "between": "gate" }'
b baseline $P1 >/dev/null || echo baseline failed
WAVE1="m00001 m00002 m00006 m00007 m00010 m00013 m00014 m00015 m00016 m00018 m00019 m00020"
for m in $WAVE1; do fault $m '"redirect_insecure"'; done
echo "--- release: wave 1 should halt early"; release $P2 --parallel 1 | tail -2; echo "rc=${PIPESTATUS[0]}"
tasks | grep wave.1
b status $P2 | tail -3
for m in $WAVE1; do fault $m ''; done
echo "--- fixed; apply $RETRY"; b apply --yes $RETRY --parallel 1 $P2 | tail -3; echo "rc=${PIPESTATUS[0]}"
steps; tasks | grep wave.1
n=0; for m in $WAVE1; do [ "$(hastask $m)" = True ] && n=$((n+1)); done; echo "wave 1 portals with the task tab: $n of 12"
echo "--- finish the rollout"; b gate pass gate.wave.1 $P2 >/dev/null; b apply --yes $P2 | tail -4; echo "rc=${PIPESTATUS[0]}"
n=0; for m in $(members); do [ "$(hastask $m)" = True ] || { n=$((n+1)); echo -n "$m "; }; done; echo; echo "portals without the task tab after the rollout completed: $n of 20"
b status $P2 | tail -1
farm_down
