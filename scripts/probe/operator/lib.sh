# Shared harness for the issue-13 (operator experience) probes: source it. Creates $W (a temp
# workspace) with the plans of acme.opx (1.0.0: a deal tab; 2.0.0: adds scope task and a task tab).
# usage: farm_up N [FAULTS] [SCOPES]; config 'EXTRA-JSON-MEMBERS'; b ARGS...; release PLAN [ARGS...]
# verdict COND-RESULT "what": prints PASS/FAIL lines; the script's exit status is 1 if any FAIL.
set -u
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
B24PLAN=${B24PLAN:-$REPO/.build/debug/b24plan}
FARMDIR=$REPO/Tests/Fixtures/portal-farm
W=${W:-$(mktemp -d /tmp/b24opx.XXXXXX)}
FAILS=0
mkdir -p "$W/plans/acme.opx"
HEAD='"app": "acme.opx", "handlerHosts": ["app.acme.example"],'
DEAL='{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "Deals" }'
TASK='{ "placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/task", "title": "Linked deals" }'
echo "{ $HEAD \"version\": \"1.0.0\", \"changelog\": { \"en\": \"The deal tab shows the items linked to a deal.\" }, \"scopes\": [\"crm\", \"placement\"], \"placements\": [$DEAL] }" >"$W/plans/acme.opx/1.0.0.json"
echo "{ $HEAD \"version\": \"2.0.0\", \"changelog\": { \"en\": \"A task tab lists the deals linked to each task.\" }, \"scopes\": [\"crm\", \"placement\", { \"code\": \"task\", \"purpose\": \"Shows the deals linked to a task on a task tab\" }], \"scopeUpgrade\": \"reinstall\", \"placements\": [$DEAL, $TASK] }" >"$W/plans/acme.opx/2.0.0.json"
P1=plans/acme.opx/1.0.0.json; P2=plans/acme.opx/2.0.0.json
farm_up() {
  local n=$1 faults=${2:-} scopes=${3:-crm,placement,task}
  python3 "$FARMDIR/farm.py" --generate "$n" --seed 3 --scopes "$scopes" --faults "$faults" \
     --bind-from "$W/$P1" --out "$W/farm.json" >/dev/null || { echo "generate failed"; return 1; }
  mkfifo "$W/farm.in"
  ( python3 "$FARMDIR/farm.py" --config "$W/farm.json" --sqlite "$W/state.db" ${FARM_SERVE_ARGS:-} <"$W/farm.in" >"$W/farm.out" 2>"$W/farm.err" & echo $! >"$W/farm.pid" )
  exec 9>"$W/farm.in"
  for i in $(seq 1 300); do grep -q PORT "$W/farm.out" 2>/dev/null && break; sleep 0.1; done
  PORT=$(awk '/PORT/{print $2}' "$W/farm.out")
  export B24_CLIENT_ID=$(python3 -c "import json;print(json.load(open('$W/farm.json'))['client_id'])")
  export B24_CLIENT_SECRET=$(python3 -c "import json;print(json.load(open('$W/farm.json'))['client_secret'])")
  export B24PLAN_DATABASE_URL=sqlite:$W/state.db
  export B24PLAN_SKIP_PREFLIGHT=1
  F=http://127.0.0.1:$PORT
  config ''
}
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
sql() { sqlite3 "$W/state.db" "$1"; }
requests() { fget /_farm/stats | python3 -c "import json,sys;d=json.load(sys.stdin);print(d['requests_total']+d['oauth_requests_total'])"; }
verdict() { if [ "$1" = 0 ]; then echo "PASS: $2"; else echo "FAIL: $2"; FAILS=$((FAILS+1)); fi; }
finish() { farm_down 2>/dev/null; [ "${KEEP:-}" ] || rm -rf "$W"; [ "$FAILS" = 0 ]; exit $?; }
# Gives 2.0.0 a schema migration (creates table opx_notes) and a deploy command that appends to
# plans/acme.opx/deploys.log.
with_migration_and_deploy() {
  mkdir -p "$W/plans/acme.opx/migrations"
  printf 'CREATE TABLE opx_notes (id INTEGER PRIMARY KEY, member_id TEXT NOT NULL);\n' >"$W/plans/acme.opx/migrations/0001_create_opx_notes.sql"
  printf '#!/bin/sh\necho "deployed $*" >> deploys.log\nenv > deploy.env\n' >"$W/plans/acme.opx/deploy.sh"; chmod +x "$W/plans/acme.opx/deploy.sh"
  local d; d=$(sha256sum "$W/plans/acme.opx/migrations/0001_create_opx_notes.sql" | cut -d' ' -f1)
  python3 - "$W/$P2" "$d" <<'PY'
import json, sys
path, digest = sys.argv[1:3]
plan = json.load(open(path))
plan["migrations"] = [{"id": 1, "name": "create_opx_notes", "file": "migrations/0001_create_opx_notes.sql", "sha256": digest}]
plan["deploy"] = {"command": ["./deploy.sh", "2.0.0"]}
json.dump(plan, open(path, "w"), indent=2)
PY
}
# nothing_ran DB: no step of 2.0.0 started, no migration recorded or run, no deploy, no farm request.
nothing_ran() {
  local db=${1:-$W/state.db} problems=""
  [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM b24plan_steps s JOIN b24plan_runs r ON r.id=s.run_id WHERE r.version='2.0.0' AND (s.state<>'pending' OR s.started_at IS NOT NULL)" 2>/dev/null || echo 0)" = 0 ] || problems+=" step-started"
  [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM schema_migrations" 2>/dev/null || echo 0)" = 0 ] || problems+=" migration-recorded"
  [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM sqlite_master WHERE name='opx_notes'" 2>/dev/null || echo 0)" = 0 ] || problems+=" migration-ran"
  [ ! -f "$W/plans/acme.opx/deploys.log" ] || problems+=" deploy-ran"
  [ "$(requests)" = 0 ] || problems+=" farm-requests"
  echo "${problems:- nothing}"
}
# note COND-RESULT "what": like verdict, but a deviation that is judged too minor to file (printed NOTE).
note() { if [ "$1" = 0 ]; then echo "PASS: $2"; else echo "NOTE: $2"; fi; }
