#!/bin/bash
# Probe: portals.preflight. MODE=token (a ?token=… query: does it reach output/journal?) |
# same (one URL used by 2 placements and 2 events: one request?) | slow (20 handlers of 3 s each,
# --preflight-timeout 8: pass, and how long?) | ipv6 (http://[::1]:port handlers) | eventonly (3.0.0
# changes only an event handler: preflight checks only that URL)
source "$(dirname "$0")/lib.sh"
MODE=${MODE:-token}
export B24PLAN_SKIP_PREFLIGHT=
mkfifo $W/h.in; (python3 $REPO/scripts/probe/waves/handlers6.py <$W/h.in >$W/h.out 2>$W/h.err &) ; exec 8>$W/h.in
for i in $(seq 1 50); do grep -q PORT6 $W/h.out 2>/dev/null && break; sleep 0.1; done
H4=http://127.0.0.1:$(awk '/PORT4/{print $2}' $W/h.out); H6=http://[::1]:$(awk '/PORT6/{print $2}' $W/h.out)
EV1='{ "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/hook" }'
write2() { echo "{ $HEAD \"version\": \"2.0.0\", \"changelog\": { \"en\": \"A task tab with the linked deals.\" }, \"placements\": [$DEAL, $1], \"events\": [${2:-}] }" >"$W/$P2"; }
case $MODE in
  token) write2 "{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"$H4/status/500/task?token=SuperSecret42&sig=abc\", \"title\": \"Tasks\" }";;
  same) write2 "{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"$H4/status/200/x\", \"title\": \"Tasks\" }, { \"placement\": \"TASK_VIEW_SIDEBAR\", \"handler\": \"$H4/status/200/x\", \"title\": \"T2\" }" \
         "{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"$H4/status/200/x\" }, { \"event\": \"ONCRMDEALADD\", \"handler\": \"$H4/status/200/x\" }";;
  slow) ev=""; for i in $(seq 1 20); do ev="$ev${ev:+, }{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"$H4/sleep/3000/h$i\" }"; done
        write2 "{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"$H4/sleep/3000/task\", \"title\": \"Tasks\" }" "$ev"; PFARGS="--preflight-timeout 8";;
  ipv6) write2 "{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"$H6/status/200/task\", \"title\": \"Tasks\" }" "{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"$H6/status/404/hook\" }";;
  eventonly) echo "{ $HEAD \"version\": \"1.0.0\", \"changelog\": { \"en\": \"Deal tab with the linked items.\" }, \"placements\": [$DEAL], \"events\": [{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"$H4/status/200/old\" }] }" >"$W/$P1"
        echo "{ $HEAD \"version\": \"2.0.0\", \"changelog\": { \"en\": \"A new hook address for deal updates.\" }, \"placements\": [$DEAL], \"events\": [{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"$H4/status/500/new\" }] }" >"$W/$P2";;
esac
farm_up 5
b baseline $P1 >/dev/null || echo baseline failed
echo "--- lint"; b lint $P2 | tail -3
b apply --yes $P2 >/dev/null 2>&1; gates $P2
start=$(date +%s.%N)
echo "--- apply"; b apply --yes ${PFARGS:-} $P2 >$W/apply.out 2>&1; echo "rc=$?"; grep -i -A6 'preflight' $W/apply.out | grep -v '^  *[0-9]\.\|POST an empty' | head -20
python3 -c "print('apply took %.1f s' % ($(date +%s.%N) - $start))"
echo "--- handler log"; curl -s $H4/_log | python3 -c "
import json,sys; l=[json.loads(x) for x in sys.stdin]; print(len(l),'requests'); [print(' ',e['method'],e['path'],e['length'],e['ct']) for e in l[:6]]
if l: print('  spread of starts: %.1f s' % (max(e['t'] for e in l)-min(e['t'] for e in l)))"
steps | grep preflight; sql "SELECT detail FROM b24plan_steps WHERE step_id='portals.preflight' AND state <> 'done' OR (step_id='portals.preflight' AND detail NOT LIKE 'baseline%')"
if [ $MODE = token ]; then echo "--- where does SuperSecret42 appear?"; grep -c SuperSecret42 $W/apply.out; sqlite3 $W/state.db .dump | grep -c SuperSecret42; b status $P2 | grep -c SuperSecret42; fi
writes
exec 8>&-; farm_down
