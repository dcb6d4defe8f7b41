#!/bin/bash
# Probe: the rollout config changes between two applies of the same release.
# MODE=waves: [10,100] -> [50,100] after wave 1 ran; MODE=canary: a canary is added after wave 1 ran;
# MODE=flag: apply --waves 50,100 on the resumed run.
source "$(dirname "$0")/lib.sh"
MODE=${MODE:-waves}
farm_up 20
config '"rollout": { "waves": [10, 100], "between": "gate" }'
b baseline $P1 >/dev/null || echo baseline failed
echo "--- first release (waves 10,100)"; release $P2 | tail -3; echo "rc=${PIPESTATUS[0]}"
steps
case $MODE in
  waves) config '"rollout": { "waves": [50, 100], "between": "gate" }'; ARGS="";;
  canary) config '"rollout": { "canary": { "memberIds": ["m00003"] }, "waves": [10, 100], "between": "gate" }'; ARGS="";;
  flag) ARGS="--waves 50,100";;
esac
fpost /_farm/reset-stats '{}' >/dev/null
echo "--- apply after the config changed ($MODE)"; b apply --yes $P2 $ARGS; echo "rc=$?"
steps
echo "--- gate pass gate.wave.1"; b gate pass gate.wave.1 $P2; echo "rc=$?"
echo "--- apply"; b apply --yes $P2 $ARGS; echo "rc=$?"
steps; tasks
writes
b status $P2
farm_down
