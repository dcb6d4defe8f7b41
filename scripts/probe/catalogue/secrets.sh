#!/bin/bash
# Probe: after a landing flow with faults (flaky, expired tokens, missing landing scope, a refused
# Sites code), no access/refresh token nor the client secret appears in any output, the journal
# (sqlite .dump without the app's installations table) or a saved plan.
source "$(dirname "$0")/lib.sh"
FIX=$REPO/Tests/Fixtures/catalogue/acme.widgets
cp $FIX/*.json $W/plans/acme.widgets/
python3 - $W/plans/acme.widgets/2.1.0.json <<'PY'
import json,sys
p=json.load(open(sys.argv[1])); p["placements"].append({"placement":"LANDING_BLOCK_*x","handler":"https://app.acme.example/x","title":"X"}); p["version"]="3.0.0"
json.dump(p,open(sys.argv[1].replace("2.1.0","3.0.0"),"w"),indent=2)
PY
farm_up 12 5 crm,placement,task,landing $W/plans/acme.widgets/1.0.0.json "flaky_5xx=4,expired_token=4,missing_scope=2" --newest-scope landing
OUT=$W/all.out
{ b baseline plans/acme.widgets/1.0.0.json
  release plans/acme.widgets/2.0.0.json; release plans/acme.widgets/2.1.0.json
  b diff --out saved.json plans/acme.widgets/3.0.0.json
  b apply --yes saved.json; for g in deploy gate.partner gate.moderation; do b gate pass $g plans/acme.widgets/3.0.0.json; done
  b apply --yes saved.json; b apply --yes --format json saved.json
  b apply --yes --rollback plans/acme.widgets/2.0.0.json
  b drift --format json plans/acme.widgets/2.0.0.json; b drift plans/acme.widgets/2.0.0.json
  b reconcile --member-id m00003 plans/acme.widgets/2.0.0.json
  b status --format json; b log --format json; b log; } >$OUT 2>&1
sqlite3 $W/state.db ".dump" | grep -v 'INTO "\?portals"\? ' > $W/journal.sql
python3 - $W <<'PY'
import json,sys,urllib.request,glob,os
w=sys.argv[1]; cfg=json.load(open(w+"/farm.json"))
port=open(w+"/farm.out").read().split()[1]
toks=json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/_farm/tokens"))
secrets={cfg["client_secret"]}|{p["access_token"] for p in cfg["portals"]}|{p["refresh_token"] for p in cfg["portals"]}
for t in toks.values(): secrets|={t["access_token"],t["refresh_token"]}
import sqlite3
for r in sqlite3.connect(w+"/state.db").execute("select access_token, refresh_token from portals"): secrets|=set(r)
secrets={s for s in secrets if s and len(s)>=8}
for f in [w+"/all.out",w+"/journal.sql",w+"/saved.json"]:
    text=open(f,errors="replace").read()
    hits=[s[:6]+"…" for s in secrets if s in text]
    print(os.path.basename(f), len(text), "bytes; secrets found:", hits)
PY
farm_down
