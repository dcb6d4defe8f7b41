#!/usr/bin/env python3
"""Check the GitHub Action (action.yml) and the GitLab CI template (ci/gitlab/b24plan.gitlab-ci.yml)
by running their scripts against the sample app, since GitHub and GitLab cannot be reached from here.

Usage: python3 scripts/check-ci-templates.py --b24plan PATH [--archive-dir DIR] [--build-from-source]

  a. Both files parse as YAML and hold what GitHub and GitLab require: the action's name,
     description, inputs (each described), outputs, `runs.using: composite` and steps (each a
     `run` with `shell` or a `uses` pinned to a major version), no `${{ }}` inside a `run:` script
     (expressions reach scripts through `env:` only), every `inputs.X` and `steps.Y` it names
     declared; the template's jobs with `script`, `rules`, the lint job's
     `artifacts:reports:codequality`, the diff job's artifact, and B24PLAN_VERSION equal to
     `b24plan --version`.
  b. The action's steps run in order as the runner would run them: `if:` conditions and `${{ }}`
     expressions evaluated, `run:` scripts in `bash --noprofile --norc -eo pipefail`, with
     GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY, in a git repository holding the sample app
     (the pull request adds plans/acme.dealsync/3.0.0.json). `uses:` steps (actions/cache,
     upload-sarif) are not run: their inputs are checked. Stubs stand in for the network: `curl`
     serves the release archive (the real one from --archive-dir, else one made from --b24plan),
     `gh` answers the comments API, `apt-get`/`sudo` do nothing. Scenarios: lint (exit 0), lint with
     SARIF, lint of a broken plan (annotation, exit 1), diff on a pull request posting one comment
     (the changed plan only), diff on the next push updating that comment, diff on a push (every
     plan, no comment), and with --build-from-source the build branch (swift build of this
     checkout with the toolchain on PATH).
  c. The template's jobs run the same way (before_script + script in one bash), with GitLab's
     predefined variables of a merge-request pipeline and `curl` answering the notes API: lint
     writes a Code Quality report (exit 0; exit 1 and a major issue for a broken plan), diff writes
     b24plan-diff.md with the changed plan and posts a note, then updates it.

Needs Python 3 with PyYAML, git and bash. Prints one line per check; exits 1 on any failure, 64 on
a usage error.
"""

import argparse
import json
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("check-ci-templates: PyYAML is missing (apt-get install python3-yaml, or pip install pyyaml)")

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
GITLAB = ROOT / "ci" / "gitlab" / "b24plan.gitlab-ci.yml"
SAMPLE = ROOT / "plans" / "acme.dealsync"
SAMPLE_GLOB = "plans/acme.dealsync/*.json"
ADDED_PLAN = "plans/acme.dealsync/3.0.0.json"
MARKER = "<!-- b24plan-diff -->"
FAILURES = []


def check(condition, what, detail=""):
    print(("ok   " if condition else "FAIL ") + what + ("" if condition or not detail else f": {detail}"))
    if not condition:
        FAILURES.append(what)
    return condition


# MARK: GitHub expressions


class Expression:
    """The subset of GitHub Actions expressions the action uses: literals, contexts with `-` in
    names, `== != && || !`, parentheses, and the status functions. Strings compare ignoring case;
    values of different types compare as numbers (null and '' are 0), as GitHub does."""

    TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
                       r"|(?P<name>[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z_][A-Za-z0-9_\-]*)*))")

    def __init__(self, text, contexts, status):
        self.tokens = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = self.TOKEN.match(text, position)
            if not match or match.end() == position:
                raise ValueError(f"cannot read expression {text!r} at {position}")
            position = match.end()
            kind = match.lastgroup
            self.tokens.append((kind, match.group(kind)))
        self.index = 0
        self.contexts = contexts
        self.status = status
        self.uses_status = any(kind == "name" and value in ("success", "always", "failure", "cancelled")
                               for kind, value in self.tokens)

    def evaluate(self):
        value = self.disjunction()
        if self.index != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.index]}")
        return value

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self, value=None):
        token = self.peek()
        if value is not None and token[1] != value:
            raise ValueError(f"expected {value}, found {token}")
        self.index += 1
        return token

    def disjunction(self):
        value = self.conjunction()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.conjunction()
            value = value if truthy(value) else right
        return value

    def conjunction(self):
        value = self.comparison()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.comparison()
            value = right if truthy(value) else value
        return value

    def comparison(self):
        value = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            operator = self.take()[1]
            right = self.unary()
            same = equal(value, right)
            value = same if operator == "==" else not same
        return value

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        if self.peek() == ("op", "("):
            self.take()
            value = self.disjunction()
            self.take(")")
            return value
        kind, value = self.take()
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "num":
            return float(value)
        if value in ("true", "false"):
            return value == "true"
        if value == "null":
            return None
        if self.peek() == ("op", "("):
            self.take()
            self.take(")")
            return {"success": self.status == "success", "always": True, "failure": self.status == "failure",
                    "cancelled": False}[value]
        node = self.contexts
        for part in value.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node


def truthy(value):
    return value not in (None, False, 0, 0.0, "") and value == value


def number(value):
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip()) if value.strip() else 0.0
        except ValueError:
            return float("nan")
    return float("nan")


def equal(left, right):
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()
    if type(left) is type(right) or (isinstance(left, (int, float)) and isinstance(right, (int, float))
                                      and not isinstance(left, bool) and not isinstance(right, bool)):
        return left == right
    return number(left) == number(right)


def text_of(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def interpolate(text, contexts):
    """Replaces each ${{ expression }} of `text` by its value."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: text_of(Expression(m.group(1), contexts, "success").evaluate()),
                  str(text))


def condition_holds(condition, contexts, status):
    if condition is None:
        return status == "success"
    text = str(condition).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    expression = Expression(text, contexts, status)
    value = truthy(expression.evaluate())
    return value if expression.uses_status else value and status == "success"


# MARK: the sandbox


def write_executable(path, text):
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    if args[0] != "commit":
        return None
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, check=True, capture_output=True,
                          text=True).stdout.strip()


def make_repository(folder):
    """A git repository with the sample app: the base commit lacks 3.0.0.json, HEAD adds it.
    Returns (base sha, head sha)."""
    app = folder / "plans" / "acme.dealsync"
    shutil.copytree(SAMPLE, app)
    added = folder / ADDED_PLAN
    kept = added.read_bytes()
    added.unlink()
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    base = git(folder, "commit", "-q", "-m", "base")
    added.write_bytes(kept)
    git(folder, "add", "-A")
    head = git(folder, "commit", "-q", "-m", "adds 3.0.0")
    return base, head


def make_archive(binary, version, folder):
    """A release archive made from `binary` (when no real one is given), with its .sha256."""
    name = f"b24plan-{version}-linux-{platform.machine()}"
    stage = folder / "stage" / name
    (stage / "bin").mkdir(parents=True)
    shutil.copy2(binary, stage / "bin" / "b24plan")
    shutil.copytree(ROOT / "schemas", stage / "schemas")
    subprocess.run(["tar", "-czf", str(folder / f"{name}.tar.gz"), "-C", str(folder / "stage"), name], check=True)
    digest = subprocess.run(["sha256sum", f"{name}.tar.gz"], cwd=folder, check=True, capture_output=True,
                            text=True).stdout
    (folder / f"{name}.tar.gz.sha256").write_text(digest)
    return folder


STUB_CURL = r'''#!/usr/bin/env python3
"""curl for the checks: release downloads from ARCHIVE_DIR; GitLab's notes API from STUB_STATE."""
import json, os, sys
args = sys.argv[1:]
out = headers = data = None
method = "GET"
url = None
i = 0
while i < len(args):
    a = args[i]
    if a in ("-o", "--output"): out = args[i + 1]; i += 2; continue
    if a in ("-D", "--dump-header"): headers = args[i + 1]; i += 2; continue
    if a in ("-X", "--request"): method = args[i + 1]; i += 2; continue
    if a in ("--data", "-d", "--data-binary"): data = args[i + 1]; i += 2; continue
    if a in ("--header", "-H", "--retry"): i += 2; continue
    if a.startswith("-"): i += 1; continue
    url = a; i += 1
log = os.environ["STUB_LOG"]
with open(log, "a") as f:
    f.write(json.dumps({"tool": "curl", "method": method, "url": url,
                        "data": open(data[1:]).read() if data and data.startswith("@") else data}) + "\n")
def emit(body):
    if out: open(out, "wb").write(body)
    else: sys.stdout.buffer.write(body)
if "/releases/download/" in url:
    path = os.path.join(os.environ["ARCHIVE_DIR"], url.rsplit("/", 1)[1])
    if not os.path.exists(path):
        sys.stderr.write(f"curl: (22) The requested URL returned error: 404 ({url})\n"); sys.exit(22)
    emit(open(path, "rb").read()); sys.exit(0)
if "/notes" in url:
    state = json.load(open(os.environ["STUB_STATE"]))
    if headers: open(headers, "w").write("HTTP/2 200\r\nx-next-page: \r\n\r\n")
    if method == "GET": emit(json.dumps(state.get("notes", [])).encode())
    else: emit(b'{"id": 1}')
    sys.exit(0)
sys.stderr.write(f"curl: no stub for {url}\n"); sys.exit(7)
'''

STUB_GH = r'''#!/usr/bin/env python3
"""gh for the checks: `gh api` of the issue-comments API answered from STUB_STATE, calls logged."""
import json, os, sys
args = sys.argv[1:]
state = json.load(open(os.environ["STUB_STATE"]))
entry = {"tool": "gh", "args": args}
if "--input" in args:
    entry["input"] = json.load(open(args[args.index("--input") + 1]))
with open(os.environ["STUB_LOG"], "a") as f:
    f.write(json.dumps(entry) + "\n")
if args[:1] != ["api"]:
    sys.exit(2)
if "--method" not in args:
    for comment in state.get("comments", []):
        if comment["body"].startswith("<!-- b24plan-diff -->"):
            print(comment["id"])
sys.exit(0)
'''

STUB_NOOP = "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$STUB_LOG.apt\"\nexit 0\n"
STUB_SUDO = "#!/bin/sh\nexec \"$@\"\n"


class Sandbox:
    def __init__(self, binary, archive_dir, version):
        self.temp = Path(tempfile.mkdtemp(prefix="b24plan-ci-"))
        self.stubs = self.temp / "stubs"
        self.stubs.mkdir()
        write_executable(self.stubs / "curl", STUB_CURL)
        write_executable(self.stubs / "gh", STUB_GH)
        for tool in ("apt-get", "apt-cache"):
            write_executable(self.stubs / tool, STUB_NOOP)
        write_executable(self.stubs / "sudo", STUB_SUDO)
        self.archive_dir = Path(archive_dir).resolve() if archive_dir else make_archive(binary, version, self.temp / "archive")
        self.binary = binary
        self.version = version

    def repository(self, name):
        folder = self.temp / name
        folder.mkdir()
        base, head = make_repository(folder)
        return folder, base, head

    def environment(self, state):
        log = self.temp / "calls.jsonl"
        log.write_text("")
        state_file = self.temp / "state.json"
        state_file.write_text(json.dumps(state))
        toolchain = Path(shutil.which("swift") or "/usr/bin/swift").resolve().parent
        env = {"PATH": f"{self.stubs}:/usr/local/bin:/usr/bin:/bin:{toolchain}", "HOME": str(self.temp),
               "LANG": "C.UTF-8", "STUB_LOG": str(log), "STUB_STATE": str(state_file),
               "ARCHIVE_DIR": str(self.archive_dir)}
        return env, log

    @staticmethod
    def calls(log):
        return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


# MARK: a. structure


def check_action_structure(action):
    keys_ok = all(action.get(key) for key in ("name", "description", "inputs", "outputs", "runs"))
    check(keys_ok, "action.yml: name, description, inputs, outputs and runs present")
    inputs = action.get("inputs", {})
    expected = {"plans", "command", "comment", "sarif", "version", "build-from-source", "swift-version", "github-token"}
    check(expected <= set(inputs), "action.yml: inputs " + ", ".join(sorted(expected)), f"has {sorted(inputs)}")
    check(all(isinstance(v, dict) and v.get("description") for v in inputs.values()),
          "action.yml: every input is described")
    check(inputs.get("plans", {}).get("default") == "plans/*/*.json" and inputs.get("command", {}).get("default") == "lint",
          "action.yml: plans defaults to plans/*/*.json, command to lint")
    runs = action.get("runs", {})
    check(runs.get("using") == "composite", "action.yml: runs.using is composite")
    steps = runs.get("steps", [])
    ids = [step.get("id") for step in steps]
    check(steps and all(ids) and len(set(ids)) == len(ids), "action.yml: every step has its own id")
    problems = []
    for step in steps:
        if "run" in step:
            if step.get("shell") != "bash":
                problems.append(f"{step['id']}: run without shell: bash")
            if "${{" in step["run"]:
                problems.append(f"{step['id']}: ${{{{ }}}} inside run (pass it through env:)")
        elif "uses" in step:
            if not re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]):
                problems.append(f"{step['id']}: uses {step['uses']} not pinned to a major version")
        else:
            problems.append(f"{step.get('id')}: neither run nor uses")
    text = ACTION.read_text()
    for name in set(re.findall(r"inputs\.([\w-]+)", text)):
        if name not in inputs:
            problems.append(f"inputs.{name} is not declared")
    for name in set(re.findall(r"steps\.([\w-]+)\.", text)):
        if name not in ids:
            problems.append(f"steps.{name} is no step")
    check(not problems, "action.yml: run steps use bash and env only; uses pinned; inputs and steps declared", "; ".join(problems))
    by_id = {step["id"]: step for step in steps}
    sarif = by_id.get("upload-sarif", {})
    check(sarif.get("uses", "").startswith("github/codeql-action/upload-sarif@")
          and "steps.run.outputs.sarif-file" in str(sarif.get("with", {}).get("sarif_file")),
          "action.yml: SARIF goes to github/codeql-action/upload-sarif")
    cache = by_id.get("cache", {})
    check(cache.get("uses", "").startswith("actions/cache@") and str(cache.get("with", {}).get("path", "")).endswith("/.build")
          and "source-hash" in str(cache.get("with", {}).get("key")),
          "action.yml: build-from-source caches .build keyed on the sources' hash")


def check_gitlab_structure(template, version):
    check(isinstance(template, dict), "gitlab template: parses to a mapping")
    variables = template.get("variables", {})
    check(variables.get("B24PLAN_VERSION") == version, "gitlab template: B24PLAN_VERSION equals b24plan --version",
          f"{variables.get('B24PLAN_VERSION')!r} vs {version!r}")
    base = template.get(".b24plan", {})
    check(bool(base.get("before_script")) and bool(base.get("image")), "gitlab template: .b24plan has image and before_script")
    for job in ("b24plan-lint", "b24plan-diff"):
        body = template.get(job, {})
        check(body.get("extends") == ".b24plan" and bool(body.get("script")) and bool(body.get("rules")),
              f"gitlab template: {job} extends .b24plan, has script and rules")
    lint = template.get("b24plan-lint", {})
    check(lint.get("artifacts", {}).get("reports", {}).get("codequality") == "gl-code-quality-report.json",
          "gitlab template: b24plan-lint reports codequality gl-code-quality-report.json")
    diff = template.get("b24plan-diff", {})
    check("b24plan-diff.md" in diff.get("artifacts", {}).get("paths", []), "gitlab template: b24plan-diff keeps b24plan-diff.md")
    check(any("merge_request_event" in str(rule.get("if")) for rule in diff.get("rules", [])),
          "gitlab template: b24plan-diff runs in merge-request pipelines")


# MARK: b. the action, run


def run_action(action, sandbox, repo, inputs, github, expect_success, label, action_path=None):
    """Runs the action's steps; returns (succeeded, outputs of each step, summary text, stdout)."""
    env, log = sandbox.environment(github.pop("_state", {}))
    temp = Path(tempfile.mkdtemp(dir=sandbox.temp))
    files = {name: temp / name for name in ("output", "path", "summary")}
    for file in files.values():
        file.write_text("")
    declared = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    contexts = {"github": github, "runner": {"os": "Linux", "arch": "X64", "temp": str(temp)}, "steps": {}, "env": {}}
    declared = {name: interpolate(value, contexts) for name, value in declared.items()}
    contexts["inputs"] = {**declared, **inputs}
    status = "success"
    extra_path = []
    transcript = []
    for step in action["runs"]["steps"]:
        step_id = step["id"]
        contexts["steps"][step_id] = {"outputs": {}, "outcome": "skipped"}
        if not condition_holds(step.get("if"), contexts, status):
            continue
        if "uses" in step:
            contexts["steps"][step_id]["outcome"] = "success"
            contexts["steps"][step_id]["with"] = {k: interpolate(v, contexts) for k, v in step.get("with", {}).items()}
            transcript.append(f"[uses {step['uses']}]")
            continue
        step_env = dict(env)
        step_env["PATH"] = ":".join(extra_path + [env["PATH"]])
        step_env.update({"GITHUB_OUTPUT": str(files["output"]), "GITHUB_PATH": str(files["path"]),
                         "GITHUB_STEP_SUMMARY": str(files["summary"]), "RUNNER_TEMP": str(temp),
                         "RUNNER_TOOL_CACHE": str(sandbox.temp / "toolcache"),
                         "GITHUB_ACTION_PATH": str(action_path or ROOT), "GITHUB_REPOSITORY": github["repository"],
                         "GITHUB_WORKSPACE": str(repo), "CI": "true"})
        for key, value in step.get("env", {}).items():
            step_env[key] = interpolate(value, contexts)
        files["output"].write_text("")
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                                env=step_env, capture_output=True, text=True, timeout=900)
        transcript.append(f"[{step_id} exit {result.returncode}]\n{result.stdout}{result.stderr}")
        contexts["steps"][step_id]["outputs"] = parse_outputs(files["output"].read_text())
        contexts["steps"][step_id]["outcome"] = "success" if result.returncode == 0 else "failure"
        extra_path = [line for line in files["path"].read_text().splitlines() if line][::-1] + []
        if result.returncode != 0:
            status = "failure"
    succeeded = status == "success"
    ok = check(succeeded == expect_success, f"action, {label}: {'succeeds' if expect_success else 'fails'}",
               "\n" + "\n".join(transcript)[-3000:])
    return ok, contexts["steps"], files["summary"].read_text(), "\n".join(transcript), Sandbox.calls(log)


def parse_outputs(text):
    outputs = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delimiter = line.split("<<", 1)
            value = []
            i += 1
            while i < len(lines) and lines[i] != delimiter:
                value.append(lines[i])
                i += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


def check_action_runs(action, sandbox, build_from_source):
    repo, base, head = sandbox.repository("github")
    push = lambda: {"event_name": "push", "event": {}, "repository": "acme/dealsync-app", "token": "t0ken",
                    "action_repository": "example/b24plan", "workspace": str(repo)}

    def pull_request(comments):
        github = push()
        github.update({"event_name": "pull_request", "event": {"pull_request": {"number": 12, "base": {"sha": base}}},
                       "_state": {"comments": comments}})
        return github

    # lint: downloads the archive (checked against its SHA-256), annotations, exit 0.
    ok, steps, _, out, calls = run_action(action, sandbox, repo, {"plans": SAMPLE_GLOB}, push(), True, "lint of the sample app")
    urls = [c["url"] for c in calls if c["tool"] == "curl"]
    name = f"b24plan-{sandbox.version}-linux-{platform.machine()}.tar.gz"
    check(urls == [f"https://github.com/example/b24plan/releases/download/v{sandbox.version}/{name}",
                   f"https://github.com/example/b24plan/releases/download/v{sandbox.version}/{name}.sha256"],
          "action, lint: downloads the archive of the action's version and its .sha256", str(urls))
    check(steps["run"]["outputs"].get("exit-code") == "0" and steps["comment"]["outcome"] == "skipped"
          and steps["upload-sarif"]["outcome"] == "skipped", "action, lint: exit code 0; no comment, no SARIF upload")

    # github.action_repository empty (composite actions, actions/runner#2473): the action's path names it.
    actions = sandbox.temp / "_actions" / "acme" / "b24plan"
    actions.mkdir(parents=True)
    (actions / "v0.1.0").symlink_to(ROOT)
    github = push()
    github["action_repository"] = ""
    ok, steps, _, out, calls = run_action(action, sandbox, repo, {"plans": SAMPLE_GLOB}, github, True,
                                          "lint with an empty github.action_repository", action_path=actions / "v0.1.0")
    urls = [c["url"] for c in calls if c["tool"] == "curl"]
    check(urls[:1] == [f"https://github.com/acme/b24plan/releases/download/v{sandbox.version}/{name}"],
          "action: without github.action_repository, the repository comes from the action's path", str(urls))

    # lint with SARIF: the file is SARIF 2.1.0 and the upload step gets it.
    ok, steps, _, out, _ = run_action(action, sandbox, repo, {"plans": SAMPLE_GLOB, "sarif": "true"}, push(), True, "lint with sarif: true")
    sarif_file = steps["run"]["outputs"].get("sarif-file", "")
    sarif = json.loads(Path(sarif_file).read_text()) if sarif_file and Path(sarif_file).exists() else {}
    check(sarif.get("version") == "2.1.0" and steps["upload-sarif"].get("with", {}).get("sarif_file") == sarif_file
          and steps["upload-sarif"]["with"].get("category") == "b24plan",
          "action, lint with sarif: writes SARIF 2.1.0 and hands it to upload-sarif")

    # lint of a broken plan: an annotation, and the action fails.
    broken = repo / "plans" / "acme.broken"
    broken.mkdir()
    (broken / "1.0.0.json").write_text('{ "app": "acme.broken", "version": "1.0.0", '
                                       '"changelog": { "en": "Shows the deals linked to each task." }, "scopes": ["tsk"] }\n')
    ok, steps, _, out, _ = run_action(action, sandbox, repo, {"plans": "plans/acme.broken/*.json plans/acme.dealsync/1.0.0.json"},
                                      push(), False, "lint of a broken plan")
    check("::error file=plans/acme.broken/1.0.0.json,line=1," in out and steps["run"]["outputs"].get("exit-code") == "1",
          "action, lint of a broken plan: a GitHub annotation at the plan, exit code 1")
    shutil.rmtree(broken)

    # no plan matches: a clear error.
    ok, steps, _, out, _ = run_action(action, sandbox, repo, {"plans": "nothing/*.json"}, push(), False, "lint of a glob matching nothing")
    check("no release plan matches 'nothing/*.json'" in out, "action: a glob that matches nothing is an error naming it")

    # diff on a pull request: one comment with the changed plan only.
    inputs = {"plans": "plans/*/*.json", "command": "diff", "comment": "true"}
    ok, steps, summary, out, calls = run_action(action, sandbox, repo, dict(inputs), pull_request([]), True, "diff on a pull request")
    posts = [c for c in calls if c["tool"] == "gh" and "--method" in c["args"]]
    body = posts[0]["input"]["body"] if posts else ""
    check(len(posts) == 1 and posts[0]["args"][posts[0]["args"].index("--method") + 1] == "POST"
          and posts[0]["args"][-3] == "repos/acme/dealsync-app/issues/12/comments",
          "action, diff on a pull request: POSTs one comment", json.dumps(posts)[:500])
    check(body.startswith(MARKER) and f"`{ADDED_PLAN}`" in body and "2.0.1 → 3.0.0" in body
          and "plans/acme.dealsync/2.0.1.json`" not in body and body == summary,
          "action, diff on a pull request: the comment (and job summary) holds the changed plan only", body[:400])
    # the next push: the earlier comment is updated.
    ok, steps, summary, out, calls = run_action(action, sandbox, repo, dict(inputs),
                                                pull_request([{"id": 4711, "body": MARKER + "\nold"}]), True, "diff on the next push")
    writes = [c for c in calls if c["tool"] == "gh" and "--method" in c["args"]]
    check(len(writes) == 1 and "PATCH" in writes[0]["args"] and "repos/acme/dealsync-app/issues/comments/4711" in writes[0]["args"]
          and writes[0]["input"]["body"].startswith(MARKER),
          "action, diff on the next push: PATCHes its earlier comment instead of adding one", json.dumps(writes)[:500])
    # diff on a push: every plan, no comment.
    ok, steps, summary, out, calls = run_action(action, sandbox, repo, dict(inputs), push(), True, "diff on a push")
    check(summary.count("<sub>`plans/acme.dealsync/") == 6 and steps["comment"]["outcome"] == "skipped"
          and not [c for c in calls if c["tool"] == "gh"],
          "action, diff on a push: every plan in the job summary, no comment")

    if build_from_source:
        ok, steps, _, out, calls = run_action(
            action, sandbox, repo, {"plans": SAMPLE_GLOB, "build-from-source": "true", "swift-version": "system"}, push(), True,
            "lint with build-from-source (swift on PATH)")
        binary = steps["install"]["outputs"].get("binary", "")
        check(binary == str(ROOT / ".build" / "release" / "b24plan") and not [c for c in calls if c["tool"] == "curl"]
              and steps["cache"]["outcome"] == "success",
              "action, build-from-source: builds this checkout with swift build (cache step first), downloads nothing", binary)


# MARK: c. the GitLab template, run


def run_gitlab_job(template, job, sandbox, repo, variables, state, expect_code, label):
    env, log = sandbox.environment(state)
    merged = {**template.get("variables", {}), **template[job].get("variables", {}), **variables}
    base = template[template[job]["extends"]]
    script = "\n".join(list(base["before_script"]) + list(template[job]["script"]))
    env.update({key: str(value) for key, value in merged.items()})
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=600)
    check(result.returncode == expect_code, f"gitlab {job}, {label}: exit {expect_code}",
          f"exit {result.returncode}\n{(result.stdout + result.stderr)[-3000:]}")
    return result, Sandbox.calls(log)


def check_gitlab_runs(template, sandbox):
    repo, base, head = sandbox.repository("gitlab")
    predefined = {"CI": "true", "CI_PROJECT_DIR": str(repo), "CI_PIPELINE_SOURCE": "merge_request_event",
                  "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_MERGE_REQUEST_IID": "3", "CI_PROJECT_ID": "77",
                  "CI_API_V4_URL": "https://gitlab.example/api/v4", "B24PLAN_REPOSITORY": "https://github.com/example/b24plan"}
    report = repo / "gl-code-quality-report.json"
    result, calls = run_gitlab_job(template, "b24plan-lint", sandbox, repo, {**predefined, "B24PLAN_PLANS": SAMPLE_GLOB}, {}, 0,
                                   "lint of the sample app")
    check(report.exists() and json.loads(report.read_text()) == [], "gitlab b24plan-lint: an empty Code Quality report for the sample")
    check(any(c.get("url", "").endswith(".tar.gz.sha256") for c in calls), "gitlab b24plan-lint: downloads the archive and its .sha256")

    broken = repo / "plans" / "acme.broken"
    broken.mkdir()
    (broken / "1.0.0.json").write_text('{ "app": "acme.broken", "version": "1.0.0", '
                                       '"changelog": { "en": "Shows the deals linked to each task." }, "scopes": ["tsk"] }\n')
    run_gitlab_job(template, "b24plan-lint", sandbox, repo, {**predefined, "B24PLAN_PLANS": "plans/acme.broken/*.json"}, {}, 1,
                   "lint of a broken plan")
    issues = json.loads(report.read_text()) if report.exists() else []
    check(any(i.get("check_name") == "B24P201" and i.get("severity") == "major"
              and i.get("location", {}).get("path") == "plans/acme.broken/1.0.0.json" for i in issues),
          "gitlab b24plan-lint of a broken plan: a major B24P201 issue at the plan's path")
    shutil.rmtree(broken)

    with_token = {**predefined, "B24PLAN_GITLAB_TOKEN": "glpat-test"}
    result, calls = run_gitlab_job(template, "b24plan-diff", sandbox, repo, with_token, {"notes": []}, 0, "diff of a merge request")
    markdown = (repo / "b24plan-diff.md").read_text() if (repo / "b24plan-diff.md").exists() else ""
    check(markdown.startswith(MARKER) and f"`{ADDED_PLAN}`" in markdown and "plans/acme.dealsync/2.0.1.json`" not in markdown,
          "gitlab b24plan-diff: b24plan-diff.md holds the changed plan only", markdown[:300])
    notes = "https://gitlab.example/api/v4/projects/77/merge_requests/3/notes"
    writes = [c for c in calls if c["tool"] == "curl" and c["method"] != "GET"]
    check(len(writes) == 1 and writes[0]["method"] == "POST" and writes[0]["url"] == notes
          and json.loads(writes[0]["data"])["body"] == markdown,
          "gitlab b24plan-diff: POSTs the note to the merge request", json.dumps(writes)[:400])
    result, calls = run_gitlab_job(template, "b24plan-diff", sandbox, repo, with_token,
                                   {"notes": [{"id": 9, "body": "hello"}, {"id": 99, "body": MARKER + "\nold"}]}, 0, "the next push")
    writes = [c for c in calls if c["tool"] == "curl" and c["method"] != "GET"]
    check(len(writes) == 1 and writes[0]["method"] == "PUT" and writes[0]["url"] == notes + "/99",
          "gitlab b24plan-diff, next push: PUTs its earlier note instead of adding one", json.dumps(writes)[:400])
    result, calls = run_gitlab_job(template, "b24plan-diff", sandbox, repo, predefined, {}, 0, "without a token")
    check(not [c for c in calls if c["tool"] == "curl" and "/notes" in (c["url"] or "")] and "no B24PLAN_GITLAB_TOKEN" in result.stdout,
          "gitlab b24plan-diff without B24PLAN_GITLAB_TOKEN: no API call, says so")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--b24plan", metavar="PATH", required=True, help="the b24plan binary the templates run")
    parser.add_argument("--archive-dir", metavar="DIR", help="a folder holding the real release archive and its .sha256")
    parser.add_argument("--build-from-source", action="store_true", help="also run the action's build-from-source branch")
    try:
        args = parser.parse_args()
    except SystemExit as e:
        sys.exit(64 if e.code else 0)
    binary = str(Path(args.b24plan).resolve())
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    action = yaml.safe_load(ACTION.read_text())
    template = yaml.safe_load(GITLAB.read_text())
    check_action_structure(action)
    check_gitlab_structure(template, version)
    sandbox = Sandbox(binary, args.archive_dir, version)
    try:
        check_action_runs(action, sandbox, args.build_from_source)
        check_gitlab_runs(template, sandbox)
    finally:
        shutil.rmtree(sandbox.temp, ignore_errors=True)
    if FAILURES:
        print(f"FAIL check-ci-templates: {len(FAILURES)} check(s) failed")
        return 1
    print("ok   check-ci-templates: action.yml and the GitLab template pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
