#!/usr/bin/env python3
"""Compare b24plan's built-in Bitrix24 catalogue with the snapshot of the official docs.

Usage:
  b24plan catalogue --format json | python3 scripts/catalogue/check.py
  python3 scripts/catalogue/check.py --catalogue dump.json [--snapshot FILE] [--explained FILE] [--no-notes]

Prints every difference, one line each, grouped by scopes / placements / events, and exits
  0  no unexplained difference (notes and warnings do not count),
  1  at least one unexplained difference,
  2  unreadable input.

Rules (the rule name is the second column of each line, and what explained.json refers to):

  missing         a docs item is not in the catalogue                         FAIL
                  (a scope that only pages state, not permissions.md: NOTE)
  marked-removed  the catalogue marks an item `removed` the docs still have    FAIL
  not-in-docs     the catalogue marks an item documented the docs lack         FAIL
  status          a scope deprecated in one and not in the other               FAIL
  bind            a placement's registration method differs                    FAIL
                  (the docs do not say: NOTE bind-unstated)
  delivery        an event's delivery differs                                  FAIL
  scopes          a scope of the docs item (its page's, or its index page's)   FAIL
                  is not among the catalogue item's scopes
                  (a scope the catalogue does not know as a code: NOTE scope-unknown)
  options         an OPTIONS key the docs document is not in keptOptions       FAIL
                  (keptOptions the docs do not mention: NOTE extra-options)
  checked-against the dump's checkedAgainst.commit is not the snapshot's       WARN

A difference listed in explained.json (section, rule, item; item may use * and ?) is printed as
EXPL with its reason and does not fail the check; an explanation that matches nothing is a WARN.
"""

import argparse
import fnmatch
import json
import os
import sys
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SNAPSHOT = os.path.join(HERE, "docs-snapshot.json")
DEFAULT_EXPLAINED = os.path.join(HERE, "explained.json")
SECTIONS = ("scopes", "placements", "events")
KEY = {"scopes": "code", "placements": "code", "events": "name"}

Finding = namedtuple("Finding", "section level rule item message")  # level: FAIL NOTE WARN


class InputError(Exception):
    pass


def _index(items, key, what, findings, section):
    out = {}
    if not isinstance(items, list):
        raise InputError(f"{what}: `{section}` must be a list")
    for it in items:
        if not isinstance(it, dict) or not isinstance(it.get(key), str):
            raise InputError(f"{what}: every entry of `{section}` needs a string `{key}`: {it!r}")
        if it[key] in out:
            findings.append(Finding(section, "WARN", "duplicate", it[key], f"listed twice in the {what}"))
        out[it[key]] = it
    return out


def _fmt(scopes):
    return "[" + ", ".join(scopes) + "]" if scopes else "[] (none)"


def compare(snapshot, catalogue):
    """Every finding of catalogue against snapshot, unexplained (see explain())."""
    findings = []
    for doc, what in ((snapshot, "snapshot"), (catalogue, "catalogue")):
        if not isinstance(doc, dict):
            raise InputError(f"{what}: not a JSON object")
        for section in SECTIONS:
            if section not in doc:
                raise InputError(f"{what}: no `{section}` list")

    src = snapshot.get("source", {})
    checked = catalogue.get("checkedAgainst") or {}
    if checked.get("commit") != src.get("commit"):
        findings.append(Finding(
            "general", "WARN", "checked-against", str(checked.get("commit")),
            f"the catalogue says it was checked against {str(checked.get('commit'))[:12]} ({checked.get('date')}), "
            f"the snapshot is {str(src.get('commit'))[:12]} ({src.get('date')}): update checkedAgainst once reviewed"))

    docs = {s: _index(snapshot[s], KEY[s], "snapshot", findings, s) for s in SECTIONS}
    cat = {s: _index(catalogue[s], KEY[s], "catalogue", findings, s) for s in SECTIONS}
    known_scope_codes = set(cat["scopes"])

    for section in SECTIONS:
        d, c = docs[section], cat[section]
        for key in sorted(set(d) | set(c)):
            di, ci = d.get(key), c.get(key)
            status = ci.get("status", "documented") if ci else None
            if status not in (None, "documented", "deprecated", "removed"):
                raise InputError(f"catalogue: {section} {key}: unknown status {status!r}")
            if di and not ci:
                if section == "scopes" and di.get("inPermissionsTable") is False:
                    findings.append(Finding(section, "NOTE", "missing", key,
                                            f"stated by pages such as {di.get('page')} but not in scopes/permissions.md; "
                                            "add it if it is a real scope"))
                else:
                    findings.append(Finding(section, "FAIL", "missing", key,
                                            f"documented on {di.get('page')}; not in the catalogue"))
                continue
            if ci and not di:
                if status != "removed":
                    findings.append(Finding(section, "FAIL", "not-in-docs", key,
                                            f"the catalogue marks it {status} (source {ci.get('source')}); the docs no longer have it: mark it removed"))
                continue
            if status == "removed":
                findings.append(Finding(section, "FAIL", "marked-removed", key,
                                        f"the catalogue marks it removed; the docs still have it on {di.get('page')}"))
                continue
            if section == "scopes":
                if bool(di.get("deprecated")) != (status == "deprecated"):
                    docs_says = "deprecated" if di.get("deprecated") else "current"
                    findings.append(Finding(section, "FAIL", "status", key,
                                            f"the catalogue says {status}, {di.get('page')} says {docs_says}"))
                continue
            _compare_scopes(section, key, di, ci, known_scope_codes, findings)
            if section == "placements":
                _compare_placement(key, di, ci, findings)
            else:
                if di.get("delivery") != ci.get("delivery"):
                    findings.append(Finding(section, "FAIL", "delivery", key,
                                            f"docs: {di.get('delivery')} ({di.get('page')}), catalogue: {ci.get('delivery')}"))
    return findings


def _compare_scopes(section, key, di, ci, known, findings):
    cat_scopes = set(ci.get("scopes") or [])
    wanted = [("page", s, di.get("page")) for s in di.get("scopes", [])]
    wanted += [("index", s, di.get("indexPage")) for s in di.get("indexScopes", [])]
    for origin, scope, page in wanted:
        if scope in cat_scopes:
            continue
        where = f"{'its page' if origin == 'page' else 'the index page'} {page}"
        if scope not in known:
            findings.append(Finding(section, "NOTE", "scope-unknown", key,
                                    f"{where} says scope `{scope}`, which the catalogue does not know as a scope code "
                                    f"(catalogue: {_fmt(sorted(cat_scopes))})"))
        else:
            findings.append(Finding(section, "FAIL", "scopes", key,
                                    f"{where} says scope `{scope}`; the catalogue has {_fmt(sorted(cat_scopes))}"))


def _compare_placement(key, di, ci, findings):
    if di.get("bind") is None:
        findings.append(Finding("placements", "NOTE", "bind-unstated", key,
                                f"{di.get('page')} does not say how it is registered; the catalogue says {ci.get('bind')}"))
    elif di.get("bind") != ci.get("bind"):
        findings.append(Finding("placements", "FAIL", "bind", key,
                                f"docs: {di.get('bind')} ({di.get('page')}), catalogue: {ci.get('bind')}"))
    kept = set(ci.get("keptOptions") or [])
    docs_options = set(di.get("options") or [])
    lacking = sorted(docs_options - kept)
    if lacking:
        findings.append(Finding("placements", "FAIL", "options", key,
                                f"{di.get('page')} documents OPTIONS {', '.join(lacking)}; not in keptOptions "
                                f"{_fmt(sorted(kept))}"))
    extra = sorted(kept - docs_options)
    if extra:
        findings.append(Finding("placements", "NOTE", "extra-options", key,
                                f"keptOptions {', '.join(extra)} are not documented on {di.get('page')}"))


def explain(findings, explanations):
    """(findings with explained FAILs turned into EXPL, stale-explanation warnings)."""
    used = [False] * len(explanations)
    out = []
    for f in findings:
        if f.level == "FAIL":
            for i, e in enumerate(explanations):
                if e.get("section") == f.section and e.get("rule") == f.rule and fnmatch.fnmatchcase(f.item, e.get("item", "")):
                    used[i] = True
                    f = f._replace(level="EXPL", message=f"{f.message} — explained: {e.get('why', '(no reason given)')}")
                    break
        out.append(f)
    for i, e in enumerate(explanations):
        if not used[i]:
            out.append(Finding("general", "WARN", "stale-explanation", str(e.get("item")),
                               f"explained.json entry {e.get('section')}/{e.get('rule')}/{e.get('item')} matches no difference: remove it"))
    return out


def render(findings, snapshot, catalogue, show_notes=True):
    src = snapshot.get("source", {})
    checked = catalogue.get("checkedAgainst") or {}
    lines = [
        f"docs snapshot: {src.get('repository')} {str(src.get('commit'))[:12]} ({src.get('date')}): "
        + ", ".join(f"{len(snapshot[s])} {s}" for s in SECTIONS),
        f"catalogue:     checked against {str(checked.get('commit'))[:12]} ({checked.get('date')}): "
        + ", ".join(f"{len(catalogue[s])} {s}" for s in SECTIONS),
    ]
    order = {"FAIL": 0, "EXPL": 1, "WARN": 2, "NOTE": 3}
    general = [f for f in findings if f.section == "general"]
    for f in sorted(general, key=lambda f: (order[f.level], f.rule, f.item)):
        lines.append(f"{f.level:<4} {f.rule:<17} {f.message}")
    for section in SECTIONS:
        fs = [f for f in findings if f.section == section and (show_notes or f.level != "NOTE")]
        counts = {lvl: sum(1 for f in findings if f.section == section and f.level == lvl) for lvl in order}
        lines.append("")
        lines.append(f"{section}: {counts['FAIL']} differences, {counts['EXPL']} explained, "
                     f"{counts['NOTE']} notes, {counts['WARN']} warnings")
        width = max([len(f.item) for f in fs] + [10])
        for f in sorted(fs, key=lambda f: (order[f.level], f.rule, f.item)):
            lines.append(f"  {f.level:<4} {f.rule:<14} {f.item:<{width}}  {f.message}")
    fails = sum(1 for f in findings if f.level == "FAIL")
    lines.append("")
    lines.append(f"{fails} unexplained differences, {sum(1 for f in findings if f.level == 'EXPL')} explained, "
                 f"{sum(1 for f in findings if f.level == 'NOTE')} notes, {sum(1 for f in findings if f.level == 'WARN')} warnings: "
                 + ("FAILED" if fails else "OK"))
    return "\n".join(lines) + "\n"


def _load_json(path, what):
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read the {what} ({path}): {e}")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Compare a b24plan catalogue dump with the docs snapshot.")
    ap.add_argument("--catalogue", default="-", help="the dump of `b24plan catalogue --format json` (default: stdin)")
    ap.add_argument("--snapshot", default=DEFAULT_SNAPSHOT, help="docs snapshot (default: %(default)s)")
    ap.add_argument("--explained", default=None, help="explained differences (default: explained.json next to this script, if any)")
    ap.add_argument("--no-notes", action="store_true", help="do not print NOTE lines")
    args = ap.parse_args(argv)
    try:
        snapshot = _load_json(args.snapshot, "docs snapshot")
        catalogue = _load_json(args.catalogue, "catalogue dump")
        explained_path = args.explained or (DEFAULT_EXPLAINED if os.path.exists(DEFAULT_EXPLAINED) else None)
        explanations = _load_json(explained_path, "explanations") if explained_path else []
        if not isinstance(explanations, list):
            raise InputError(f"{explained_path}: must be a JSON list")
        findings = explain(compare(snapshot, catalogue), explanations)
    except InputError as e:
        print(f"check.py: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(render(findings, snapshot, catalogue, show_notes=not args.no_notes))
    return 1 if any(f.level == "FAIL" for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
