#!/bin/bash
# Probe: `status --portals --limit 0 --format json` read repeatedly while apply reconciles 2,000
# portals (30 % uninstalled → inactive). Expected (README, status --portals): every installation of
# the run is listed once in every listing (not reached yet → pending), and the `portals` counts
# describe the same portals (they add up to the listed number).
source "$(dirname "$0")/lib.sh"
N=${N:-2000}
farm_up "$N" "uninstalled=0.3" >/dev/null
b baseline $P1 >/dev/null
b apply --yes $P2 >/dev/null 2>&1; gates $P2
( cd "$W" && "$B24PLAN" apply --yes --parallel 32 $P2 >"$W/apply.out" 2>&1; echo $? >"$W/apply.rc" ) &
python3 - "$B24PLAN" "$W" <<'PY'
import collections, json, os, subprocess, sys
b, W = sys.argv[1:3]
every = set(p['member_id'] for p in json.load(open(W + '/farm.json'))['portals'])
missing_rounds = mismatch_rounds = rounds = 0
while not os.path.exists(W + '/apply.rc') and rounds < 200:
    rounds += 1
    r = subprocess.run([b, 'status', '--portals', '--format', 'json', '--limit', '0'], cwd=W, capture_output=True, text=True)
    if r.returncode != 0:
        print('status failed', r.returncode, r.stderr[:200]); continue
    d = json.loads(r.stdout)
    listed = [p['memberId'] for p in d['portalList']]
    hist = collections.Counter(p['state'] for p in d['portalList'])
    counts = d['portals']
    missing = sorted(every - set(listed))
    if missing: missing_rounds += 1
    if sum(counts.values()) != len(listed) or any(hist.get(k, 0) != v for k, v in counts.items()): mismatch_rounds += 1
    print(f"round {rounds}: listed {len(listed)} missing {len(missing)} {missing[:4]} list-states {dict(hist)} counts {counts}", flush=True)
print(f"{rounds} listings: {missing_rounds} omitted installations, {mismatch_rounds} had counts that disagree with the list")
sys.exit(0 if missing_rounds == 0 and mismatch_rounds == 0 else 3)
PY
rc=$?
while [ ! -f "$W/apply.rc" ]; do sleep 0.5; done
echo "apply exit $(cat "$W/apply.rc")"
verdict $([ $rc -ne 3 ] && echo 0 || echo 1) "every listing during the apply shows every installation once, and counts that add up to it"
finish
