#!/bin/bash
# Probe: diff --format json with rollout configs (canary by ids / by where, soaks, gates, tiny waves,
# --waves) validates against schemas/diff-output.schema.json; text and JSON estimates agree.
source "$(dirname "$0")/lib.sh"
PORT=1
validate() {
  b diff --format json "$@" $P2 >$W/diff.json; echo -n "rc=$? "
  python3 - "$REPO/schemas/diff-output.schema.json" "$W/diff.json" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
print("valid" if not errors else "INVALID: " + "; ".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:3]))
print("   steps:", [s["id"] for s in doc["steps"]], "rollout:", json.dumps(doc.get("rollout"))[:600])
PY
}
b baseline $P1 >/dev/null 2>&1
for cfg in \
  '"rollout": { "canary": { "memberIds": ["m00001", "m00002"] }, "waves": [10, 100], "between": "30m" }' \
  '"rollout": { "canary": { "where": "domain LIKE '"'"'%.ru'"'"'" }, "waves": [1, 10, 100], "between": "1d", "halt": {"failedPercent": 0, "minPortals": 1} }' \
  '"rollout": { "waves": [0.001, 100], "between": "gate" }' \
  '"rollout": { "waves": [100] }' ; do
  config "$cfg"; echo "== $cfg"
  validate; validate --installations 100000
done
config ''; echo "== --waves 0.001,50,100 without rollout"; validate --waves 0.001,50,100 --installations 100000
echo "== text with tiny waves"; config '"rollout": { "waves": [0.001, 100], "between": "2h" }'; b diff --installations 100000 $P2 | grep -i -A12 'rollout\|wave' | head -40
