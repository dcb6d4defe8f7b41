#!/usr/bin/env python3
"""Load check of the farm: generates N portals, starts farm.py, and drives it over keep-alive
connections with the reconcile's read batch (app.info, scope, placement.get, event.get,
method.get) and single calls, spread over all portals.

    python3 loadcheck.py --portals 20000 --seconds 10 --connections 64            # as fast as possible
    python3 loadcheck.py --portals 20000 --seconds 10 --connections 256 --rate 2000  # paced

Prints requests/s, latency percentiles and the farm's CPU use (one core = 100 %).
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def request_bytes(port, portal, kind):
    token = portal["access_token"]
    if kind == "batch":
        commands = {"info": "app.info", "scope": "scope", "placements": "placement.get", "events": "event.get",
                    "m0": "method.get?name=crm.deal.get"}
        body = json.dumps({"auth": token, "halt": 0, "cmd": commands}).encode()
        path, ctype = "/p/%s/rest/batch" % portal["name"], "application/json"
    else:
        body = urllib.parse.urlencode({"auth": token}).encode()
        path, ctype = "/p/%s/rest/app.info" % portal["name"], "application/x-www-form-urlencoded"
    head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (path, port, ctype, len(body)))
    return head.encode() + body


async def worker(port, requests, deadline, latencies, statuses, pacer):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    rng = random.Random(id(reader))
    try:
        while time.monotonic() < deadline:
            if pacer is not None and not await pacer.get():
                break
            payload = requests[rng.randrange(len(requests))]
            started = time.monotonic()
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            latencies.append(time.monotonic() - started)
            status = int(head[9:12])
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def pace(queue, rate, deadline, workers):
    interval = 1.0 / rate
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        now = time.monotonic()
        while next_at <= now:
            queue.put_nowait(True)
            next_at += interval
        await asyncio.sleep(0.002)
    for _ in range(workers):
        queue.put_nowait(False)


async def drive(port, portals, arguments):
    requests = []
    for portal in portals:
        if "expired_token" in portal["faults"]:
            continue
        requests.append(request_bytes(port, portal, "batch"))
        requests.append(request_bytes(port, portal, "single"))
    deadline = time.monotonic() + arguments.seconds
    latencies, statuses = [], {}
    pacer = asyncio.Queue() if arguments.rate else None
    tasks = [worker(port, requests, deadline, latencies, statuses, pacer) for _ in range(arguments.connections)]
    if pacer is not None:
        tasks.append(pace(pacer, arguments.rate, deadline, arguments.connections))
    started = time.monotonic()
    await asyncio.gather(*tasks)
    return latencies, statuses, time.monotonic() - started


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--portals", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rate", type=float, default=0, help="requests/s in total (0: unpaced)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config_path = os.path.join(folder, "farm.json")
        subprocess.run([sys.executable, os.path.join(HERE, "farm.py"), "--generate", str(arguments.portals),
                        "--seed", "3", "--faults", "expired_token=0.05", "--out", config_path], check=True)
        with open(config_path) as handle:
            portals = json.load(handle)["portals"]
        farm = subprocess.Popen([sys.executable, os.path.join(HERE, "farm.py"), "--config", config_path],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            port = int(farm.stdout.readline().split()[1])
            cpu_before = cpu_seconds(farm.pid)
            latencies, statuses, elapsed = asyncio.run(drive(port, portals, arguments))
            cpu = cpu_seconds(farm.pid) - cpu_before
        finally:
            farm.stdin.close()
            farm.wait(timeout=10)
    latencies.sort()
    count = len(latencies)

    def percentile(p):
        return latencies[min(count - 1, int(p * count))] * 1000 if count else 0.0
    print("portals %d, connections %d, %.1f s: %d requests = %.0f requests/s; statuses %s"
          % (arguments.portals, arguments.connections, elapsed, count, count / elapsed, statuses))
    print("latency ms: p50 %.2f  p99 %.2f  max %.2f; farm CPU %.0f %% of one core"
          % (percentile(0.5), percentile(0.99), percentile(1.0) if count else 0, 100 * cpu / elapsed))


if __name__ == "__main__":
    main()
