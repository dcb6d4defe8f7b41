#!/usr/bin/env python3
"""Keep the plan schema's scope and placement lists equal to b24plan's catalogue.

Usage: b24plan catalogue --format json | python3 scripts/catalogue/schema_lists.py [--write]

Builds `$defs.scopeCode.anyOf` and `$defs.placementCode.anyOf` of schemas/release-plan.schema.json
from the catalogue dump (documented, deprecated and removed entries in separate branches, placements
grouped by the scope they need and how they are bound, the patterns as regular expressions). Without
--write it exits 1 and names the differences when the schema is out of date; with --write it
rewrites the schema file (same JSON layout: two-space indent, UTF-8, final newline).
"""

import json
import re
import sys
from pathlib import Path

SCHEMA = Path(__file__).resolve().parent.parent.parent / "schemas" / "release-plan.schema.json"

# How a branch of placements is described, by (needed scope or "", binding method).
PLACEMENT_TEXT = {
    ("", "placement.bind"): "Needs no scope besides `placement`. REST_APP_URI and PAGE_BACKGROUND_WORKER allow one handler "
    "(B24P212); PAGE_BACKGROUND_WORKER requires options.errorHandlerUrl (B24P213).",
    ("crm", "placement.bind"): "CRM placement: needs scopes `placement` and `crm`.",
    ("task", "placement.bind"): "Task placement: needs scopes `placement` and `task`; TASK_VIEW_TAB and TASK_VIEW_SIDEBAR keep "
    "options.groupId.",
    ("im", "placement.bind"): "Chat placement: needs scope `placement`; the docs disagree whether `im` is needed too (B24P215 "
    "warns without it). IM_NAVIGATION, IM_SIDEBAR and IM_TEXTAREA require options.iconName (B24P216).",
    ("telephony", "placement.bind"): "Telephony placement: needs scopes `placement` and `telephony`.",
    ("sonet_group", "placement.bind"): "Workgroup placement: needs scopes `placement` and `sonet_group`.",
    ("user", "placement.bind"): "User profile placement: needs scopes `placement` and `user`.",
    ("calendar", "placement.bind"): "Calendar placement: needs scopes `placement` and `calendar`.",
    ("contact_center", "placement.bind"): "Contact center placement: needs scopes `placement` and `contact_center`.",
    ("humanresources.hcmlink", "placement.bind"): "e-Signature HCM Link placement: needs scopes `placement` and "
    "`humanresources.hcmlink`.",
    ("landing", "landing.repo.bind"): "Sites placement: bound with landing.repo.bind, needs scope `landing` (not `placement`).",
}

PATTERNS = {
    "CRM_DYNAMIC_<id>_": ("^CRM_DYNAMIC_[0-9]+_({suffixes})$", "CRM placement of a smart process: CRM_DYNAMIC_<entityTypeId>_<SUFFIX>. "
                          "Needs scopes `placement` and `crm`; exists only on portals that have that smart-process type.",
                          "CRM_DYNAMIC_128_DETAIL_TAB"),
}


def scope_branches(dump):
    by_status = {}
    for entry in dump["scopes"]:
        by_status.setdefault(entry["status"], []).append(entry["code"])
    text = {
        "documented": "A current Bitrix24 scope code.",
        "deprecated": "A deprecated scope code (B24P214 warns): request `task` instead of `tasks*`; `rpa` gave way to the CRM smart processes (scope `crm`).",
        "removed": "A scope code removed from the Bitrix24 docs (B24P218 warns: the portal may reject it).",
    }
    branches = []
    for status in ("documented", "deprecated", "removed"):
        if by_status.get(status):
            branch = {"type": "string", "enum": sorted(by_status[status]), "description": text[status]}
            if status != "documented":
                branch["deprecated"] = True
            branches.append(branch)
    return branches


def placement_branches(dump):
    groups, removed, deprecated, dynamic_suffixes = {}, [], [], []
    landing_block = None
    for entry in dump["placements"]:
        code = entry["code"]
        if code.startswith("CRM_DYNAMIC_<id>_"):
            dynamic_suffixes.append(code[len("CRM_DYNAMIC_<id>_"):])
            continue
        if code == "LANDING_BLOCK_<CODE>":
            landing_block = entry
            continue
        if entry["status"] == "removed":
            removed.append(code)
            continue
        if entry["status"] == "deprecated":
            deprecated.append(code)
            continue
        key = (entry["scopes"][0] if entry["scopes"] else "", entry["bind"])
        if key not in PLACEMENT_TEXT:
            sys.exit(f"schema_lists: no description for placements needing {key}; add one to PLACEMENT_TEXT")
        groups.setdefault(key, []).append(code)
    branches = [{"type": "string", "enum": sorted(groups[key]), "description": PLACEMENT_TEXT[key]}
                for key in PLACEMENT_TEXT if key in groups]
    if dynamic_suffixes:
        pattern, text, example = PATTERNS["CRM_DYNAMIC_<id>_"]
        branches.append({"type": "string", "pattern": pattern.format(suffixes="|".join(sorted(dynamic_suffixes))),
                         "description": text, "examples": [example]})
    if landing_block:
        branches.append({"type": "string", "pattern": "^[Ll][Aa][Nn][Dd][Ii][Nn][Gg]_[Bb][Ll][Oo][Cc][Kk]_[A-Za-z0-9._*-]+$",
                         "description": "Sites block placement LANDING_BLOCK_<CODE> (one block type, e.g. "
                         "LANDING_BLOCK_04.1.one_col_fix_with_title) or LANDING_BLOCK_* (every block): bound with "
                         "landing.repo.bind, needs scope `landing`.",
                         "examples": ["LANDING_BLOCK_*", "LANDING_BLOCK_04.1.one_col_fix_with_title"]})
    if deprecated:
        branches.append({"type": "string", "enum": sorted(deprecated), "deprecated": True,
                         "description": "Deprecated in the Bitrix24 docs (B24P218 warns): still accepted, the handler is not called."})
    if removed:
        branches.append({"type": "string", "enum": sorted(removed), "deprecated": True,
                         "description": "Removed from the Bitrix24 docs (B24P218 warns: the portal may reject it)."})
    return branches


def main():
    write = "--write" in sys.argv[1:]
    dump = json.load(sys.stdin)
    text = SCHEMA.read_text(encoding="utf-8")
    schema = json.loads(text)
    wanted = {"scopeCode": scope_branches(dump), "placementCode": placement_branches(dump)}
    stale = [name for name, branches in wanted.items() if schema["$defs"][name]["anyOf"] != branches]
    if not stale:
        print("schema lists: scopeCode and placementCode match the catalogue")
        return 0
    if not write:
        for name in stale:
            have = {json.dumps(b, sort_keys=True) for b in schema["$defs"][name]["anyOf"]}
            want = {json.dumps(b, sort_keys=True) for b in wanted[name]}
            for line in sorted(want - have):
                print(f"  {name}: missing branch {line[:160]}")
            for line in sorted(have - want):
                print(f"  {name}: stale branch {line[:160]}")
        print("schema lists: out of date; run `b24plan catalogue --format json | "
              "python3 scripts/catalogue/schema_lists.py --write`")
        return 1
    for name, branches in wanted.items():
        schema["$defs"][name]["anyOf"] = branches
    SCHEMA.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"schema lists: rewrote {', '.join(stale)} in {SCHEMA.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
