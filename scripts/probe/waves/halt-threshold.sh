#!/bin/bash
# Probe: the halt rule. Wave 1 = 12 of 20 portals. CASE=end (minPortals 100 > the wave: judged at its
# end, 4 failed = 33 % > 10 %: halts) | equal (3 of 12 failed = 25 %, failedPercent 25, minPortals 12: "more than"
# is not met: no halt) | inactive (4 deleted + 1 uninstalled portals: inactive, not failed: no halt)
source "$(dirname "$0")/lib.sh"
CASE=${CASE:-end}
farm_up 20
case $CASE in
  end) config '"rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 100 } }'; for m in m00001 m00002 m00006 m00007; do fault $m '"redirect_insecure"'; done;;
  equal) config '"rollout": { "waves": [50, 100], "halt": { "failedPercent": 25, "minPortals": 12 } }'; for m in m00001 m00002 m00006; do fault $m '"redirect_insecure"'; done;;
  inactive) config '"rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 1 } }'; for m in m00001 m00002 m00006 m00007; do fault $m '"deleted"'; done; fault m00010 '"uninstalled"';;
esac
b baseline $P1 >/dev/null || echo baseline failed
release $P2 --parallel 1 2>/dev/null | grep -v '^  [0-9 ]\|^      \|^$' | sed -n '/portals.wave.1/,$p' | cut -c1-250
steps | grep wave
farm_down
