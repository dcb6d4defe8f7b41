#!/usr/bin/env python3
"""Check the JSON schemas in schemas/ against the plans, fixtures and the b24plan binary of this repository.

Usage: python3 scripts/check-schemas.py [--b24plan PATH_TO_BINARY]

  a. the schema is a valid JSON Schema 2020-12 document, and every property it declares has a
     `description` and every object with properties says whether it is open (`additionalProperties`);
  b. every plans/**/*.json validates against it;
  c. every file in Tests/Fixtures/schema-invalid/ is rejected by it;
  d. with --b24plan, `b24plan lint --format json FIXTURE` rejects every one of those fixtures too:
     exit code 1 and at least one error with a rule among B24P002-B24P005 or B24P101;
  f. with --b24plan, schemas/diff-output.schema.json passes the checks of section a, and the real
     `b24plan diff --format json PLAN` of every plan validates against it: plain, with
     `--installations 5000` (adds `rollout`) and with `--reconcile always`;
  g. with --b24plan, `b24plan graph --format dot PLAN` of every plan is accepted by Graphviz
     (`dot -Tsvg` exits 0 and prints an `<svg`); a missing `dot` is a failure;
  h. with --b24plan, `b24plan graph --format mermaid PLAN` of every plan starts with `graph TD` and
     every `-->` edge names nodes declared above it;
  i. with --b24plan, `b24plan schema plan` and `b24plan schema diff` print the two schema files
     byte for byte (the binary embeds them), and each `$id` is a stable `urn:b24plan:schema:` name.

Needs Python 3, `jsonschema` (PyPI) and, for section g, Graphviz.
Prints one summary line per section; exits 1 on any failure, 64 on a usage error.
"""

import argparse
import json
import re
import shutil
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
DIFF_SCHEMA = ROOT / "schemas" / "diff-output.schema.json"
PLANS = ROOT / "plans"
INVALID = ROOT / "Tests" / "Fixtures" / "schema-invalid"
STRUCTURAL_RULES = {"B24P002", "B24P003", "B24P004", "B24P005", "B24P101"}
# The `diff` variants section f validates: (label, extra arguments).
DIFF_VARIANTS = [("plain", []), ("--installations 5000", ["--installations", "5000"]),
                 ("--reconcile always", ["--reconcile", "always"])]


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


def report_errors(validator, document, where):
    """Prints each validation error of `document` (sorted by path); 1 when there was any, else 0."""
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors:
        print(f"  {where}: {describe(e)}")
    return int(bool(errors))


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


def schema_problems(schema):
    """The checks of section a on a loaded schema: valid 2020-12, $schema, $id, conventions."""
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
    return problems


def check_schema():
    """Section a. Returns a validator, or None when the schema is unusable."""
    try:
        schema = load_json(SCHEMA)
    except (OSError, ValueError) as e:
        print(f"  {rel(SCHEMA)}: cannot read: {e}")
        print("FAIL schema: cannot read the schema")
        return None, False
    problems = schema_problems(schema)
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
        bad += report_errors(validator, plan, rel(path))
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


def plan_files():
    return sorted(p for p in PLANS.rglob("*.json") if p.is_file())


def run_b24plan(binary, args):
    """Runs `binary ARGS` in the repository; returns (CompletedProcess or None, error text)."""
    try:
        return subprocess.run([binary, *args], cwd=ROOT, capture_output=True, timeout=120,
                              stdin=subprocess.DEVNULL), None
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"cannot run {binary}: {e}"


def last_stderr_line(run):
    stderr = run.stderr.decode("utf-8", "replace").strip()
    return stderr.splitlines()[-1] if stderr else ""


def check_diff_output(binary):
    """Section f."""
    try:
        schema = load_json(DIFF_SCHEMA)
    except (OSError, ValueError) as e:
        print(f"  {rel(DIFF_SCHEMA)}: cannot read: {e}")
        print(f"FAIL diff: cannot read {rel(DIFF_SCHEMA)}")
        return False
    problems = schema_problems(schema)
    for p in problems:
        print(f"  {rel(DIFF_SCHEMA)}: {p}")
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError:
        print(f"FAIL diff: {rel(DIFF_SCHEMA)} is not a usable schema")
        return False
    validator = Draft202012Validator(schema)
    files = plan_files()
    bad = checked = 0
    for path in files:
        for label, extra in DIFF_VARIANTS:
            checked += 1
            where = f"{rel(path)} ({label})"
            run, error = run_b24plan(binary, ["diff", "--format", "json", *extra, str(path)])
            if run is None:
                print(f"  {where}: {error}")
                bad += 1
                continue
            if run.returncode != 0:
                print(f"  {where}: diff exit code {run.returncode}, expected 0")
                if last_stderr_line(run):
                    print("    stderr: " + last_stderr_line(run))
                bad += 1
                continue
            try:
                doc = json.loads(run.stdout.decode("utf-8"))
            except ValueError as e:
                print(f"  {where}: stdout is not one JSON document: {e}")
                bad += 1
                continue
            bad += report_errors(validator, doc, where)
    if not files:
        print(f"FAIL diff: no plans found under {rel(PLANS)}/")
        return False
    if problems or bad:
        what = [f"{len(problems)} problem(s) in {rel(DIFF_SCHEMA)}"] if problems else []
        what += [f"{bad} of {checked} diff output(s) do not validate"] if bad else []
        print(f"FAIL diff: {'; '.join(what)}")
        return False
    print(f"ok   diff: {rel(DIFF_SCHEMA)} is a valid draft 2020-12 schema; "
          f"all {checked} diff output(s) of {len(files)} plan(s) validate against it")
    return True


def check_graph_dot(binary):
    """Section g."""
    dot = shutil.which("dot")
    if dot is None:
        print("FAIL dot: Graphviz `dot` is not on PATH (apt-get install graphviz)")
        return False
    files = plan_files()
    bad = 0
    for path in files:
        run, error = run_b24plan(binary, ["graph", "--format", "dot", str(path)])
        if run is None or run.returncode != 0:
            print(f"  {rel(path)}: " + (error or f"graph exit code {run.returncode}, expected 0"))
            if run is not None and last_stderr_line(run):
                print("    stderr: " + last_stderr_line(run))
            bad += 1
            continue
        try:
            svg = subprocess.run([dot, "-Tsvg"], input=run.stdout, capture_output=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f"  {rel(path)}: cannot run {dot}: {e}")
            bad += 1
            continue
        if svg.returncode != 0 or b"<svg" not in svg.stdout:
            reason = f"exit code {svg.returncode}" if svg.returncode != 0 else "no <svg in its output"
            print(f"  {rel(path)}: dot -Tsvg rejects the graph: {reason}")
            if last_stderr_line(svg):
                print("    stderr: " + last_stderr_line(svg))
            bad += 1
    if not files:
        print(f"FAIL dot: no plans found under {rel(PLANS)}/")
        return False
    if bad:
        print(f"FAIL dot: {bad} of {len(files)} graph(s) not rendered by Graphviz")
        return False
    print(f"ok   dot: all {len(files)} graph(s) render with Graphviz dot -Tsvg")
    return True


MERMAID_NODE = re.compile(r"^([A-Za-z0-9_]+)\s*(\[|\(|\{|>)")
MERMAID_ID = re.compile(r"^[A-Za-z0-9_]+$")
MERMAID_IGNORED = re.compile(r"^(%%|classDef\s|class\s|style\s|linkStyle\s)")


def mermaid_problems(text):
    """`graph TD` first, then every `-->` edge between ids declared on earlier lines."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or not lines[0].startswith("graph TD"):
        return [f"does not start with `graph TD` (first line: {lines[0] if lines else '(empty)'!r})"], 0
    declared, problems, edges = set(), [], 0
    for number, line in enumerate(lines[1:], start=2):
        if "-->" in line:
            # `a --> b`, `a -->|label| b`, `a --> b --> c`
            ends = [re.sub(r"^\|[^|]*\|", "", part.strip()).strip() for part in line.split("-->")]
            for end in ends:
                if not MERMAID_ID.match(end):
                    problems.append(f"line {number}: edge end {end!r} is not a node id: {line}")
                elif end not in declared:
                    problems.append(f"line {number}: edge names {end!r}, not declared above it: {line}")
            edges += len(ends) - 1
        elif MERMAID_NODE.match(line):
            declared.add(MERMAID_NODE.match(line).group(1))
        elif not MERMAID_IGNORED.match(line):
            problems.append(f"line {number}: neither a node nor an edge: {line}")
    return problems, edges


def check_graph_mermaid(binary):
    """Section h."""
    files = plan_files()
    bad = 0
    for path in files:
        run, error = run_b24plan(binary, ["graph", "--format", "mermaid", str(path)])
        if run is None or run.returncode != 0:
            print(f"  {rel(path)}: " + (error or f"graph exit code {run.returncode}, expected 0"))
            if run is not None and last_stderr_line(run):
                print("    stderr: " + last_stderr_line(run))
            bad += 1
            continue
        problems, _ = mermaid_problems(run.stdout.decode("utf-8", "replace"))
        for p in problems:
            print(f"  {rel(path)}: mermaid {p}")
        bad += bool(problems)
    if not files:
        print(f"FAIL mermaid: no plans found under {rel(PLANS)}/")
        return False
    if bad:
        print(f"FAIL mermaid: {bad} of {len(files)} mermaid graph(s) malformed")
        return False
    print(f"ok   mermaid: all {len(files)} mermaid graph(s) start with `graph TD` and link declared nodes")
    return True


def check_schema_command(binary):
    """Section i."""
    bad = 0
    for name, path in (("plan", SCHEMA), ("diff", DIFF_SCHEMA)):
        run, error = run_b24plan(binary, ["schema", name])
        if run is None or run.returncode != 0:
            print(f"  schema {name}: " + (error or f"exit code {run.returncode}, expected 0"))
            bad += 1
            continue
        if run.stdout != path.read_bytes():
            print(f"  schema {name}: differs from {rel(path)} (run scripts/embed-schemas and rebuild)")
            bad += 1
        schema_id = load_json(path).get("$id", "")
        if not schema_id.startswith("urn:b24plan:schema:"):
            print(f"  {rel(path)}: $id {schema_id!r} is not a stable urn:b24plan:schema: name")
            bad += 1
    if bad:
        print(f"FAIL schema command: {bad} problem(s)")
        return False
    print("ok   schema command: `b24plan schema plan|diff` prints both files byte for byte")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--b24plan", metavar="PATH", help="b24plan binary to cross-check the invalid fixtures, diff output and graphs with")
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
        ok &= check_diff_output(binary)
        ok &= check_graph_dot(binary)
        ok &= check_graph_mermaid(binary)
        ok &= check_schema_command(binary)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
