#!/usr/bin/env python3
"""Check schemas/release-plan.schema.json against the plans and fixtures of this repository.

Usage: python3 scripts/check-schemas.py [--b24plan PATH_TO_BINARY]

  a. the schema is a valid JSON Schema 2020-12 document, and every property it declares has a
     `description` and every object with properties says whether it is open (`additionalProperties`);
  b. every plans/**/*.json validates against it;
  c. every file in Tests/Fixtures/schema-invalid/ is rejected by it;
  d. with --b24plan, `b24plan lint --format json FIXTURE` rejects every one of those fixtures too:
     exit code 1 and at least one error with a rule among B24P002-B24P005 or B24P101.

schemas/diff-output.schema.json is not checked yet. Needs Python 3 and `jsonschema` (PyPI).
Prints one summary line per section; exits 1 on any failure, 64 on a usage error.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("check-schemas: the Python package `jsonschema` is missing (pip install jsonschema)")

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "release-plan.schema.json"
PLANS = ROOT / "plans"
INVALID = ROOT / "Tests" / "Fixtures" / "schema-invalid"
STRUCTURAL_RULES = {"B24P002", "B24P003", "B24P004", "B24P005", "B24P101"}


def rel(path):
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def json_path(parts):
    """`placements[2].handler`: the path form b24plan uses in diagnostics and `suppress.at`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(root)"


def load_json(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def describe(error):
    """One readable line for a validation error; for anyOf/oneOf, the most relevant sub-error."""
    best = jsonschema.exceptions.best_match([error]) if error.context else error
    return f"{json_path(best.absolute_path)}: {best.message}"


def lint_schema_text(node, where, problems):
    """Editor-facing conventions: described properties, explicit openness of objects."""
    if isinstance(node, dict):
        props = node.get("properties")
        # Only object schemas declare properties; if/then/else branches merely constrain them.
        if node.get("type") == "object" and isinstance(props, dict):
            if "additionalProperties" not in node:
                problems.append(f"{where}: object with properties but no additionalProperties")
            for name, sub in props.items():
                if not isinstance(sub, dict) or "description" not in sub:
                    problems.append(f"{where}/properties/{name}: no description")
        for key, sub in node.items():
            lint_schema_text(sub, f"{where}/{key}", problems)
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            lint_schema_text(sub, f"{where}/{i}", problems)


def check_schema():
    """Section a. Returns a validator, or None when the schema is unusable."""
    try:
        schema = load_json(SCHEMA)
    except (OSError, ValueError) as e:
        print(f"  {rel(SCHEMA)}: cannot read: {e}")
        print("FAIL schema: cannot read the schema")
        return None, False
    problems = []
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        problems.append(f"not a valid 2020-12 schema: {e.message} (at {'/'.join(map(str, e.absolute_path))})")
    if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        problems.append("$schema must be https://json-schema.org/draft/2020-12/schema")
    if not schema.get("$id"):
        problems.append("no $id")
    lint_schema_text(schema, "#", problems)
    for p in problems:
        print(f"  {rel(SCHEMA)}: {p}")
    if problems:
        print(f"FAIL schema: {len(problems)} problem(s) in {rel(SCHEMA)}")
        # Only a schema that jsonschema itself accepts can be used for the next sections.
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError:
            return None, False
        return Draft202012Validator(schema), False
    print(f"ok   schema: {rel(SCHEMA)} is a valid draft 2020-12 schema")
    return Draft202012Validator(schema), True


def check_plans(validator):
    """Section b."""
    files = sorted(p for p in PLANS.rglob("*.json") if p.is_file())
    bad = 0
    for path in files:
        try:
            plan = load_json(path)
        except (OSError, ValueError) as e:
            print(f"  {rel(path)}: not valid JSON: {e}")
            bad += 1
            continue
        errors = sorted(validator.iter_errors(plan), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            print(f"  {rel(path)}: {describe(e)}")
        bad += bool(errors)
    if not files:
        print(f"FAIL plans: no plans found under {rel(PLANS)}/")
        return False
    if bad:
        print(f"FAIL plans: {bad} of {len(files)} plan(s) do not validate")
        return False
    print(f"ok   plans: {len(files)} plan(s) validate")
    return True


def invalid_fixtures():
    return sorted(p for p in INVALID.iterdir() if p.is_file()) if INVALID.is_dir() else []


def check_fixtures(validator):
    """Section c."""
    files = invalid_fixtures()
    bad = 0
    for path in files:
        try:
            plan = load_json(path)
        except (OSError, ValueError) as e:
            # These fixtures test structure, not syntax: they must be well-formed JSON.
            print(f"  {rel(path)}: not valid JSON ({e}); schema-invalid fixtures must parse")
            bad += 1
            continue
        if validator.is_valid(plan):
            print(f"  {rel(path)}: accepted by the schema, expected a rejection")
            bad += 1
    if not files:
        print(f"FAIL fixtures: no files in {rel(INVALID)}/")
        return False
    if bad:
        print(f"FAIL fixtures: {bad} of {len(files)} schema-invalid fixture(s) not rejected by the schema")
        return False
    print(f"ok   fixtures: all {len(files)} schema-invalid fixture(s) rejected by the schema")
    return True


def check_b24plan(binary):
    """Section d."""
    files = invalid_fixtures()
    bad = 0
    for path in files:
        cmd = [binary, "lint", "--format", "json", str(path)]
        try:
            run = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f"  {rel(path)}: cannot run {binary}: {e}")
            bad += 1
            continue
        reasons = []
        if run.returncode != 1:
            reasons.append(f"exit code {run.returncode}, expected 1")
        try:
            doc = json.loads(run.stdout.decode("utf-8"))
            diags = doc.get("diagnostics", []) if isinstance(doc, dict) else []
        except ValueError:
            doc, diags = None, []
            reasons.append("stdout is not one JSON document")
        if doc is not None:
            errors = [d for d in diags if isinstance(d, dict) and d.get("severity") == "error"]
            if not any(d.get("rule") in STRUCTURAL_RULES for d in errors):
                got = ", ".join(sorted({str(d.get("rule")) for d in errors})) or "none"
                reasons.append(f"no error among {', '.join(sorted(STRUCTURAL_RULES))} (errors: {got})")
        if reasons:
            print(f"  {rel(path)}: b24plan disagrees: {'; '.join(reasons)}")
            stderr = run.stderr.decode("utf-8", "replace").strip()
            if stderr:
                print("    stderr: " + stderr.splitlines()[-1])
            bad += 1
    if not files:
        print(f"FAIL b24plan: no files in {rel(INVALID)}/")
        return False
    if bad:
        print(f"FAIL b24plan: {bad} of {len(files)} schema-invalid fixture(s) not rejected as expected by {binary}")
        return False
    print(f"ok   b24plan: all {len(files)} schema-invalid fixture(s) rejected by {binary} with a structural error")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--b24plan", metavar="PATH", help="b24plan binary to cross-check the invalid fixtures with")
    try:
        args = parser.parse_args()
    except SystemExit as e:
        sys.exit(64 if e.code else 0)

    validator, ok = check_schema()
    if validator is None:
        print("skip plans, fixtures: the schema cannot be used")
        return 1
    ok &= check_plans(validator)
    ok &= check_fixtures(validator)
    if args.b24plan:
        binary = args.b24plan
        if "/" in binary:
            binary = str(Path(binary).resolve())
        ok &= check_b24plan(binary)
    # schemas/diff-output.schema.json (when present) is not checked yet: skipped silently.
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
