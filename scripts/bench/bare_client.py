#!/usr/bin/env python3
"""A bare reconcile client for the rollout benchmark: Python 3 standard library only, asyncio
streams, raw HTTP/1.1 with keep-alive, PARALLEL workers each on its own connection.

It does per portal what `b24plan apply` does in the common case (DESIGN §7), with the same bytes:
  1. POST <endpoint>batch  {"auth": TOKEN, "cmd": {"app_info": "app.info", "events": "event.get",
     "method_0": "method.get?name=…", "placements": "placement.get", "scope": "scope"}, "halt": 0}
  2. the portal's own diff against the plan: unbind what is bound but not wanted (placements, then
     events, each sorted), bind what is wanted and missing (plan order), keys w0000, w0001, …;
  3. POST <endpoint>batch  {"auth": TOKEN, "cmd": {"w0000": "placement.unbind?HANDLER=…&PLACEMENT=…",
     …}, "halt": 0}  (one batch: the benchmark's plan has far fewer than 50 commands).
Bodies are JSON with sorted keys and ", " / ": " separators and batch commands are PHP query
strings with sorted parameter names and RFC 3986 percent-encoding, exactly as b24plan writes them.
Endpoints and access tokens come from the installations table the farm filled (`portals` in the
SQLite file). No pacing, no retries, no token refresh, no journal: a fault-free farm needs none,
and any failure is counted and makes the exit status 1.

Handles what the benchmark plan holds: placements (PLACEMENT, HANDLER, TITLE, DESCRIPTION) and
events (event, handler, auth_type, event_type). No LANG_ALL, OPTIONS or Sites placements.

Usage: bare_client.py --db STATE.db --plan PLAN.json [--parallel 128] [--dump-requests FILE]
Prints one JSON line: {"portals", "requests", "writes", "failed", "seconds"}.
"""
import argparse
import asyncio
import json
import sqlite3
import sys
import time
import urllib.parse


def php_query(parameters):
    """`a=1&b=2`, names sorted, values percent-encoded but for A-Z a-z 0-9 - . _ ~ (as PHPQuery)."""
    return "&".join(f"{urllib.parse.quote(name, safe='')}={urllib.parse.quote(str(parameters[name]), safe='')}"
                    for name in sorted(parameters))


def command(method, parameters=None):
    return method + ("?" + php_query(parameters) if parameters else "")


class Plan:
    def __init__(self, path):
        with open(path, encoding="utf-8") as handle:
            plan = json.load(handle)
        self.methods = plan.get("requiredMethods", [])[:45]
        self.placements = plan.get("placements", [])
        self.events = plan.get("events", [])
        read = {"app_info": "app.info", "scope": "scope", "placements": "placement.get", "events": "event.get"}
        for index, method in enumerate(self.methods):
            read[f"method_{index}"] = command("method.get", {"name": method})
        self.read_commands = read

    def write_commands(self, result):
        """The write batch's commands for one portal, from the read batch's `result.result`."""
        stored_placements = {(item.get("placement", "").upper(), item.get("handler", "")): item
                             for item in _list(result.get("placements"))}
        stored_events = [(item.get("event", "").upper(), item.get("handler", ""), str(item.get("auth_type", "0")),
                          bool(item.get("offline"))) for item in _list(result.get("events"))]
        unbinds, binds = [], []
        wanted = set()
        for placement in self.placements:
            key = (placement["placement"].upper(), placement["handler"])
            wanted.add(key)
            present = stored_placements.get(key)
            if present is not None and (present.get("title") or "") == (placement.get("title") or ""):
                continue
            if present is not None:
                unbinds.append(("placement.unbind", {"PLACEMENT": key[0], "HANDLER": key[1]}))
            parameters = {"PLACEMENT": key[0], "HANDLER": placement["handler"]}
            for name, field in (("TITLE", "title"), ("DESCRIPTION", "description")):
                if placement.get(field) is not None:
                    parameters[name] = placement[field]
            binds.append(("placement.bind", parameters))
        for key in sorted(k for k in stored_placements if k not in wanted):
            unbinds.append(("placement.unbind", {"PLACEMENT": key[0], "HANDLER": key[1]}))
        unclaimed = list(stored_events)
        for event in self.events:
            auth_type = str(event.get("authType", 0))
            offline = event.get("eventType", "online") == "offline"
            key = (event["event"].upper(), event["handler"], auth_type, offline)
            if key in unclaimed:
                unclaimed.remove(key)
                continue
            binds.append(("event.bind", {"event": key[0], "handler": key[1], "auth_type": auth_type,
                                         "event_type": event.get("eventType", "online")}))
        for code, handler, auth_type, offline in sorted(unclaimed):
            unbinds.append(("event.unbind", {"event": code, "handler": handler, "auth_type": auth_type,
                                             "event_type": "offline" if offline else "online"}))
        # b24plan: placement unbinds, then event unbinds, then binds in plan order.
        ordered = [c for c in unbinds if c[0] == "placement.unbind"] + [c for c in unbinds if c[0] == "event.unbind"]
        ordered += [c for c in binds if c[0] == "placement.bind"] + [c for c in binds if c[0] == "event.bind"]
        return {f"w{index:04d}": command(method, parameters) for index, (method, parameters) in enumerate(ordered)}


def _list(value):
    """A PHP array as the farm writes it: a JSON list, or a map with keys 0..n-1 (or [] when empty)."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return []


def body(token, commands):
    return json.dumps({"auth": token, "cmd": commands, "halt": 0}, sort_keys=True).encode()


class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def post(self, path, payload):
        """One POST with keep-alive; returns (status, body). Reconnects when the server closed."""
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUser-Agent: bench-bare-client\r\n"
                    f"Accept: application/json\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n").encode()
            try:
                self.writer.write(head + payload)
                header = await self.reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
                continue
            status = int(header[9:12])
            length, close = 0, False
            for line in header.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            data = await self.reader.readexactly(length) if length else b""
            if close:
                self.close()
            return status, data
        raise ConnectionError("unreachable")

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Counters:
    def __init__(self):
        self.requests = self.writes = self.failed = 0
        self.errors = []


async def reconcile(connection, plan, path, token, counters, dump):
    payload = body(token, plan.read_commands)
    counters.requests += 1
    if dump is not None:
        dump.append((path, payload))
    status, data = await connection.post(path, payload)
    if status != 200:
        raise RuntimeError(f"read batch: HTTP {status} {data[:200]!r}")
    answer = json.loads(data)["result"]
    if answer.get("result_error"):
        raise RuntimeError(f"read batch errors: {answer['result_error']}")
    commands = plan.write_commands(answer["result"])
    if not commands:
        return
    payload = body(token, commands)
    counters.requests += 1
    if dump is not None:
        dump.append((path, payload))
    status, data = await connection.post(path, payload)
    if status != 200:
        raise RuntimeError(f"write batch: HTTP {status} {data[:200]!r}")
    errors = json.loads(data)["result"].get("result_error")
    # "Handler already binded" counts as done, as in b24plan.
    real = {key: error for key, error in (errors.items() if isinstance(errors, dict) else enumerate(errors or []))
            if "already binded" not in str(error.get("error_description", ""))}
    if real:
        raise RuntimeError(f"write batch errors: {real}")
    counters.writes += len(commands)


async def worker(portals, plan, counters, dump):
    connection = None
    for endpoint, token in portals:
        url = urllib.parse.urlsplit(endpoint)
        if connection is None or (connection.host, connection.port) != (url.hostname, url.port):
            if connection is not None:
                connection.close()
            connection = Connection(url.hostname, url.port or 80)
        try:
            await reconcile(connection, plan, url.path + "batch", token, counters, dump)
        except (RuntimeError, ValueError, KeyError, ConnectionError, asyncio.IncompleteReadError) as error:
            counters.failed += 1
            if len(counters.errors) < 5:
                counters.errors.append(f"{endpoint}: {error}")
    if connection is not None:
        connection.close()


async def run(rows, plan, parallel, dump):
    counters = Counters()
    portals = iter(rows)  # shared by the workers: each takes the next portal when it is free
    await asyncio.gather(*(worker(portals, plan, counters, dump) for _ in range(parallel)))
    return counters


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="SQLite file with the farm's installations table")
    parser.add_argument("--table", default="portals")
    parser.add_argument("--plan", required=True, help="the release plan to reconcile to")
    parser.add_argument("--parallel", type=int, default=128)
    parser.add_argument("--dump-requests", help="write every request as a JSON line {path, body} (for a check)")
    arguments = parser.parse_args()
    started = time.perf_counter()
    connection = sqlite3.connect(arguments.db)
    rows = connection.execute(
        f"SELECT client_endpoint, access_token FROM {arguments.table} WHERE active = 1 ORDER BY member_id").fetchall()
    connection.close()
    plan = Plan(arguments.plan)
    dump = [] if arguments.dump_requests else None
    counters = asyncio.run(run(rows, plan, arguments.parallel, dump))
    if dump is not None:
        with open(arguments.dump_requests, "w", encoding="utf-8") as handle:
            for path, payload in dump:
                handle.write(json.dumps({"path": path, "body": payload.decode()}) + "\n")
    print(json.dumps({"portals": len(rows), "requests": counters.requests, "writes": counters.writes,
                      "failed": counters.failed, "seconds": round(time.perf_counter() - started, 3)}))
    for line in counters.errors:
        print(line, file=sys.stderr)
    return 1 if counters.failed else 0


if __name__ == "__main__":
    sys.exit(main())
