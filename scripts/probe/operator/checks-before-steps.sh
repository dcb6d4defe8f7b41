#!/bin/bash
# Probe: apply's checks before any step (README "Exit codes" 64; §7 "checked before any step runs").
# 2.0.0 has a schema migration, a deploy command and portal steps. For each broken setup: exit 64,
# one sentence on stderr (no usage dump, no debug text), the client secret never printed, and
# nothing ran (no step started, no migration, no deploy, no farm request). Then the fixed setup runs.
source "$(dirname "$0")/lib.sh"
farm_up 3 >/dev/null
with_migration_and_deploy
b baseline $P1 >/dev/null || echo "baseline failed"
cp "$W/state.db" "$W/clean.db"; cp "$W/b24plan.config.json" "$W/clean.config.json"
SECRET=$B24_CLIENT_SECRET
run_case() {  # NAME EXPECTED-WORD [env assignments...] -- [extra apply args...]   (JUDGE=note: not filed)
  local name=$1 word=$2; shift 2
  local envs=() args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift; args=("$@")
  fpost /_farm/reset-stats '{}' >/dev/null
  (cd "$W" && env "${envs[@]}" "$B24PLAN" apply --yes "${args[@]}" $P2 >"$W/out" 2>"$W/err"); local rc=$?
  local ran; ran=$(nothing_ran "$W/state.db")
  local lines; lines=$(grep -c . "$W/err")
  local leak=no; grep -qF -- "$SECRET" "$W/out" "$W/err" && leak=YES
  [ -n "${MYSQL_PASSWORD:-}" ] && grep -qF -- "$MYSQL_PASSWORD" "$W/out" "$W/err" && leak=YES
  local ok=0
  [ $rc = 64 ] && [ "$ran" = " nothing" ] && [ $leak = no ] && [ "$lines" -le 3 ] && grep -q -- "$word" "$W/err" || ok=1
  ${JUDGE:-verdict} $ok "$name: exit $rc, ran:$ran, secret printed: $leak, stderr ($lines lines): $(head -c 300 "$W/err" | tr '\n' '|')"
  cp "$W/clean.db" "$W/state.db"; rm -rf "$W/b24plan.config.json"; cp "$W/clean.config.json" "$W/b24plan.config.json"; rm -f "$W/plans/acme.opx/deploys.log"
}
cfg() { python3 - "$W/b24plan.config.json" "$1" <<'PY'
import json, sys
path, extra = sys.argv[1:3]
c = json.load(open(path)); c.update(json.loads(extra)); json.dump(c, open(path, "w"))
PY
}
run_case "B24_CLIENT_ID unset" B24_CLIENT_ID -u B24_CLIENT_ID --
run_case "B24_CLIENT_ID empty" B24_CLIENT_ID B24_CLIENT_ID= --
run_case "B24_CLIENT_SECRET empty" B24_CLIENT_SECRET B24_CLIENT_SECRET= --
JUDGE=note run_case "B24_CLIENT_SECRET blank (whitespace only)" B24_CLIENT_SECRET "B24_CLIENT_SECRET=   " --
echo '{ "oauth": { "tokenUrl": ' >"$W/b24plan.config.json"; run_case "config not JSON" b24plan.config.json --
rm "$W/b24plan.config.json"; mkdir "$W/b24plan.config.json"; run_case "config is a folder" b24plan.config.json --
run_case "--config names an absent file" elsewhere.json -- --config elsewhere.json
cfg '{"installations": 5}'; run_case "installations not an object" installations --
cfg '{"oauth": {"tokenUrl": "not a url"}}'; run_case "oauth.tokenUrl not a URL" tokenUrl --
cfg '{"installations": {"table": "tenants"}}'; run_case "installations table missing" tenants --
cfg '{"installations": {"refreshToken": "rt"}}'; run_case "refresh-token column missing" rt --
cfg '{"installations": {"where": "no_such_column = 1"}}'; run_case "where names no column" where --
cfg '{"installations": {"where": "active = = 1"}}'; run_case "where is not SQL" where --
cfg '{"installations": {"deactivate": "no_such_column = 0"}}'; run_case "deactivate names no column" deactivate --
cfg '{"installations": {"deactivate": "active = 0 WHERE 1=1; DROP TABLE portals"}}'; run_case "deactivate holds a statement" deactivate --
run_case "store: PostgreSQL on a closed port" 127.0.0.1 "B24PLAN_DATABASE_URL=postgres://u:pw-not-shown@127.0.0.1:1/db?connect_timeout=2" --
run_case "store: unknown scheme (the message should name the URL)" garbage "B24PLAN_DATABASE_URL=garbage://x" --
sqlite3 "$W/state.db" "DROP TABLE schema_migrations; CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT); INSERT INTO schema_migrations VALUES ('20240101', '2024-01-01');"
cp "$W/state.db" "$W/clean.db"
fpost /_farm/reset-stats '{}' >/dev/null
(cd "$W" && "$B24PLAN" apply --yes $P2 >"$W/out" 2>"$W/err"); rc=$?
[ $rc = 64 ] && [ "$(sqlite3 "$W/state.db" "SELECT COUNT(*) FROM sqlite_master WHERE name='opx_notes'")" = 0 ] && [ ! -f "$W/plans/acme.opx/deploys.log" ]
verdict $? "another tool's schema_migrations: exit $rc: $(head -c 300 "$W/err" | tr '\n' '|')"
finish
