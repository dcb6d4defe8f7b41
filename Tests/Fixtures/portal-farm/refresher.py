#!/usr/bin/env python3
"""Plays the live app's own token-refresh code against the farm, concurrently with b24plan, following
the token protocol both must share (DESIGN §7 "Token protocol"):

  1. read the row (member_id, refresh_token);
  2. GET <farm>/oauth/token/?grant_type=refresh_token&client_id&client_secret&refresh_token;
  3. on success: UPDATE <table> SET access_token, refresh_token, expires_at WHERE member_id = ? AND
     refresh_token = <the one used> (compare-and-swap, its own short transaction); 0 rows changed
     means someone else refreshed first: re-read and carry on;
  4. on invalid_grant: re-read the row for up to 5 s (another refresher may not have written yet);
     a different refresh token there is a recovery, the same one after 5 s a lost portal.

    python3 refresher.py --farm http://127.0.0.1:PORT --config farm.json --sqlite state.db \\
        --duration 10 --interval 0.05 [--members m00001,m00002] [--until-stdin-eof]

Prints ONE JSON line on stdout at the end:
{"refreshes": N, "cas_lost": N, "invalid_grant_recovered": N, "lost": [...], "errors": N}
Exit status 0 at the end of the duration or on stdin EOF (--until-stdin-eof), SIGTERM, SIGINT;
1 when it cannot start (no table, no credentials). Python 3.11 standard library only (PostgreSQL
through the `psql` tool).
"""

import argparse
import json
import os
import random
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import farm_db  # noqa: E402

GONE_ERRORS = {"invalid_client", "NOT_FOUND"}  # the portal is uninstalled or deleted: stop refreshing it


class Refresher:
    def __init__(self, farm_url, client_id, client_secret, table, members=None, seed=1, interval=0.1,
                 grant_wait=5.0, timeout=30.0, stop=None):
        self.farm_url = farm_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.table = table
        self.members = list(members) if members else None
        self.rng = random.Random(seed)
        self.interval = interval
        self.grant_wait = grant_wait
        self.timeout = timeout
        self.stop = stop or threading.Event()
        self.refreshes = 0
        self.cas_lost = 0
        self.invalid_grant_recovered = 0
        self.errors = 0
        self.lost = []
        self.dropped = set()  # inactive, gone from the table, uninstalled or deleted

    def summary(self):
        return {"refreshes": self.refreshes, "cas_lost": self.cas_lost,
                "invalid_grant_recovered": self.invalid_grant_recovered, "lost": list(self.lost),
                "errors": self.errors}

    def run(self, deadline=None):
        """Refreshes a randomly chosen member, sleeps `interval`, until `stop` is set or the deadline."""
        members = self.members if self.members is not None else farm_db.retry(self.table.active_members)
        while not self.stop.is_set() and (deadline is None or time.monotonic() < deadline):
            candidates = [m for m in members if m not in self.dropped and m not in self.lost]
            if not candidates:
                self.stop.wait(max(self.interval, 0.05))
                continue
            self.refresh(self.rng.choice(candidates))
            if self.interval > 0:
                self.stop.wait(self.interval)

    def refresh(self, member_id):
        """One refresh of one portal by the protocol. Returns what happened (for tests)."""
        row = farm_db.retry(lambda: self.table.read(member_id))
        if row is None or not row.active or not row.refresh_token:
            self.dropped.add(member_id)
            return "skipped"
        used = row.refresh_token
        status, answer = self.oauth(used)
        if status == 200 and isinstance(answer, dict) and answer.get("refresh_token"):
            self.refreshes += 1
            try:
                stored = farm_db.retry(lambda: self.table.compare_and_swap(
                    member_id, used, answer.get("access_token"), answer["refresh_token"],
                    int(answer.get("expires") or 0)))
            except (farm_db.sqlite3.Error, farm_db.PsqlError) as error:
                # The new token exists only here: the portal is lost (the run reports it).
                print("refresher: %s: token not stored: %s" % (member_id, error), file=sys.stderr)
                self.lost.append(member_id)
                return "lost"
            if stored:
                return "refreshed"
            self.cas_lost += 1  # someone else changed the row first: use what is stored from now on
            return "cas_lost"
        code = answer.get("error") if isinstance(answer, dict) else None
        if code == "invalid_grant":
            return self._await_newer(member_id, used)
        self.errors += 1
        if code in GONE_ERRORS or status == 404:
            self.dropped.add(member_id)
        print("refresher: %s: token endpoint answered %s %s" % (member_id, status, code or ""), file=sys.stderr)
        return "error"

    def _await_newer(self, member_id, used):
        """invalid_grant: another refresher used this token; its write may still be on its way."""
        deadline = time.monotonic() + self.grant_wait
        while True:
            row = farm_db.retry(lambda: self.table.read(member_id))
            if row is None:
                self.dropped.add(member_id)
                return "skipped"
            if row.refresh_token != used:
                self.invalid_grant_recovered += 1
                return "recovered"
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)  # not cut short by stop: the verdict needs the whole wait
        self.lost.append(member_id)
        print("refresher: %s: invalid_grant and no newer token within %.1f s" % (member_id, self.grant_wait),
              file=sys.stderr)
        return "lost"

    def oauth(self, refresh_token):
        """(status, decoded JSON or None) of the farm's token endpoint; (0, None) when unreachable."""
        query = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": self.client_id,
                                        "client_secret": self.client_secret, "refresh_token": refresh_token})
        try:
            with urllib.request.urlopen(self.farm_url + "/oauth/token/?" + query, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (urllib.error.URLError, OSError):
            return 0, None
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, None


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Concurrent token refresher (see README.md)")
    parser.add_argument("--farm", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--config", help="farm config JSON: client_id and client_secret")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    store = parser.add_mutually_exclusive_group(required=True)
    store.add_argument("--sqlite", metavar="PATH")
    store.add_argument("--psql", metavar="URL", help="postgres://… (through the psql tool)")
    parser.add_argument("--table", default="portals")
    parser.add_argument("--duration", type=float, metavar="SECONDS")
    parser.add_argument("--interval", type=float, default=0.1, metavar="SECONDS", help="sleep between refreshes")
    parser.add_argument("--members", default="", help="m00001,m00002 (default: every row with active = 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--until-stdin-eof", action="store_true", help="also stop when stdin reaches EOF")
    parser.add_argument("--invalid-grant-wait", type=float, default=5.0, metavar="SECONDS",
                        help="how long to wait for a newer token after invalid_grant")
    arguments = parser.parse_args(argv)
    if arguments.duration is None and not arguments.until_stdin_eof:
        parser.error("give --duration, --until-stdin-eof or both")
    if arguments.config:
        with open(arguments.config, encoding="utf-8") as handle:
            config = json.load(handle)
        arguments.client_id = arguments.client_id or config.get("client_id")
        arguments.client_secret = arguments.client_secret or config.get("client_secret")
    if not arguments.client_id or not arguments.client_secret:
        parser.error("give --client-id and --client-secret, or --config")
    return arguments


def watch_stdin(stop):
    def run():
        try:
            while os.read(0, 65536):
                pass
        except OSError:
            pass
        stop.set()
    threading.Thread(target=run, name="stdin-watch", daemon=True).start()


def main(argv=None):
    # Foundation's Process spawns children with signals blocked; SIGTERM must still stop us.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        table = farm_db.open_table(sqlite=arguments.sqlite, psql=arguments.psql, table=arguments.table)
    except (ValueError, farm_db.sqlite3.Error) as error:
        print("refresher: %s" % error, file=sys.stderr)
        return 1
    members = [m for m in arguments.members.split(",") if m] or None
    refresher = Refresher(arguments.farm, arguments.client_id, arguments.client_secret, table, members=members,
                          seed=arguments.seed, interval=arguments.interval, grant_wait=arguments.invalid_grant_wait,
                          stop=stop)
    if arguments.until_stdin_eof:
        watch_stdin(stop)
    deadline = time.monotonic() + arguments.duration if arguments.duration is not None else None
    try:
        refresher.run(deadline)
    except (farm_db.sqlite3.Error, farm_db.PsqlError) as error:
        print("refresher: %s" % error, file=sys.stderr)
        print(json.dumps(refresher.summary()))
        return 1
    finally:
        table.close()
    print(json.dumps(refresher.summary()))
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # never wait for the stdin thread
