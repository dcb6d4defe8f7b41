#!/bin/bash
# Probe: 30 Sites block bindings retitled in 1.1.0 (60 landing.repo.* commands per portal: more than
# one write batch). The portal apply is SIGKILLed (or SIGINTed: SIG=INT) at random moments and resumed
# until it completes. Expected: every portal holds exactly 1.1.0's 30 bindings with the new titles.
# FAULTS="flaky_5xx=0.5,expired_token=10" adds farm faults.
# usage: kill-resume.sh [portals=30] [kills=4] [latency_ms=40]
source "$(dirname "$0")/lib.sh"
N=${1:-30}; K=${2:-4}; LAT=${3:-40}; SIG=${SIG:-KILL}
python3 - "$W/plans/acme.widgets" <<'PY'
import json,sys
d=sys.argv[1]
for v,t in (("1.0.0","Old"),("1.1.0","New")):
    p={"app":"acme.widgets","version":v,"changelog":{"en":"Thirty block actions in the Sites editor, release "+v},
       "scopes":["landing"],"handlerHosts":["app.acme.example"],
       "placements":[{"placement":"LANDING_BLOCK_%02d.1.block_%d"%(i,i),"handler":"https://app.acme.example/b/%d"%i,"title":"%s %d"%(t,i)} for i in range(30)]}
    json.dump(p,open(f"{d}/{v}.json","w"),indent=2)
PY
FARM_SERVE_ARGS="--latency-ms $LAT"
farm_up $N 3 landing $W/plans/acme.widgets/1.0.0.json "${FAULTS:-}"
b baseline plans/acme.widgets/1.0.0.json >/dev/null || echo baseline failed
P=plans/acme.widgets/1.1.0.json
b apply --yes $P >/dev/null 2>&1
for g in deploy gate.partner gate.moderation; do b gate pass $g $P >/dev/null 2>&1; done
for k in $(seq 1 $K); do
  (cd $W && exec $B24PLAN apply --yes --parallel 4 $P >$W/apply.$k.out 2>&1) & pid=$!
  sleep 0.$((RANDOM % 9 + 1)); kill -$SIG $pid 2>/dev/null; wait $pid; echo "run $k: rc=$?"
done
b apply --yes $P >$W/apply.final.out 2>&1; echo "final rc=$?"; tail -2 $W/apply.final.out
fget /_farm/stats | python3 -c "import json,sys;d=json.load(sys.stdin);print('writes',d['writes_by_method'],'errors',d['errors_by_method'])"
bad=0
for m in $(python3 -c "import json;print(' '.join(p['member_id'] for p in json.load(open('$W/farm.json'))['portals']))"); do
  fget /_farm/portal/$m | python3 -c "
import json,sys
d=json.load(sys.stdin); got=sorted((p['placement'].upper(),p['handler'],p['title']) for p in d['landing_placements'])
want=sorted(('LANDING_BLOCK_%02d.1.BLOCK_%d'%(i,i),'https://app.acme.example/b/%d'%i,'New %d'%i) for i in range(30))
if got!=want: print('$m','missing',len(set(want)-set(got)),'extra',len(set(got)-set(want))); sys.exit(1)" || bad=$((bad+1))
done
echo "portals wrong: $bad"
farm_down
