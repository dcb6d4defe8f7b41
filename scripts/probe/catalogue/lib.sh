# Shared harness: source it. Needs B24PLAN (binary), creates $W (workspace) with a farm.
# usage: farm_up N SEED SCOPES BINDFROM [FAULTS] [extra generator args...]
set -u
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
B24PLAN=${B24PLAN:-$REPO/.build/debug/b24plan}
FARMDIR=$REPO/Tests/Fixtures/portal-farm
W=${W:-$(mktemp -d /tmp/b24probe.XXXXXX)}
mkdir -p "$W/plans/acme.widgets"
farm_up() {
  local n=$1 seed=$2 scopes=$3 bind=$4 faults=${5:-}; shift 5 || shift $#
  python3 "$FARMDIR/farm.py" --generate "$n" --seed "$seed" --scopes "$scopes" --faults "$faults" \
     --bind-from "$bind" --out "$W/farm.json" "$@" >/dev/null || { echo "generate failed"; return 1; }
  mkfifo "$W/farm.in"
  ( python3 "$FARMDIR/farm.py" --config "$W/farm.json" --sqlite "$W/state.db" ${FARM_SERVE_ARGS:-} <"$W/farm.in" >"$W/farm.out" 2>"$W/farm.err" & echo $! >"$W/farm.pid" )
  exec 9>"$W/farm.in"
  for i in $(seq 1 100); do grep -q PORT "$W/farm.out" 2>/dev/null && break; sleep 0.1; done
  PORT=$(awk '/PORT/{print $2}' "$W/farm.out")
  export B24_CLIENT_ID=$(python3 -c "import json;print(json.load(open('$W/farm.json'))['client_id'])")
  export B24_CLIENT_SECRET=$(python3 -c "import json;print(json.load(open('$W/farm.json'))['client_secret'])")
  export B24PLAN_DATABASE_URL=sqlite:$W/state.db
  echo "{\"oauth\":{\"tokenUrl\":\"http://127.0.0.1:$PORT/oauth/token/\"}}" >"$W/b24plan.config.json"
  F=http://127.0.0.1:$PORT
}
farm_down() { exec 9>&-; sleep 0.3; }
b() { (cd "$W" && "$B24PLAN" "$@"); }
release() { # release PLAN: apply, pass gates, apply
  b apply --yes "$1" >/dev/null 2>&1
  for g in deploy gate.partner gate.moderation; do b gate pass $g "$1" >/dev/null 2>&1; done
  b apply --yes "$1"
}
fget() { curl -s "$F$1"; }
fpost() { curl -s -X POST -d "$2" "$F$1"; }
landing() { fget /_farm/portal/$1 | python3 -c "import json,sys;d=json.load(sys.stdin);print(sorted((p['placement'],p['handler'],p['title']) for p in d['landing_placements']))"; }
writes() { fget /_farm/stats | python3 -c "import json,sys;d=json.load(sys.stdin);print('writes',d['writes_by_method'],'errors',d['errors_by_method'])"; }
