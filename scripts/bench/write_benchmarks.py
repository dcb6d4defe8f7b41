#!/usr/bin/env python3
"""Writes the generated block at the top of BENCHMARKS.md from one `scripts/bench/run`.

Usage: write_benchmarks.py BENCHMARKS.md OUT_DIR BINARY BINARY_NOTE INVOCATION LOAD_AT_START SECTION…

OUT_DIR holds, for each SECTION that ran, NAME.md (its output, as printed) and NAME.cmd (the
command line that reproduces it). The block lies between `<!-- bench:latest:begin -->` and
`<!-- bench:latest:end -->`; everything outside it (the dated history) is left as it is. On the
first write the block goes before the first `## ` heading. Sections that did not run keep their
previous text, marked with the date, commit and machine of the run that produced it, or say
"not run yet".
"""
import datetime
import hashlib
import json
import os
import platform
import re
import subprocess
import sys

SECTIONS = ["commands", "fleet", "migrate", "transports", "memory", "rollout"]
TITLES = {
    "commands": "lint and diff against jsonschema; process start",
    "fleet": "apply to farm portals",
    "migrate": "perPortal migrations against a one-shot UPDATE",
    "transports": "the HTTP client (libcurl) through apply",
    "memory": "peak RSS of apply",
    "rollout": "rollout against a bare asyncio client and the latency bound",
}
BEGIN, END = "<!-- bench:latest:begin -->", "<!-- bench:latest:end -->"
MARK = re.compile(r"^<!-- bench:section (\{.*\}) -->$")


def run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    cores = os.cpu_count() or 0
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    system = platform.system()
    try:
        with open("/etc/os-release") as handle:
            fields = dict(line.rstrip("\n").split("=", 1) for line in handle if "=" in line)
        system = fields.get("PRETTY_NAME", system).strip('"')
    except OSError:
        pass
    swift = run(["swift", "--version"]).splitlines()
    swift = swift[0] if swift else "swift not found"
    swift = re.sub(r"^Swift version (\S+).*$", r"Swift \1", swift)
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cores} cores ({model}){memory}, {system}, Linux {platform.release()}, {swift}, "
            f"Python {platform.python_version()}")


def commit():
    head = run(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    # BENCHMARKS.md itself does not make the measured tree dirty.
    dirty = run(["git", "status", "--porcelain", "--", ".", ":(exclude)BENCHMARKS.md"])
    return head + ("+dirty" if dirty else "")


def load():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def old_sections(block):
    """{name: (attributes, body)} from a previous block."""
    found, name, attributes, lines = {}, None, None, []
    for line in block.splitlines():
        match = MARK.match(line)
        if match or line.startswith("### ") or line == END:
            if name is not None:
                found[name] = (attributes, "\n".join(lines).strip("\n"))
                name = None
            if match:
                attributes = json.loads(match.group(1))
                name, lines = attributes.get("name"), []
            continue
        if name is not None:
            lines.append(line)
    if name is not None:
        found[name] = (attributes, "\n".join(lines).strip("\n"))
    return found


def main():
    path, out, binary, binary_note, invocation, load_start = sys.argv[1:7]
    ran = sys.argv[7:]
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        old_block, tail = rest.split(END, 1)
        previous = old_sections(old_block + "\n" + END)
    else:
        first = text.find("\n## ")
        head, tail = (text[:first + 1], "\n\n" + text[first + 1:]) if first >= 0 else (text + "\n", "\n")
        previous = {}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    here = machine()
    at = commit()
    try:
        with open(binary, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()[:12]
    except OSError:
        digest = "unreadable"
    version = run([binary, "--version"]) or "no --version"
    shown = os.path.relpath(binary) if os.path.abspath(binary).startswith(os.getcwd() + os.sep) else binary
    lines = [
        BEGIN,
        "## Latest run (written by `scripts/bench/run`)",
        "",
        "<!-- Generated: edit scripts/bench/run, not this block. The dated sections below it are kept by hand. -->",
        "",
        f"- **Date**: {now}",
        f"- **Machine**: {here}; load average {float(load_start):.2f} at the start, {load():.2f} at the end "
        "(other work on the machine slows every figure; compare the ratios)",
        f"- **Commit**: {at}",
        f"- **Binary**: `{shown}` ({version}; sha256 {digest}…; {binary_note})",
        f"- **Invocation**: `{invocation}`",
        "",
    ]
    for name in SECTIONS:
        if name in ran:
            with open(os.path.join(out, name + ".md"), encoding="utf-8") as handle:
                body = handle.read().strip("\n")
            with open(os.path.join(out, name + ".cmd"), encoding="utf-8") as handle:
                command = handle.read().strip()
            attributes = {"name": name, "date": now, "commit": at, "binary": f"sha256 {digest}…",
                          "load": f"{float(load_start):.2f} at the start of the run, {load():.2f} at its end", "machine": here}
            lines += [f"### {name}: {TITLES[name]} (this run)",
                      f"<!-- bench:section {json.dumps(attributes, ensure_ascii=False)} -->",
                      f"`{command}`", "", body, ""]
        elif name in previous:
            attributes, body = previous[name]
            machine_then = attributes.get("machine", "?")
            lines += [f"### {name}: {TITLES[name]} (not run this time: from {attributes.get('date', '?')} at "
                      f"{attributes.get('commit', '?')}, binary {attributes.get('binary', '?')}"
                      + (f", load average {attributes['load']}" if "load" in attributes else "")
                      + f", {'the same machine' if machine_then == here else machine_then})",
                      f"<!-- bench:section {json.dumps(attributes, ensure_ascii=False)} -->", body, ""]
        else:
            lines += [f"### {name}: {TITLES[name]} (not run yet: `scripts/bench/run {name}`; earlier figures are in the dated sections below)", ""]
    lines.append(END)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head + "\n".join(lines) + tail)


if __name__ == "__main__":
    main()
