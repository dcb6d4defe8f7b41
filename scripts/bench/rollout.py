#!/usr/bin/env python3
"""Issue 14's rollout benchmark: `b24plan apply` against a bare asyncio client (bare_client.py)
on the same fake farm, and against the latency bound.

A bench app (acme.rollout) is published at 1.0.0 with two placements and two event handlers; 1.1.0
moves all four handler URLs, so applying it changes exactly 8 bindings per portal: 4 unbinds and
4 binds. The farm is generated once (`--bind-from 1.0.0`) and every run gets a fresh farm from that
config, with `--latency-ms LATENCY`; runs alternate b24plan, bare, b24plan, bare, …

b24plan: `baseline 1.0.0`, `apply 1.1.0` (runs the deploy, stops at gate.partner), `gate pass
gate.partner`, `gate pass gate.moderation`, then the timed `apply --yes --skip-preflight --parallel
PARALLEL`. The bare client: `bare_client.py --parallel PARALLEL` on the installations the farm wrote.
Each timed process is one child: wall from start to exit, CPU = its user + sys from wait4's rusage.
Requests are the farm's `requests_total` over that process alone (statistics are reset before).

Before the timed runs, a request check on a small farm: both clients' requests captured (a
recording proxy in front of b24plan, `--dump-requests` for the bare client) must be the same
requests (path and body) per portal. After every run the farm's state must match: the statistics
(requests, per-method calls and writes, errors) and the bindings of 16 portals spread over the fleet.

Usage: rollout.py --bin B24PLAN --work DIR [--portals 10000] [--parallel 128] [--latency-ms 50] [--runs 3]
Prints a Markdown table (and progress on stderr); exit 1 when a run failed or the states differ.
"""
import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FARM = os.path.join(ROOT, "Tests", "Fixtures", "portal-farm", "farm.py")
BARE = os.path.join(ROOT, "scripts", "bench", "bare_client.py")
APP = "acme.rollout"
TICKS = os.sysconf("SC_CLK_TCK")


def log(text):
    print(text, file=sys.stderr, flush=True)


# --- the bench app -------------------------------------------------------------------------------
def write_plans(directory):
    """plans/acme.rollout/1.0.0.json (published) and 1.1.0.json (every handler URL moves)."""
    folder = os.path.join(directory, "plans", APP)
    os.makedirs(folder, exist_ok=True)
    for version, generation in (("1.0.0", "v1"), ("1.1.0", "v2")):
        base = f"https://app.acme.example/{generation}"
        plan = {
            "app": APP, "version": version,
            "changelog": {"en": f"Handlers move to /{generation}/ (the rollout benchmark's release)."},
            "monetization": {"model": "free"},
            "scopes": ["crm", "placement"],
            "handlerHosts": ["app.acme.example"],
            "placements": [
                {"placement": "CRM_DEAL_DETAIL_TAB", "handler": f"{base}/placements/deal-tab", "title": "Rollout"},
                {"placement": "CRM_CONTACT_DETAIL_TAB", "handler": f"{base}/placements/contact-tab", "title": "Rollout"},
            ],
            "events": [
                {"event": "ONCRMDEALADD", "handler": f"{base}/events/deal", "eventType": "online", "authType": 0},
                {"event": "ONCRMDEALUPDATE", "handler": f"{base}/events/deal", "eventType": "online", "authType": 0},
            ],
            "requiredMethods": ["crm.deal.get"],
            "deploy": {"command": ["true"]},
        }
        with open(os.path.join(folder, f"{version}.json"), "w", encoding="utf-8") as handle:
            json.dump(plan, handle, indent=2)
            handle.write("\n")
    return os.path.join(folder, "1.0.0.json"), os.path.join(folder, "1.1.0.json")


# --- the farm ------------------------------------------------------------------------------------
class Farm:
    """farm.py serving CONFIG with its installations in DIR/state.db; stops when its stdin closes."""

    def __init__(self, config, directory, latency_ms):
        self.errors = open(os.path.join(directory, "farm.err"), "w")
        self.process = subprocess.Popen(
            [sys.executable, FARM, "--config", config, "--sqlite", os.path.join(directory, "state.db"),
             "--latency-ms", str(latency_ms)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True)
        line = self._first_line(300)
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"the farm did not start (see {self.errors.name})")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def _first_line(self, seconds):
        box = []
        reader = threading.Thread(target=lambda: box.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(seconds)
        return box[0] if box else ""

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=60) as answer:
            return json.load(answer)

    def reset_stats(self):
        urllib.request.urlopen(urllib.request.Request(self.url + "/_farm/reset-stats", data=b"", method="POST"),
                               timeout=60).read()

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def stop(self):
        try:
            self.process.stdin.close()
            self.process.wait(timeout=30)
        except (subprocess.TimeoutExpired, OSError):
            self.process.kill()
            self.process.wait()
        self.errors.close()


# Runs argv[1:] (its stdout to /dev/null) and prints "wall user sys maxrss-kB exit" of that child alone. A small process of its
# own, because Linux carries the parent's peak RSS over into a child's ru_maxrss at exec (the driver
# holds the farm's statistics: tens of MB); this one's own is about 10 MB.
TIMER = """
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
print(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def timed(command, cwd, env=None, stderr=None):
    """Runs one child; returns (wall seconds, user s, sys s, peak RSS kB, exit code) of it alone."""
    command = [shutil.which(command[0]) or command[0]] + command[1:]
    answer = subprocess.run([sys.executable, "-c", TIMER] + command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=stderr or subprocess.DEVNULL, text=True, check=True)
    wall, user, system, rss, code = answer.stdout.split()
    return float(wall), float(user), float(system), int(rss), int(code)


# --- one run of each client ----------------------------------------------------------------------
def prepare_b24plan(binary, directory, farm, config):
    """Everything before the timed apply: store, baseline 1.0.0, deploy, both gates."""
    with open(config) as handle:
        secrets = json.load(handle)
    with open(os.path.join(directory, "b24plan.config.json"), "w") as handle:
        json.dump({"oauth": {"tokenUrl": farm.url + "/oauth/token/"}}, handle)
    env = dict(os.environ, B24PLAN_DATABASE_URL="sqlite:" + os.path.join(directory, "state.db"),
               B24_CLIENT_ID=secrets["client_id"], B24_CLIENT_SECRET=secrets["client_secret"], NO_COLOR="1")
    env.pop("B24PLAN_HTTP", None)
    plan = f"plans/{APP}/1.1.0.json"
    quiet = {"cwd": directory, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([binary, "baseline", f"plans/{APP}/1.0.0.json"], check=True, **quiet)
    subprocess.run([binary, "apply", "--yes", plan], **quiet)  # deploy; stops at gate.partner (exit 3)
    subprocess.run([binary, "gate", "pass", "gate.partner", plan], check=True, **quiet)
    subprocess.run([binary, "gate", "pass", "gate.moderation", plan], check=True, **quiet)
    return env, plan


def b24plan_command(binary, parallel, plan):
    return [binary, "apply", "--yes", "--skip-preflight", "--parallel", str(parallel), plan]


def bare_command(directory, parallel, plan, dump=None):
    command = [sys.executable, BARE, "--db", os.path.join(directory, "state.db"), "--plan", plan,
               "--parallel", str(parallel)]
    return command + (["--dump-requests", dump] if dump else [])


def sample_members(directory, count=16):
    connection = sqlite3.connect(os.path.join(directory, "state.db"))
    members = [row[0] for row in connection.execute("SELECT member_id FROM portals ORDER BY member_id")]
    connection.close()
    if len(members) <= count:
        return members
    return [members[round(i * (len(members) - 1) / (count - 1))] for i in range(count)]


def farm_state(farm, members):
    """What must be the same after either client: statistics and some portals' bindings."""
    stats = farm.get("/_farm/stats")
    portals = {}
    for member in members:
        portal = farm.get(f"/_farm/portal/{member}")
        portals[member] = {key: portal.get(key) for key in ("placements", "landing_placements", "events", "options")}
    return {
        "requests": stats["requests_total"], "methods": stats["methods"], "writes": stats["writes_total"],
        "writes_by_method": stats["writes_by_method"], "errors": stats["errors_by_code"],
        "per_portal_requests": sorted(set(stats["requests_by_portal"].values())),
        "per_portal_writes": sorted(set(stats["writes_by_portal"].values())),
        "oauth": stats["oauth_requests_total"], "portals": portals,
    }


def one_run(client, binary, work, run, config, latency_ms, parallel):
    directory = os.path.join(work, f"{client}-{run}")
    os.makedirs(directory)
    write_plans(directory)
    farm = Farm(config, directory, latency_ms)
    try:
        if client == "b24plan":
            env, plan = prepare_b24plan(binary, directory, farm, config)
            command = b24plan_command(binary, parallel, plan)
        else:
            env, plan = None, os.path.join(directory, "plans", APP, "1.1.0.json")
            command = bare_command(directory, parallel, plan)
        farm.reset_stats()
        farm_cpu = farm.cpu_seconds()
        with open(os.path.join(directory, "timed.err"), "w") as errors:
            wall, user, system, rss, code = timed(command, directory, env=env, stderr=errors)
        farm_cpu = farm.cpu_seconds() - farm_cpu
        state = farm_state(farm, sample_members(directory))
    finally:
        farm.stop()
    if code == 0:
        shutil.rmtree(directory, ignore_errors=True)  # a failed run's folder stays for a look (under --work)
    return {"client": client, "wall": wall, "user": user, "sys": system, "rss_kb": rss, "code": code,
            "farm_cpu": farm_cpu, "state": state}


# --- the request check ---------------------------------------------------------------------------
class RecordingProxy:
    """Forwards 127.0.0.1 connections to the farm and records each request's (path, body)."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.requests = []
        self.ready = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self.thread.start()
        self.ready.wait(10)

    async def _main(self):
        self.stopping = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self.loop = asyncio.get_running_loop()
        self.ready.set()
        await self.stopping.wait()
        server.close()

    async def _connection(self, client_reader, client_writer):
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        try:
            while True:
                head = await client_reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = await client_reader.readexactly(length)
                self.requests.append((head.split(b" ")[1].decode(), body.decode()))
                writer.write(head + body)
                answer = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in answer.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                client_writer.write(answer + await reader.readexactly(length))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            client_writer.close()

    def stop(self):
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(10)


def request_check(binary, work, portals=20, parallel=4):
    """Both clients' requests to a small farm, per portal; returns (same, description)."""
    directory = os.path.join(work, "check")
    os.makedirs(directory)
    first, _ = write_plans(directory)
    config = os.path.join(directory, "farm.json")
    subprocess.run([sys.executable, FARM, "--generate", str(portals), "--seed", "5", "--bind-from", first,
                    "--out", config], check=True, stdout=subprocess.DEVNULL)
    captured = {}
    for client in ("b24plan", "bare"):
        run_dir = os.path.join(directory, client)
        os.makedirs(run_dir)
        write_plans(run_dir)
        farm = Farm(config, run_dir, 0)
        try:
            if client == "b24plan":
                env, plan = prepare_b24plan(binary, run_dir, farm, config)
                proxy = RecordingProxy(farm.port)
                database = sqlite3.connect(os.path.join(run_dir, "state.db"))
                database.execute("UPDATE portals SET client_endpoint = replace(client_endpoint, ?, ?)",
                                 (f":{farm.port}/", f":{proxy.port}/"))
                database.commit()
                database.close()
                code = subprocess.run(b24plan_command(binary, parallel, plan), cwd=run_dir, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
                proxy.stop()
                requests = proxy.requests
            else:
                dump = os.path.join(run_dir, "requests.jsonl")
                plan = os.path.join(run_dir, "plans", APP, "1.1.0.json")
                code = subprocess.run(bare_command(run_dir, parallel, plan, dump), cwd=run_dir,
                                      stdout=subprocess.DEVNULL).returncode
                with open(dump) as handle:
                    requests = [(item["path"], item["body"]) for item in map(json.loads, handle)]
        finally:
            farm.stop()
        if code != 0:
            return False, f"{client} exited with {code} on the {portals}-portal check farm"
        by_path = {}
        for path, body in requests:
            by_path.setdefault(path, []).append(body)
        captured[client] = by_path
    same = captured["b24plan"] == captured["bare"]
    per_portal = sorted({len(bodies) for bodies in captured["b24plan"].values()})
    example = next(iter(captured["b24plan"].values()), [])
    shape = " + ".join(
        "batch(" + ", ".join(sorted({c.split("?")[0] for c in json.loads(body)["cmd"].values()})) + f": {len(json.loads(body)['cmd'])} commands)"
        for body in example)
    shutil.rmtree(directory, ignore_errors=True)
    return same, (f"{'identical' if same else 'DIFFERENT'} requests (path and body) from both clients on "
                  f"{portals} portals: {'/'.join(map(str, per_portal))} per portal, {shape}")


# --- the table -----------------------------------------------------------------------------------
def table(samples, portals, parallel, latency_ms, check_text, same_state):
    by_client = {}
    for sample in samples:
        by_client.setdefault(sample["client"], []).append(sample)
    rows = {}
    for client, runs in by_client.items():
        wall = statistics.median(s["wall"] for s in runs)
        requests = statistics.median(s["state"]["requests"] for s in runs)
        cpu = statistics.median((s["user"] + s["sys"]) * 1000 / max(1, s["state"]["requests"]) for s in runs)
        farm = statistics.median(s["farm_cpu"] / s["wall"] for s in runs)
        rss = max(s["rss_kb"] for s in runs) / 1024
        rows[client] = (wall, requests, requests / wall, cpu, farm, runs, rss)
    per_portal = rows["b24plan"][1] / portals
    bound = portals * per_portal * latency_ms / 1000 / parallel
    names = {"b24plan": f"b24plan (`b24plan apply --yes --skip-preflight --parallel {parallel}`)",
             "bare": f"bare asyncio client (`bare_client.py --parallel {parallel}`: {parallel} keep-alive connections)"}
    out = [f"| client ({portals:,} portals × 8 changes, {latency_ms:g} ms latency, median of {len(rows['b24plan'][5])}) "
           f"| wall | requests | requests/s | CPU per request | peak RSS | farm CPU | runs (wall s/exit) |",
           "|---|---|---|---|---|---|---|---|"]
    for client in ("b24plan", "bare"):
        wall, requests, rate, cpu, farm, runs, rss = rows[client]
        each = ", ".join(f"{s['wall']:.2f}/{s['code']}" for s in runs)
        out.append(f"| {names[client]} | {wall:.2f} s | {requests:,.0f} | {rate:,.0f} | {cpu:.3f} ms | {rss:.0f} MB | "
                   f"{farm:.0%} of a core | {each} |")
    out.append(f"| latency bound ({portals:,} × {per_portal:g} requests × {latency_ms:g} ms ÷ {parallel}) | {bound:.2f} s | "
               f"{portals * per_portal:,.0f} | {portals * per_portal / bound:,.0f} | | | | |" if bound > 0 else
               "| latency bound | 0 (no latency) | | | | | | |")
    ratio = rows["b24plan"][0] / rows["bare"][0]
    cpu = rows["b24plan"][3]
    # Runs alternate b24plan, bare, …: each pair ran close in time, so a pair's ratio suffers less from
    # other work on the machine than the ratio of the medians.
    pairs = [b["wall"] / a["wall"] for b, a in zip(by_client["b24plan"], by_client["bare"])]
    out.append(f"| **b24plan ÷ bare** | **{ratio:.2f}×** (target ≤ 1.25×: {'met' if ratio <= 1.25 else 'missed'}; "
               f"run by run: {', '.join(f'{p:.2f}×' for p in pairs)}) | | "
               f"{rows['b24plan'][2] / rows['bare'][2]:.2f}× | **{cpu:.3f} ms** b24plan (target ≤ 0.3 ms: "
               f"{'met' if cpu <= 0.3 else 'missed'}); {cpu / rows['bare'][3]:.1f}× the bare client's | | | |")
    if bound > 0:
        out.append(f"| b24plan ÷ latency bound | {rows['b24plan'][0] / bound:.2f}× | | | | | | |")
        out.append(f"| bare ÷ latency bound | {rows['bare'][0] / bound:.2f}× | | | | | | |")
    out.append("")
    out.append(f"Request check: {check_text}. Farm state after every run: "
               + ("the same for both clients (statistics, and the bindings of 16 portals spread over the fleet)."
                  if same_state else "**DIFFERENT between runs** (see the JSON lines on stderr)."))
    farm_ms = statistics.median(s["farm_cpu"] * 1000 / max(1, s["state"]["requests"]) for s in samples)
    cores = os.cpu_count() or 1
    out.append(f"The farm (one Python process) spent {farm_ms:.3f} ms of CPU per request: at most {1000 / farm_ms:,.0f} "
               f"requests/s on a whole core" + (f", against the {parallel * 1000 / latency_ms:,.0f}/s the latency bound "
               f"asks for" if latency_ms > 0 else "") + f"; the farm and the client share this machine's {cores} cores.")
    out.append("Wall is the whole process (start, reading the installations, the plan; b24plan also its journal); "
               "CPU is user + sys of that process alone (wait4), divided by the farm's request count.")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--portals", type=int, default=10000)
    parser.add_argument("--parallel", type=int, default=128)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    arguments.bin = os.path.abspath(arguments.bin)
    work = os.path.join(arguments.work, "rollout")
    os.makedirs(work, exist_ok=True)
    same_requests, check_text = request_check(arguments.bin, work)
    log(f"  rollout: {check_text}")
    first, _ = write_plans(work)
    config = os.path.join(work, "farm.json")
    subprocess.run([sys.executable, FARM, "--generate", str(arguments.portals), "--seed", "3", "--bind-from", first,
                    "--out", config], check=True, stdout=subprocess.DEVNULL)
    samples = []
    for run in range(1, arguments.runs + 1):
        for client in ("b24plan", "bare"):
            sample = one_run(client, arguments.bin, work, run, config, arguments.latency_ms, arguments.parallel)
            samples.append(sample)
            log(f"  rollout run {run} {client}: {sample['wall']:.2f} s, exit {sample['code']}, "
                f"{sample['state']['requests']} requests, CPU {sample['user'] + sample['sys']:.2f} s, "
                f"farm CPU {sample['farm_cpu']:.2f} s, peak RSS {sample['rss_kb'] // 1024} MB")
    reference = samples[0]["state"]
    same_state = all(s["state"] == reference for s in samples)
    expected = {"requests": 2 * arguments.portals, "writes": 8 * arguments.portals, "errors": {}}
    sane = all(reference[key] == value for key, value in expected.items())
    if not same_state or not sane:
        for sample in samples:
            log(json.dumps({"client": sample["client"], **{k: v for k, v in sample["state"].items() if k != "portals"}}))
    print(table(samples, arguments.portals, arguments.parallel, arguments.latency_ms, check_text, same_state))
    if not sane:
        print(f"\n**Unexpected farm statistics**: wanted {expected}, got "
              f"{ {key: reference[key] for key in expected} }.")
    ok = same_requests and same_state and sane and all(s["code"] == 0 for s in samples)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
