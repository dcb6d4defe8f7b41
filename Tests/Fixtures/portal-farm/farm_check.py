#!/usr/bin/env python3
"""Consistency of an installations table with the farm: is each stored refresh token the farm's
current one (`valid`), or dead (`lost`: the farm rotated past it, or never issued it)? And which
rows were marked inactive? The fault tests assert 0 lost tokens and 0 wrongly deactivated portals.

    python3 farm_check.py --farm http://127.0.0.1:PORT (--sqlite PATH | --psql URL) [--table portals] [--per-portal]

prints {"valid": N, "lost": [member ids], "inactive_marked": [member ids with active = 0]}
(with --per-portal also "portals": {member_id: "valid" | "lost"}); exit status 0, or 1 when the
check itself failed. From Python: `farm_check.check(farm_url, sqlite=PATH)` returns the same dict
with "portals". Rows of every `active` value are checked; member ids the farm does not know are lost.
"""

import argparse
import json
import os
import sys
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import farm_db  # noqa: E402


def farm_tokens(farm_url, timeout=60):
    """GET /_farm/tokens: member_id -> {"refresh_token", "access_token", "access_valid", ...}."""
    with urllib.request.urlopen(farm_url.rstrip("/") + "/_farm/tokens", timeout=timeout) as response:
        return json.loads(response.read())


def classify(rows, tokens):
    """The report for table rows (farm_db.Row) against the farm's /_farm/tokens document."""
    portals = {}
    for row in rows:
        current = tokens.get(row.member_id)
        portals[row.member_id] = ("valid" if current is not None and row.refresh_token
                                  and row.refresh_token == current["refresh_token"] else "lost")
    return {
        "valid": sum(1 for state in portals.values() if state == "valid"),
        "lost": sorted(m for m, state in portals.items() if state == "lost"),
        "inactive_marked": sorted(row.member_id for row in rows if not _active(row.active)),
        "portals": portals,
    }


def check(farm_url, sqlite=None, psql=None, table="portals"):
    store = farm_db.open_table(sqlite=sqlite, psql=psql, table=table)
    try:
        rows = store.rows()
    finally:
        store.close()
    return classify(rows, farm_tokens(farm_url))


def _active(value):
    try:
        return int(value) != 0
    except (TypeError, ValueError):
        return bool(value)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Installations table vs the farm's tokens (see README.md)")
    parser.add_argument("--farm", required=True, help="http://127.0.0.1:PORT")
    store = parser.add_mutually_exclusive_group(required=True)
    store.add_argument("--sqlite", metavar="PATH")
    store.add_argument("--psql", metavar="URL")
    parser.add_argument("--table", default="portals")
    parser.add_argument("--per-portal", action="store_true", help='add "portals": {member_id: state}')
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        report = check(arguments.farm, sqlite=arguments.sqlite, psql=arguments.psql, table=arguments.table)
    except (OSError, ValueError, farm_db.sqlite3.Error, farm_db.PsqlError) as error:
        print("farm_check: %s" % error, file=sys.stderr)
        return 1
    if not arguments.per_portal:
        del report["portals"]
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
