#!/usr/bin/env python3
"""Writes the release of issue 14's lint benchmark: a plan of about SIZE bytes with 2,000
migrations (each its own small SQL file with its sha256), 300 placements and 300 events, and the
published plan before it (as large) in the same folder, so that lint and diff compare the two.

Usage: generate_release.py OUT_DIR [SIZE_BYTES]
Writes OUT_DIR/acme.bench/1.0.0.json (the previous plan: migrations 1..1,990),
OUT_DIR/acme.bench/1.1.0.json (the release: 10 new migrations, two new event bindings, one
handler changed) and OUT_DIR/acme.bench/migrations/*.sql. Both plans lint clean.
"""
import hashlib
import json
import sys
from pathlib import Path

out = Path(sys.argv[1]) / "acme.bench"
size = int(sys.argv[2]) if len(sys.argv) > 2 else 950_000
MIGRATIONS, PUBLISHED, PLACEMENTS, EVENTS = 2000, 1990, 300, 300
(out / "migrations").mkdir(parents=True, exist_ok=True)


def sql(number):
    """A small migration: mostly new tables, some added columns with defaults, some backfills."""
    table = f"bench_items_{number // 4:04d}"
    kind = number % 4
    if kind == 1:
        return (f"-- migration {number}: a table of items\n"
                f"CREATE TABLE {table} (\n  id BIGINT PRIMARY KEY,\n  member_id VARCHAR(32) NOT NULL,\n"
                f"  title TEXT NOT NULL DEFAULT '',\n  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\n")
    if kind == 2:
        return (f"-- migration {number}: a status column\n"
                f"ALTER TABLE {table} ADD COLUMN status_{number} INTEGER NOT NULL DEFAULT 0;\n")
    if kind == 3:
        return (f"-- migration {number}: backfill, one portal at a time\n"
                f"UPDATE {table} SET status_{number - 1} = 1\n"
                f" WHERE id IN (SELECT id FROM {table} WHERE member_id = :member_id AND status_{number - 1} = 0"
                f" LIMIT :batch_size);\n")
    return (f"-- migration {number}: a lookup table\n"
            f"CREATE TABLE bench_lookup_{number:04d} (code TEXT PRIMARY KEY, label TEXT NOT NULL);\n"
            f"INSERT INTO bench_lookup_{number:04d} (code, label) VALUES ('a', 'first'), ('b', 'second');\n")


migrations = []
for number in range(1, MIGRATIONS + 1):
    name = f"{number:04d}_bench_step"
    path = out / "migrations" / f"{name}.sql"
    data = sql(number).encode()
    path.write_bytes(data)
    entry = {"id": number, "name": f"bench_step_{number}", "file": f"migrations/{name}.sql",
             "sha256": hashlib.sha256(data).hexdigest()}
    if number % 4 == 3:
        entry.update({"perPortal": True, "batchSize": 500})
    migrations.append(entry)


def plan(version, migration_count, events_count, changed_handler, padding):
    placements = []
    for i in range(PLACEMENTS):
        host = f"t{i}.acme.example"
        handler = f"https://{host}/iframe/deal{'-v2' if changed_handler and i == 7 else ''}"
        placements.append({
            "placement": "CRM_DEAL_DETAIL_TAB", "handler": handler, "title": f"Deal tab {i}",
            "description": f"Items of tenant {i} linked to this deal" + padding,
            "langAll": {"en": {"title": f"Deal tab {i}", "description": f"Items of tenant {i}" + padding},
                        "ru": {"title": f"Вкладка {i}", "description": f"Элементы клиента {i}" + padding}},
        })
    events = [{"event": "ONCRMDEALUPDATE", "handler": f"https://t{i}.acme.example/hooks/deal"} for i in range(events_count)]
    return {
        "$schema": "../../schemas/release-plan.schema.json",
        "app": "acme.bench",
        "version": version,
        "changelog": {"en": f"Release {version} of the benchmark app: more tables, more tenants.",
                      "ru": f"Выпуск {version} приложения для замеров: больше таблиц и клиентов."},
        "monetization": {"model": "subscription"},
        "minimumBitrix24Version": "24.300.0",
        "scopes": ["crm", "placement"],
        "handlerHosts": ["*.acme.example"],
        "placements": placements,
        "events": events,
        "requiredMethods": ["crm.deal.get", "crm.item.list"],
        "migrations": migrations[:migration_count],
    }


def text(document):
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


padding = ""
while len(text(plan("1.1.0", MIGRATIONS, EVENTS, True, padding)).encode()) < size:
    padding += " and more"
(out / "1.0.0.json").write_text(text(plan("1.0.0", PUBLISHED, EVENTS - 2, False, padding)))
(out / "1.1.0.json").write_text(text(plan("1.1.0", MIGRATIONS, EVENTS, True, padding)))
for name in ("1.0.0.json", "1.1.0.json"):
    print(out / name, (out / name).stat().st_size, "bytes")
