"""The app's installations table, in SQLite (the sqlite3 module) or PostgreSQL (the `psql` tool:
the standard library has no PostgreSQL driver).

`open_table(sqlite=PATH | psql=URL, table=NAME)` gives an object with the operations the farm's
helpers need: `fill` (farm.py), `read` / `compare_and_swap` / `active_members` (refresher.py) and
`rows` (farm_check.py). Values never go into SQL text: SQLite binds `?` parameters, psql gets
them as variables (`-v name=value`, used as `:'name'`, quoted by psql) with the script on stdin
(psql does not interpolate variables in `-c` commands).
"""

import json
import re
import shutil
import sqlite3
import subprocess
import time

COLUMNS = ("member_id TEXT PRIMARY KEY, domain TEXT, client_endpoint TEXT NOT NULL, access_token TEXT, "
           "refresh_token TEXT, expires_at BIGINT, active INTEGER NOT NULL DEFAULT 1")
FILL_COLUMNS = ("member_id", "domain", "client_endpoint", "access_token", "refresh_token", "expires_at")
_UPSERT_SET = ("domain = excluded.domain, client_endpoint = excluded.client_endpoint, "
               "access_token = excluded.access_token, refresh_token = excluded.refresh_token, "
               "expires_at = excluded.expires_at, active = 1")


class Row:
    """One installation as the token helpers see it."""
    __slots__ = ("member_id", "access_token", "refresh_token", "expires_at", "active")

    def __init__(self, member_id, access_token, refresh_token, expires_at, active):
        self.member_id = member_id
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.expires_at = expires_at
        self.active = active


def checked_table(name, qualified=False):
    """The table name, which is written into SQL: an identifier (`schema.table` for PostgreSQL)."""
    pattern = r"[A-Za-z_][A-Za-z0-9_]*" + (r"(\.[A-Za-z_][A-Za-z0-9_]*)?" if qualified else "")
    if not re.fullmatch(pattern, name or ""):
        raise ValueError("bad table name %r" % name)
    return name


def open_table(sqlite=None, psql=None, table="portals"):
    if (sqlite is None) == (psql is None):
        raise ValueError("give exactly one of sqlite or psql")
    return SqliteTable(sqlite, table) if sqlite is not None else PsqlTable(psql, table)


def fill_rows(farm):
    """(member_id, domain, client_endpoint, access_token, refresh_token, expires_at) of every portal,
    with its ORIGINAL endpoint (a renamed portal's old name)."""
    return [(p.member_id, "%s.bitrix24.test" % p.name, farm.endpoint(p.name), p.access_token,
             p.refresh_token, p.expires_at) for p in farm.portals.values()]


class SqliteTable:
    """Autocommit: every statement is its own short transaction (WAL-friendly); waits up to 30 s
    for a lock."""

    def __init__(self, path, table="portals"):
        self.path = path
        self.table = checked_table(table)
        self.connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)

    def close(self):
        self.connection.close()

    def fill(self, rows):
        """Creates the table if missing and upserts the rows in one transaction (the farm's state wins)."""
        self.connection.execute("CREATE TABLE IF NOT EXISTS %s (%s)" % (self.table, COLUMNS))
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            self.connection.executemany(
                "INSERT INTO %s (%s, active) VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT(member_id) DO UPDATE SET %s"
                % (self.table, ", ".join(FILL_COLUMNS), _UPSERT_SET), rows)
            self.connection.execute("COMMIT")
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise

    def read(self, member_id):
        found = self.connection.execute(
            "SELECT member_id, access_token, refresh_token, expires_at, active FROM %s WHERE member_id = ?"
            % self.table, (member_id,)).fetchone()
        return Row(*found) if found else None

    def compare_and_swap(self, member_id, used_refresh_token, access_token, refresh_token, expires_at):
        """Stores new tokens only if the row still holds the refresh token that was used; True if it did."""
        cursor = self.connection.execute(
            "UPDATE %s SET access_token = ?, refresh_token = ?, expires_at = ? WHERE member_id = ? AND "
            "refresh_token = ?" % self.table,
            (access_token, refresh_token, expires_at, member_id, used_refresh_token))
        return cursor.rowcount == 1

    def active_members(self):
        return [r[0] for r in self.connection.execute(
            "SELECT member_id FROM %s WHERE active = 1 ORDER BY member_id" % self.table)]

    def rows(self):
        return [Row(*r) for r in self.connection.execute(
            "SELECT member_id, access_token, refresh_token, expires_at, active FROM %s ORDER BY member_id"
            % self.table)]


class PsqlError(Exception):
    pass


class PsqlTable:
    """Each operation is one `psql -X -q -At -v ON_ERROR_STOP=1` run (one short transaction)."""

    def __init__(self, url, table="portals"):
        if shutil.which("psql") is None:
            raise ValueError("the psql tool is not installed")
        self.url = url
        self.table = checked_table(table, qualified=True)

    def close(self):
        pass

    def run(self, script, variables=None, timeout=120):
        """Runs a script (stdin) with psql variables; returns stdout. Raises PsqlError on failure."""
        command = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.url]
        for name, value in (variables or {}).items():
            command += ["-v", "%s=%s" % (name, "" if value is None else value)]
        command += ["-f", "-"]
        try:
            result = subprocess.run(command, input=script.encode("utf-8"), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PsqlError("psql: no answer within %d s" % timeout)
        if result.returncode != 0:
            raise PsqlError("psql: %s" % result.stderr.decode("utf-8", "replace").strip())
        return result.stdout.decode("utf-8")

    def fill(self, rows):
        """One psql run: CREATE TABLE IF NOT EXISTS, COPY into a temporary table, one upsert."""
        lines = ["\\set ON_ERROR_STOP 1", "BEGIN;",
                 "CREATE TABLE IF NOT EXISTS %s (%s);" % (self.table, COLUMNS),
                 "CREATE TEMPORARY TABLE farm_fill (member_id TEXT, domain TEXT, client_endpoint TEXT, "
                 "access_token TEXT, refresh_token TEXT, expires_at BIGINT) ON COMMIT DROP;",
                 "COPY farm_fill (%s) FROM STDIN;" % ", ".join(FILL_COLUMNS)]
        lines.extend("\t".join(_copy_value(v) for v in row) for row in rows)
        lines += ["\\.",
                  "INSERT INTO %s (%s, active) SELECT %s, 1 FROM farm_fill ON CONFLICT (member_id) DO UPDATE SET %s;"
                  % (self.table, ", ".join(FILL_COLUMNS), ", ".join(FILL_COLUMNS), _UPSERT_SET),
                  "COMMIT;", ""]
        self.run("\n".join(lines))

    _ROW_JSON = ("json_build_object('member_id', member_id, 'access_token', access_token, 'refresh_token', "
                 "refresh_token, 'expires_at', expires_at, 'active', active)")

    def read(self, member_id):
        output = self.run("SELECT %s FROM %s WHERE member_id = :'member_id';\n" % (self._ROW_JSON, self.table),
                          {"member_id": member_id}).strip()
        return _row(json.loads(output)) if output else None

    def compare_and_swap(self, member_id, used_refresh_token, access_token, refresh_token, expires_at):
        output = self.run(
            "WITH changed AS (UPDATE %s SET access_token = :'access_token', refresh_token = :'refresh_token', "
            "expires_at = CAST(:'expires_at' AS BIGINT) WHERE member_id = :'member_id' AND refresh_token = :'used' "
            "RETURNING 1) SELECT count(*) FROM changed;\n" % self.table,
            {"access_token": access_token, "refresh_token": refresh_token, "expires_at": int(expires_at),
             "member_id": member_id, "used": used_refresh_token})
        return output.strip() == "1"

    def active_members(self):
        output = self.run("SELECT member_id FROM %s WHERE active = 1 ORDER BY member_id;\n" % self.table)
        return [line for line in output.split("\n") if line]

    def rows(self):
        output = self.run("SELECT coalesce(json_agg(%s ORDER BY member_id), '[]') FROM %s;\n"
                          % (self._ROW_JSON, self.table))
        return [_row(item) for item in json.loads(output)]


def _row(item):
    return Row(item["member_id"], item["access_token"], item["refresh_token"], item["expires_at"], item["active"])


def _copy_value(value):
    """A value in COPY's text format: `\\N` for NULL; backslash, tab, newline, CR escaped."""
    if value is None:
        return "\\N"
    text = str(value)
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))


def retry(operation, attempts=20, delay=0.25):
    """Runs `operation()` until it does not raise a database error (a token write must be stored)."""
    for attempt in range(attempts):
        try:
            return operation()
        except (sqlite3.Error, PsqlError):
            if attempt == attempts - 1:
                raise
            time.sleep(delay)
