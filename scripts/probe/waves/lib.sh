# Shared harness for the issue-12 probes: source it. Needs B24PLAN (binary); creates $W (workspace)
# with the plans of acme.waves (1.0.0: a deal tab; 2.0.0: adds a task tab; 3.0.0: adds an event).
# usage: farm_up N [FAULTS] ; config 'ROLLOUT-JSON-MEMBERS' ; b ARGS... ; release PLAN [ARGS...]
set -u
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
B24PLAN=${B24PLAN:-$REPO/.build/debug/b24plan}
FARMDIR=$REPO/Tests/Fixtures/portal-farm
W=${W:-$(mktemp -d /tmp/b24wave.XXXXXX)}
mkdir -p "$W/plans/acme.waves"
HEAD='"app": "acme.waves", "scopes": ["crm", "placement", "task"], "handlerHosts": ["app.acme.example"],'
DEAL='{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "Deals" }'
TASK='{ "placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/task", "title": "Tasks" }'
echo "{ $HEAD \"version\": \"1.0.0\", \"changelog\": { \"en\": \"Deal tab with the linked items.\" }, \"placements\": [$DEAL] }" >"$W/plans/acme.waves/1.0.0.json"
echo "{ $HEAD \"version\": \"2.0.0\", \"changelog\": { \"en\": \"A task tab with the linked deals.\" }, \"placements\": [$DEAL, $TASK] }" >"$W/plans/acme.waves/2.0.0.json"
P1=plans/acme.waves/1.0.0.json; P2=plans/acme.waves/2.0.0.json
farm_up() {
  local n=$1 faults=${2:-}
  python3 "$FARMDIR/farm.py" --generate "$n" --seed 3 --scopes crm,placement,task --faults "$faults" \
     --bind-from "$W/$P1" --out "$W/farm.json" >/dev/null || { echo "generate failed"; return 1; }
  mkfifo "$W/farm.in"
  ( python3 "$FARMDIR/farm.py" --config "$W/farm.json" --sqlite "$W/state.db" ${FARM_SERVE_ARGS:-} <"$W/farm.in" >"$W/farm.out" 2>"$W/farm.err" & echo $! >"$W/farm.pid" )
  exec 9>"$W/farm.in"
  for i in $(seq 1 100); do grep -q PORT "$W/farm.out" 2>/dev/null && break; sleep 0.1; done
  PORT=$(awk '/PORT/{print $2}' "$W/farm.out")
  export B24_CLIENT_ID=$(python3 -c "import json;print(json.load(open('$W/farm.json'))['client_id'])")
  export B24_CLIENT_SECRET=$(python3 -c "import json;print(json.load(open('$W/farm.json'))['client_secret'])")
  export B24PLAN_DATABASE_URL=sqlite:$W/state.db
  export B24PLAN_SKIP_PREFLIGHT=${B24PLAN_SKIP_PREFLIGHT-1}
  F=http://127.0.0.1:$PORT
  config ''
}
# config 'MEMBERS': writes b24plan.config.json with the farm's token URL and the given extra members
config() {
  local extra=${1:-}
  echo "{\"oauth\":{\"tokenUrl\":\"http://127.0.0.1:$PORT/oauth/token/\"}${extra:+, $extra}}" >"$W/b24plan.config.json"
}
farm_down() { exec 9>&-; sleep 0.3; }
b() { (cd "$W" && "$B24PLAN" "$@"); }
gates() { for g in deploy gate.partner gate.moderation; do b gate pass $g "$1" >/dev/null 2>&1; done; }
release() { local p=$1; shift; b apply --yes "$p" "$@" >/dev/null 2>&1; gates "$p"; b apply --yes "$p" "$@"; }
fget() { curl -s "$F$1"; }
fpost() { curl -s -X POST -d "$2" "$F$1"; }
fault() { fpost /_farm/portal/$1/faults "{\"faults\": [$2]}" >/dev/null; }
members() { python3 -c "import json;print(' '.join(p['member_id'] for p in json.load(open('$W/farm.json'))['portals']))"; }
# bucket M...: the documented percentile of each member id
bucket() { python3 -c "import hashlib,sys
for m in sys.argv[1:]: print(m, int(hashlib.sha256(m.encode()).hexdigest()[:8], 16) / 2**32 * 100)" "$@"; }
hastask() { fget /_farm/portal/$1 | python3 -c "import json,sys;d=json.load(sys.stdin);print(any(p['placement']=='TASK_VIEW_TAB' for p in d['placements']))"; }
writes() { fget /_farm/stats | python3 -c "import json,sys;d=json.load(sys.stdin);print('writes',d['writes_by_method'],'by_portal',d['writes_by_portal'])"; }
sql() { sqlite3 "$W/state.db" "$1"; }
tasks() { sql "SELECT t.step_id, t.member_id, t.state FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id=t.run_id WHERE r.version='${1:-2.0.0}' ORDER BY t.member_id"; }
steps() { sql "SELECT s.step_id, s.state FROM b24plan_steps s JOIN b24plan_runs r ON r.id=s.run_id WHERE r.version='${1:-2.0.0}'"; }
