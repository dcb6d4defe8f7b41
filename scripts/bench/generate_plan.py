#!/usr/bin/env python3
"""Writes a large, valid release plan (about SIZE bytes) for the lint benchmark.

Usage: generate_plan.py OUT_DIR [SIZE_BYTES]
The plan binds one CRM_DEAL_DETAIL_TAB handler per "tenant" and one event handler per tenant
(different handler URLs), so every entry is distinct and lint has real work for each.
"""
import json
import sys
from pathlib import Path

out = Path(sys.argv[1])
size = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
out.mkdir(parents=True, exist_ok=True)
placements, events = [], []
plan = {
    "app": "acme.bench",
    "version": "1.0.0",
    "changelog": {"en": "A large plan that exercises every check of the linter."},
    "scopes": ["crm", "placement"],
    "handlerHosts": ["*.acme.example"],
    "placements": placements,
    "events": events,
}
i = 0
while len(json.dumps(plan, indent=2)) < size:
    for _ in range(200):
        placements.append({
            "placement": "CRM_DEAL_DETAIL_TAB",
            "handler": f"https://t{i}.acme.example/iframe/deal",
            "title": f"Deal tab {i}",
            "langAll": {"ru": {"title": f"Вкладка {i}"}},
        })
        events.append({"event": "ONCRMDEALUPDATE", "handler": f"https://t{i}.acme.example/hooks/deal"})
        i += 1
(out / "1.0.0.json").write_text(json.dumps(plan, indent=2, ensure_ascii=False) + "\n")
print(out / "1.0.0.json", (out / "1.0.0.json").stat().st_size, "bytes", i, "tenants")
