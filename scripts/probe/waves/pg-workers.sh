#!/bin/bash
# Probe: apply --worker with waves on PostgreSQL. Two workers are started before the coordinating
# apply of each wave. Expected: nobody touches a wave before its gate is passed; once wave 2 halts,
# no worker goes on with wave 2's remaining portals or with wave 3; all exit.
source "$(dirname "$0")/lib.sh"
source "$REPO/scripts/postgres-test-cluster.sh" || { echo "no PostgreSQL"; exit 1; }
psql "$B24PLAN_TEST_POSTGRES_URL" -qc "CREATE DATABASE wavesprobe" || exit 1
PG=${B24PLAN_TEST_POSTGRES_URL%/postgres}/wavesprobe
N=${N:-60}
FARM_SERVE_ARGS="--postgres $PG"
farm_up $N "slow=$N"
export B24PLAN_DATABASE_URL=$PG
pgsql() { psql "$PG" -At -F'|' -c "$1"; }
config '"rollout": { "waves": [30, 60, 100], "halt": { "failedPercent": 10, "minPortals": 4 }, "between": "gate" }'
b baseline $P1 >/dev/null || echo baseline failed
b apply --yes $P2 >/dev/null 2>&1; gates $P2
ALL=($(members))
W1=(); W2=(); W3=()
while read m p; do
  if python3 -c "import sys; sys.exit(0 if $p < 30 else 1)"; then W1+=($m)
  elif python3 -c "import sys; sys.exit(0 if $p < 60 else 1)"; then W2+=($m)
  else W3+=($m); fi
done < <(bucket "${ALL[@]}")
echo "waves: ${#W1[@]} ${#W2[@]} ${#W3[@]}"
share() { # share LABEL: 2 workers, then the coordinator; all waited for
  (cd $W && exec $B24PLAN apply --worker --parallel 2 $P2 >$W/w1.$1 2>&1) & a=$!
  (cd $W && exec $B24PLAN apply --worker --parallel 2 $P2 >$W/w2.$1 2>&1) & c=$!
  sleep 0.3
  (cd $W && exec $B24PLAN apply --yes --parallel 2 $P2 >$W/co.$1 2>&1) & d=$!
  wait $d; echo "coordinator rc=$?"; tail -3 $W/co.$1
  fpost /_farm/reset-stats '{}' >/dev/null; echo "(farm statistics reset when the coordinator ended)"
  for p in $a $c; do
    for i in $(seq 1 300); do kill -0 $p 2>/dev/null || break; sleep 0.1; done
    if kill -0 $p 2>/dev/null; then echo "worker $p still running 30 s after the coordinator ended"; kill -INT $p; fi
    wait $p; echo "worker rc=$?"
  done
  tail -3 $W/w1.$1
  echo -n "after the coordinator ended: "; writes
}
echo "--- wave 1"; share 1
n=0; for m in "${W2[@]}" "${W3[@]}"; do [ "$(hastask $m)" = True ] && n=$((n+1)); done; echo "later-wave portals touched before gate.wave.1: $n"
# break 2/3 of wave 2
k=0; for m in "${W2[@]}"; do [ $((k % 3)) -ne 2 ] && fault $m '"redirect_insecure", "slow"'; k=$((k+1)); done
b gate pass gate.wave.1 $P2 >/dev/null
echo "--- wave 2 (should halt)"; share 2
pgsql "SELECT t.step_id, t.member_id, t.state, t.updated_at, t.lease_owner FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id=t.run_id WHERE r.version='2.0.0' AND t.step_id='portals.wave.2' ORDER BY t.updated_at"
pgsql "SELECT s.step_id, s.state, s.finished_at FROM b24plan_steps s JOIN b24plan_runs r ON r.id=s.run_id WHERE r.version='2.0.0' AND s.step_id LIKE 'portals.wave%'"
n=0; for m in "${W3[@]}"; do [ "$(hastask $m)" = True ] && n=$((n+1)); done; echo "wave 3 portals touched: $n"
echo "--- a worker alone while wave 2 is halted"
(cd $W && timeout 30 $B24PLAN apply --worker --parallel 2 $P2 2>&1 | tail -3); echo "worker rc=${PIPESTATUS[0]}"
n=0; for m in "${W3[@]}"; do [ "$(hastask $m)" = True ] && n=$((n+1)); done; echo "wave 3 portals touched: $n"
farm_down
