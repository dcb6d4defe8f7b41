"""Tests of the fake portal farm through real HTTP.

    cd /work/main && python3 -m unittest discover -s Tests/Fixtures/portal-farm
"""

import asyncio
import contextlib
import http.client
import io
import json
import math
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import unittest.mock
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FARM = os.path.join(HERE, "farm.py")
REFRESHER = os.path.join(HERE, "refresher.py")
CHECK = os.path.join(HERE, "farm_check.py")
POSTGRES_URL = os.environ.get("B24PLAN_TEST_POSTGRES_URL")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

import farm_check  # noqa: E402
import farm_db  # noqa: E402
import refresher  # noqa: E402

# member_id -> what the portal is used for / how the test config changes it
SETUP = {
    "m00005": {"license": "ru_ent10000"},
    "m00007": {"faults": ["expired_token"]},
    "m00008": {"faults": ["dead_refresh"]},
    "m00009": {"faults": ["deleted"]},
    "m00010": {"faults": ["uninstalled"]},
    "m00011": {"faults": ["renamed"], "new_name": "portal-00011-new"},
    "m00012": {"faults": ["not_installed"]},
    "m00013": {"faults": ["missing_scope"]},
    "m00014": {"faults": ["flaky_5xx"], "flaky_rate": 1.0, "flaky_applied_share": 1.0, "flaky_max_consecutive": 1},
    "m00015": {"faults": ["slow"]},
    "m00016": {"faults": ["rate_limited"]},
    "m00017": {"faults": ["operation_limit"]},
    "m00021": {"language": "ru"},
    "m00023": {"faults": ["operation_limit"]},
    "m00024": {"unknown_methods": ["crm.item.list"]},
    "m00026": {"faults": ["flaky_5xx"], "flaky_rate": 1.0, "flaky_applied_share": 0.0, "flaky_max_consecutive": 1},
    "m00027": {"crm_dynamic_types": [128]},
    "m00033": {"faults": ["redirect_foreign"]},
    "m00034": {"faults": ["redirect_insecure"]},
    "m00035": {"faults": ["redirect_foreign"]},
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def start_farm(config_path, *extra, preexec_fn=None):
    """Starts farm.py and returns (process, port) once it printed its PORT line."""
    process = subprocess.Popen([sys.executable, "-B", FARM, "--config", config_path, *extra],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               preexec_fn=preexec_fn)
    ready, _, _ = select.select([process.stdout], [], [], 20)
    if not ready:
        process.kill()
        raise RuntimeError("farm printed no PORT line")
    line = process.stdout.readline().decode()
    if not line.startswith("PORT "):
        process.kill()
        raise RuntimeError("unexpected first line %r" % line)
    return process, int(line.split()[1])


def stop_farm(process):
    """Closes the farm's stdin (it exits on EOF), with SIGKILL after a deadline."""
    if not process.stdin.closed:
        process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()


class FarmTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.config_path = os.path.join(cls.folder.name, "farm.json")
        subprocess.run([sys.executable, "-B", FARM, "--generate", "50", "--seed", "11", "--enterprise", "0",
                        "--unknown-methods", "tasks.task.futuremethod", "--out", cls.config_path], check=True)
        with open(cls.config_path) as handle:
            config = json.load(handle)
        for portal in config["portals"]:
            portal.update(SETUP.get(portal["member_id"], {}))
        with open(cls.config_path, "w") as handle:
            json.dump(config, handle)
        cls.config = config
        cls.portals = {p["member_id"]: p for p in config["portals"]}
        cls.sqlite_path = os.path.join(cls.folder.name, "installations.db")
        cls.process, cls.port = start_farm(cls.config_path, "--sqlite", cls.sqlite_path)
        cls.base = "http://127.0.0.1:%d" % cls.port

    @classmethod
    def tearDownClass(cls):
        stop_farm(cls.process)
        cls.folder.cleanup()

    # --- helpers ---------------------------------------------------------------------------------
    def url(self, member_id, method, name=None):
        return "%s/p/%s/rest/%s" % (self.base, name or self.portals[member_id]["name"], method)

    def token(self, member_id):
        return self.portals[member_id]["access_token"]

    def http(self, url, body=None, content_type=None, headers=None, method=None):
        """(status, headers, raw body) without following redirects."""
        request = urllib.request.Request(url, data=body, method=method or ("POST" if body is not None else "GET"))
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with OPENER.open(request, timeout=15) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def rest(self, member_id, method, params=None, form=False, token=True, name=None):
        """Calls a REST method; returns (status, decoded JSON or raw bytes)."""
        params = dict(params or {})
        if token:
            params["auth"] = self.token(member_id) if token is True else token
        if form:
            body, content_type = self.form(params).encode(), "application/x-www-form-urlencoded"
        else:
            body, content_type = json.dumps(params).encode(), "application/json"
        status, _, raw = self.http(self.url(member_id, method, name), body, content_type)
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw

    @staticmethod
    def form(params, prefix=None):
        pairs = []
        for key, value in params.items():
            name = "%s[%s]" % (prefix, key) if prefix else key
            if isinstance(value, dict):
                pairs.append(FarmTestCase.form(value, name))
            else:
                pairs.append(urllib.parse.urlencode({name: value}))
        return "&".join(p for p in pairs if p)

    def control(self, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        status, _, raw = self.http(self.base + "/_farm/" + path, data, "application/json" if data else None)
        self.assertEqual(status, 200, raw)
        return json.loads(raw)

    def oauth(self, refresh_token, client_id=None, client_secret=None, post=False):
        params = {"grant_type": "refresh_token", "client_id": client_id or self.config["client_id"],
                  "client_secret": client_secret or self.config["client_secret"], "refresh_token": refresh_token}
        if post:
            status, _, raw = self.http(self.base + "/oauth/token/", urllib.parse.urlencode(params).encode(),
                                       "application/x-www-form-urlencoded")
        else:
            status, _, raw = self.http(self.base + "/oauth/token/?" + urllib.parse.urlencode(params))
        return status, json.loads(raw)

    def assertError(self, answer, status, code, description=None):
        self.assertEqual(answer[0], status, answer)
        self.assertIsInstance(answer[1], dict, answer)
        self.assertEqual(answer[1].get("error"), code, answer)
        if description is not None:
            self.assertEqual(answer[1].get("error_description"), description)

    def keep_alive_calls(self, member_id, count, method="app.info", body=None):
        """`count` quick requests over one keep-alive connection; returns the statuses."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        payload = json.dumps(body or {"auth": self.token(member_id)})
        statuses = []
        try:
            for _ in range(count):
                connection.request("POST", "/p/%s/rest/%s" % (self.portals[member_id]["name"], method), payload,
                                   {"Content-Type": "application/json"})
                response = connection.getresponse()
                raw = response.read()
                statuses.append(response.status)
                if response.status == 503:
                    self.assertEqual(json.loads(raw), {"error": "QUERY_LIMIT_EXCEEDED",
                                                       "error_description": "Too many requests"})
        finally:
            connection.close()
        return statuses


class BasicsTests(FarmTestCase):
    def test_app_info_and_time_block(self):
        status, answer = self.rest("m00001", "app.info")
        self.assertEqual(status, 200)
        info = answer["result"]
        for key in ("ID", "CODE", "VERSION", "STATUS", "INSTALLED", "PAYMENT_EXPIRED", "DAYS", "LANGUAGE_ID",
                    "LICENSE", "LICENSE_TYPE", "LICENSE_FAMILY"):
            self.assertIn(key, info)
        self.assertEqual((info["CODE"], info["INSTALLED"], info["LICENSE_FAMILY"]), ("acme.dealsync", True, "project"))
        self.assertEqual(set(answer["time"]), {"start", "finish", "duration", "processing", "date_start",
                                               "date_finish", "operating", "operating_reset_at"})
        self.assertEqual(self.rest("m00005", "app.info")[1]["result"]["LICENSE_FAMILY"], "ent")
        self.assertIs(self.rest("m00012", "app.info")[1]["result"]["INSTALLED"], False)

    def test_scope_and_missing_scope(self):
        self.assertEqual(self.rest("m00001", "scope")[1]["result"], ["crm", "placement", "task"])
        self.assertEqual(self.rest("m00013", "scope")[1]["result"], ["crm", "placement"])

    def test_auth_forms_and_errors(self):
        url = self.url("m00001", "scope.json")
        status, _, raw = self.http(url, b"", "application/json", {"Authorization": "Bearer " + self.token("m00001")})
        self.assertEqual(status, 200, raw)
        status, _, raw = self.http(url + "?auth=" + self.token("m00001"), b"")
        self.assertEqual(status, 200, raw)
        self.assertError(self.rest("m00001", "scope", token=False), 401, "NO_AUTH_FOUND")
        self.assertError(self.rest("m00001", "scope", token="nope"), 401, "invalid_token")
        self.assertError(self.rest("m00001", "scope", token=self.token("m00002")), 401, "invalid_token")
        self.assertError(self.rest("m00001", "crm.nothing.here"), 404, "ERROR_METHOD_NOT_FOUND")

    def test_php_style_json_output(self):
        status, _, raw = self.http(self.url("m00001", "placement.get"),
                                   json.dumps({"auth": self.token("m00001")}).encode(), "application/json")
        self.assertEqual(status, 200)
        self.assertIn(b"https:\\/\\/app.acme.example", raw)

    def test_deleted_and_uninstalled(self):
        self.assertError(self.rest("m00009", "app.info"), 500, "PORTAL_DELETED")
        self.assertError(self.rest("m00010", "app.info"), 401, "APPLICATION_NOT_FOUND")

    def test_slow(self):
        started = time.monotonic()
        self.assertEqual(self.rest("m00015", "scope")[0], 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.2)

    def test_method_get(self):
        def probe(member_id, name):
            return self.rest(member_id, "method.get", {"name": name})[1]["result"]
        self.assertEqual(probe("m00024", "crm.item.list"), {"isExisting": False, "isAvailable": False})
        self.assertEqual(probe("m00024", "crm.deal.get"), {"isExisting": True, "isAvailable": True})
        self.assertEqual(probe("m00013", "tasks.task.list"), {"isExisting": True, "isAvailable": False})
        self.assertEqual(probe("m00001", "tasks.task.futuremethod")["isExisting"], False)
        self.assertError(self.rest("m00001", "tasks.task.futuremethod"), 404, "ERROR_METHOD_NOT_FOUND")

    def test_app_options(self):
        notice = {"release_notice": {"version": "1.3.0", "missingScopes": ["task"]}}
        self.assertEqual(self.rest("m00028", "app.option.set", {"options": notice})[1]["result"], True)
        self.assertEqual(self.rest("m00028", "app.option.set", {"options": {"a": "1"}}, form=True)[1]["result"], True)
        self.assertEqual(self.rest("m00028", "app.option.get")[1]["result"],
                         {"release_notice": notice["release_notice"], "a": "1"})
        self.assertEqual(self.rest("m00028", "app.option.get", {"option": "a"})[1]["result"], "1")

    def test_expect_continue_and_many_connections(self):
        body = json.dumps({"auth": self.token("m00029")}).encode()

        async def one(expect):
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            head = "POST /p/portal-00029/rest/scope HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            head += "Content-Length: %d\r\n%s\r\n" % (len(body), "Expect: 100-continue\r\n" if expect else "")
            writer.write(head.encode())
            if expect:
                self.assertEqual(await reader.readuntil(b"\r\n\r\n"), b"HTTP/1.1 100 Continue\r\n\r\n")
            writer.write(body)
            status = (await reader.readuntil(b"\r\n\r\n")).split(b" ")[1]
            writer.close()
            return status

        async def many():
            first = await one(True)
            rest = await asyncio.gather(*(one(False) for _ in range(40)))
            return [first] + rest
        self.assertEqual(set(asyncio.run(many())), {b"200"})


class PlacementTests(FarmTestCase):
    def bind(self, member_id, params, form=True):
        return self.rest(member_id, "placement.bind", params, form=form)

    def placements(self, member_id):
        return self.rest(member_id, "placement.get")[1]["result"]

    def test_bind_get_duplicate_unbind(self):
        handler = "https://app.acme.example/list"
        self.assertEqual(self.bind("m00002", {"PLACEMENT": "CRM_DEAL_LIST_MENU", "HANDLER": handler, "TITLE": "T",
                                              "OPTIONS": {"foo": "1"}}), (200, self.bind_ok()))
        stored = [p for p in self.placements("m00002") if p["placement"] == "CRM_DEAL_LIST_MENU"][0]
        self.assertEqual(stored["options"], [])
        self.assertIsNone(stored["description"])
        self.assertEqual((stored["title"], stored["handler"], stored["userId"]), ("T", handler, 0))
        self.assertError(self.bind("m00002", {"PLACEMENT": "CRM_DEAL_LIST_MENU", "HANDLER": handler, "TITLE": "X"}),
                         400, "ERROR_CORE", "Unable to set placement handler: Handler already binded")
        unbind = {"PLACEMENT": "CRM_DEAL_LIST_MENU", "HANDLER": handler}
        self.assertEqual(self.rest("m00002", "placement.unbind", unbind)[1]["result"], {"count": 1})
        self.assertEqual(self.rest("m00002", "placement.unbind", unbind)[1]["result"], {"count": 0})
        self.assertEqual(self.rest("m00002", "placement.unbind", {"PLACEMENT": "NOPE"})[1]["result"], {"count": 0})
        for suffix in ("a", "b"):
            self.bind("m00002", {"PLACEMENT": "CRM_LEAD_DETAIL_TAB", "HANDLER": handler + suffix})
        self.assertEqual(self.rest("m00002", "placement.unbind", {"PLACEMENT": "CRM_LEAD_DETAIL_TAB", "HANDLER": ""})
                         [1]["result"], {"count": 2})

    @staticmethod
    def bind_ok():
        return {"result": True, "time": unittest.mock.ANY}

    def test_options_kept_and_required(self):
        self.bind("m00002", {"PLACEMENT": "CRM_REQUISITE_AUTOCOMPLETE", "HANDLER": "https://h/r",
                             "OPTIONS": {"countries": "1,14", "junk": "x"}})
        self.assertError(self.bind("m00030", {"PLACEMENT": "IM_SIDEBAR", "HANDLER": "https://h/i"}),
                         400, "ERROR_PLACEMENT_NOT_FOUND")
        self.control("portal/m00030/scopes", {"scopes": ["crm", "placement", "im"]})
        self.assertError(self.bind("m00030", {"PLACEMENT": "IM_SIDEBAR", "HANDLER": "https://h/i"}),
                         400, "ERROR_ARGUMENT")
        self.assertEqual(self.bind("m00030", {"PLACEMENT": "IM_SIDEBAR", "HANDLER": "https://h/i",
                                              "OPTIONS": {"iconName": "fa-x", "color": "red", "width": "9"}},
                                   form=False)[0], 200)
        stored = {p["placement"]: p for p in self.placements("m00002") + self.placements("m00030")}
        self.assertEqual(stored["CRM_REQUISITE_AUTOCOMPLETE"]["options"], {"countries": "1,14"})
        self.assertEqual(stored["IM_SIDEBAR"]["options"], {"iconName": "fa-x", "color": "red"})

    def test_one_handler_placements(self):
        self.assertEqual(self.bind("m00031", {"PLACEMENT": "REST_APP_URI", "HANDLER": "https://h/1"})[0], 200)
        self.assertError(self.bind("m00031", {"PLACEMENT": "REST_APP_URI", "HANDLER": "https://h/1"}),
                         400, "ERROR_PLACEMENT_MAX_COUNT")
        self.assertError(self.bind("m00031", {"PLACEMENT": "REST_APP_URI", "HANDLER": "https://h/2"}),
                         400, "ERROR_PLACEMENT_MAX_COUNT")

    def test_background_worker_needs_error_handler(self):
        status, answer = self.bind("m00031", {"PLACEMENT": "PAGE_BACKGROUND_WORKER", "HANDLER": "https://h/w"})
        self.assertEqual(status, 200)
        self.assertEqual(answer["error"], "EMPTY_ERROR_HANDLER_URL")
        self.assertNotIn("result", answer)
        self.assertEqual(self.bind("m00031", {"PLACEMENT": "PAGE_BACKGROUND_WORKER", "HANDLER": "https://h/w",
                                              "OPTIONS": {"errorHandlerUrl": "https://h/e"}})[0], 200)
        stored = [p for p in self.placements("m00031") if p["placement"] == "PAGE_BACKGROUND_WORKER"]
        self.assertEqual(stored[0]["options"], {"errorHandlerUrl": "https://h/e"})

    def test_scope_checks(self):
        self.assertError(self.bind("m00013", {"PLACEMENT": "TASK_VIEW_TAB", "HANDLER": "https://h/t"}),
                         400, "ERROR_PLACEMENT_NOT_FOUND")
        self.assertEqual(self.bind("m00001", {"PLACEMENT": "TASK_VIEW_TAB", "HANDLER": "https://h/t"})[0], 200)
        for code in ("CRM_NOPE", "CRM_ORDER_DETAIL_TOOLBAR", "CRM_DYNAMIC_128_DETAIL_TAB", "CALL_CARD"):
            self.assertError(self.bind("m00001", {"PLACEMENT": code, "HANDLER": "https://h/t"}),
                             400, "ERROR_PLACEMENT_NOT_FOUND")
        self.assertEqual(self.bind("m00027", {"PLACEMENT": "CRM_DYNAMIC_128_DETAIL_TAB", "HANDLER": "https://h"})[0],
                         200)
        self.control("portal/m00022/scopes", {"scopes": ["crm"]})
        self.assertError(self.rest("m00022", "placement.get"), 403, "insufficient_scope")

    def test_lang_all_title(self):
        lang_all = {"de": {"TITLE": "De"}, "ru": {"TITLE": "Ru", "DESCRIPTION": "Opisanie"}}
        for member_id in ("m00021", "m00032"):
            self.bind(member_id, {"PLACEMENT": "LEFT_MENU", "HANDLER": "https://h/l", "TITLE": "Plain",
                                  "LANG_ALL": lang_all})
        ru = [p for p in self.placements("m00021") if p["placement"] == "LEFT_MENU"][0]
        en = [p for p in self.placements("m00032") if p["placement"] == "LEFT_MENU"][0]
        self.assertEqual((ru["title"], ru["description"]), ("Ru", "Opisanie"))
        self.assertEqual((en["title"], en["description"]), ("De", None))
        self.assertEqual(en["langAll"]["ru"]["TITLE"], "Ru")

    def test_flaky_write_applied_before_error(self):
        params = {"PLACEMENT": "LEFT_MENU", "HANDLER": "https://h/flaky"}
        status, body = self.bind("m00014", params)
        self.assertIn(status, (500, 502, 503))
        self.assertIsInstance(body, bytes)  # HTML or empty, never JSON
        self.assertError(self.bind("m00014", params), 400, "ERROR_CORE")
        status, body = self.bind("m00026", params)
        self.assertIn(status, (500, 502, 503))
        self.assertEqual(self.bind("m00026", params)[0], 200)

    def test_operation_time_limit(self):
        status, headers, raw = self.http(self.url("m00017", "placement.bind"), json.dumps(
            {"auth": self.token("m00017"), "PLACEMENT": "LEFT_MENU", "HANDLER": "https://h/o"}).encode(),
            "application/json")
        answer = json.loads(raw)
        self.assertEqual((status, answer["error"]), (429, "OPERATION_TIME_LIMIT"))
        self.assertIsNone(headers.get("Retry-After"))
        reset_at = answer["time"]["operating_reset_at"]
        self.assertGreaterEqual(reset_at, time.time() + 0.5)
        batch = {"cmd": {"b": "placement.bind?PLACEMENT=LEFT_MENU&HANDLER=https%3A%2F%2Fh%2Fo"}, "halt": 0}
        self.assertError(self.rest("m00023", "batch", batch), 429, "OPERATION_TIME_LIMIT")
        self.assertError(self.rest("m00017", "placement.bind", {"PLACEMENT": "LEFT_MENU", "HANDLER": "https://h/o"}),
                         429, "OPERATION_TIME_LIMIT")
        time.sleep(max(0.0, math.ceil(time.time() + 1) - time.time()) + 0.05)
        self.assertEqual(self.rest("m00017", "placement.bind", {"PLACEMENT": "LEFT_MENU",
                                                                "HANDLER": "https://h/o"})[0], 200)
        self.assertEqual(self.rest("m00023", "batch", batch)[1]["result"]["result"], {"b": True})


class EventTests(FarmTestCase):
    def test_bind_get_duplicate_unbind(self):
        params = {"event": "onCrmDealAdd", "handler": "https://h/e", "auth_type": 0, "event_type": "online"}
        self.assertEqual(self.rest("m00003", "event.bind", params)[1]["result"], True)
        self.assertError(self.rest("m00003", "event.bind", params), 400, "ERROR_CORE",
                         "Unable to set event handler: Handler already binded")
        self.assertEqual(self.rest("m00003", "event.bind", dict(params, auth_type=1), form=True)[0], 200)
        events = [e for e in self.rest("m00003", "event.get")[1]["result"] if e["event"] == "ONCRMDEALADD"]
        self.assertEqual(events, [{"event": "ONCRMDEALADD", "handler": "https://h/e", "auth_type": "0", "offline": 0},
                                  {"event": "ONCRMDEALADD", "handler": "https://h/e", "auth_type": "1", "offline": 0}])
        self.assertEqual(self.rest("m00003", "event.unbind", {"event": "ONCRMDEALADD", "handler": "https://h/e"})
                         [1]["result"], {"count": 2})

    def test_event_scopes(self):
        self.assertError(self.rest("m00013", "event.bind", {"event": "ONTASKADD", "handler": "https://h"}),
                         400, "ERROR_EVENT_NOT_FOUND")
        self.assertError(self.rest("m00003", "event.bind", {"event": "ONUSERADD", "handler": "https://h"}),
                         400, "ERROR_EVENT_NOT_FOUND")
        self.assertError(self.rest("m00003", "event.bind", {"event": "ONNOTHING", "handler": "https://h"}),
                         400, "ERROR_EVENT_NOT_FOUND")
        self.assertEqual(self.rest("m00003", "event.bind", {"event": "ONAPPUPDATE", "handler": "https://h"})[0], 200)
        self.assertEqual(self.rest("m00003", "event.bind", {"event": "ONTASKUPDATE", "handler": "https://h"})[0], 200)


class BatchTests(FarmTestCase):
    def batch(self, member_id, cmd, halt=0, form=False):
        status, answer = self.rest(member_id, "batch", {"cmd": cmd, "halt": halt}, form=form)
        self.assertEqual(status, 200, answer)
        self.assertEqual(set(answer["result"]), {"result", "result_error", "result_total", "result_next",
                                                 "result_time"})
        self.assertIn("time", answer)
        return answer["result"]

    def test_object_and_array_forms(self):
        named = self.batch("m00020", {"info": "app.info", "scope": "scope"})
        self.assertEqual(named["result"]["scope"], ["crm", "placement", "task"])
        self.assertEqual((named["result_error"], named["result_total"], named["result_next"]), ([], [], []))
        self.assertEqual(set(named["result_time"]), {"info", "scope"})
        listed = self.batch("m00020", ["scope", "app.info"])
        self.assertIsInstance(listed["result"], list)
        self.assertEqual(listed["result"][0], ["crm", "placement", "task"])
        self.assertIsInstance(listed["result_time"], list)
        form = self.batch("m00020", {"0": "scope", "1": "method.get?name=crm.deal.get"}, form=True)
        self.assertEqual(form["result"], [["crm", "placement", "task"], {"isExisting": True, "isAvailable": True}])
        mixed = self.batch("m00020", ["placement.bind?PLACEMENT=NOPE&HANDLER=x", "scope"])
        self.assertEqual(mixed["result"], {"1": ["crm", "placement", "task"]})
        self.assertEqual(mixed["result_error"], [{"error": "ERROR_PLACEMENT_NOT_FOUND",
                                                  "error_description": "Placement not found"}])

    def test_more_than_fifty(self):
        answer = self.batch("m00020", ["scope"] * 55)
        self.assertEqual(len(answer["result"]), 50)
        self.assertIsInstance(answer["result"], list)
        self.assertEqual(sorted(answer["result_error"], key=int), [str(i) for i in range(50, 55)])
        self.assertEqual(answer["result_error"]["52"]["error"], "ERROR_BATCH_LENGTH_EXCEEDED")

    def test_halt_nested_and_php_params(self):
        halted = self.batch("m00020", {"bad": "event.bind?event=ONNOTHING&handler=x", "good": "scope"}, halt=1)
        self.assertEqual((halted["result"], list(halted["result_error"])), ([], ["bad"]))
        going = self.batch("m00020", {"bad": "event.bind?event=ONNOTHING&handler=x", "good": "scope"}, halt=0)
        self.assertEqual(list(going["result"]), ["good"])
        nested = self.batch("m00020", {"n": "batch?cmd[a]=scope"})
        self.assertEqual(nested["result_error"]["n"]["error"], "ERROR_BATCH_METHOD_NOT_ALLOWED")
        query = urllib.parse.urlencode({"PLACEMENT": "PAGE_BACKGROUND_WORKER", "HANDLER": "https://h/w",
                                        "OPTIONS[errorHandlerUrl]": "https://h/e", "OPTIONS[junk]": "1"})
        written = self.batch("m00020", {"w": "placement.bind?" + query, "g": "placement.get"})
        self.assertEqual(written["result"]["w"], True)
        worker = [p for p in written["result"]["g"] if p["placement"] == "PAGE_BACKGROUND_WORKER"][0]
        self.assertEqual(worker["options"], {"errorHandlerUrl": "https://h/e"})


class RateLimitTests(FarmTestCase):
    def test_fifty_then_503_then_recovery(self):
        statuses = self.keep_alive_calls("m00004", 50)
        self.assertEqual(statuses, [200] * 50)
        self.assertIn(503, self.keep_alive_calls("m00004", 10))
        time.sleep(1.1)
        self.assertEqual(self.keep_alive_calls("m00004", 1), [200])
        stats = self.control("stats")
        self.assertGreaterEqual(stats["query_limit_exceeded_by_portal"]["m00004"], 1)
        self.assertLessEqual(stats["max_bucket"]["m00004"], 50)

    def test_enterprise_250(self):
        self.assertEqual(self.keep_alive_calls("m00005", 250), [200] * 250)
        self.assertIn(503, self.keep_alive_calls("m00005", 20))

    def test_batch_counts_once(self):
        body = {"auth": self.token("m00025"), "cmd": ["scope", "app.info", "event.get"]}
        self.assertEqual(self.keep_alive_calls("m00025", 50, "batch", body), [200] * 50)
        self.assertIn(503, self.keep_alive_calls("m00025", 10, "batch", body))

    def test_rate_limited_fault(self):
        self.assertError(self.rest("m00016", "scope"), 503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
        time.sleep(0.6)
        self.assertEqual(self.rest("m00016", "scope")[0], 200)


class OAuthTests(FarmTestCase):
    def test_rotation(self):
        old = self.portals["m00006"]
        status, answer = self.oauth(old["refresh_token"])
        self.assertEqual(status, 200, answer)
        self.assertNotEqual(answer["access_token"], old["access_token"])
        self.assertNotEqual(answer["refresh_token"], old["refresh_token"])
        self.assertEqual(answer["expires_in"], 3600)
        self.assertAlmostEqual(answer["expires"], time.time() + 3600, delta=5)
        self.assertEqual((answer["domain"], answer["member_id"], answer["scope"], answer["status"]),
                         ("oauth.bitrix.info", "m00006", "crm,placement,task", "L"))
        self.assertEqual(answer["client_endpoint"], self.url("m00006", ""))
        self.assertIn("server_endpoint", answer)
        self.assertEqual(self.oauth(old["refresh_token"]), (400, {"error": "invalid_grant",
                                                                  "error_description": unittest.mock.ANY}))
        self.assertEqual(self.rest("m00006", "scope", token=answer["access_token"])[0], 200)
        status, second = self.oauth(answer["refresh_token"], post=True)
        self.assertEqual(status, 200)
        self.assertError(self.oauth(answer["refresh_token"]), 400, "invalid_grant")
        self.assertEqual(self.control("portal/m00006")["refresh_token"], second["refresh_token"])

    def test_token_endpoint_errors(self):
        self.assertError(self.oauth(self.portals["m00001"]["refresh_token"], client_secret="wrong"),
                         401, "invalid_client")
        self.assertError(self.oauth("unknown"), 400, "invalid_grant")
        self.assertError(self.oauth(self.portals["m00008"]["refresh_token"]), 400, "invalid_grant")
        self.assertEqual(self.oauth(self.portals["m00009"]["refresh_token"])[0], 404)
        self.assertError(self.oauth(self.portals["m00010"]["refresh_token"]), 401, "invalid_client")

    def test_expired_token(self):
        self.assertError(self.rest("m00007", "scope"), 401, "expired_token", "The access token provided has expired.")
        status, answer = self.oauth(self.portals["m00007"]["refresh_token"])
        self.assertEqual(status, 200)
        self.assertEqual(self.rest("m00007", "scope", token=answer["access_token"])[0], 200)

    def test_renamed_portal(self):
        status, headers, _ = self.http(self.url("m00011", "app.info"), b"{}", "application/json")
        self.assertEqual(status, 302)
        new_endpoint = "%s/p/portal-00011-new/rest/" % self.base
        self.assertEqual(headers["Location"], new_endpoint + "app.info")
        status, headers, _ = self.http(self.url("m00011", "scope.json?x=1"), b"{}", "application/json")
        self.assertEqual((status, headers["Location"]), (302, new_endpoint + "scope.json?x=1"))
        self.assertEqual(self.rest("m00011", "app.info", name="portal-00011-new")[0], 200)
        self.assertEqual(self.http(self.url("m00011", "app.info"), b"{}", "application/json")[0], 302)
        self.assertEqual(self.oauth(self.portals["m00011"]["refresh_token"])[1]["client_endpoint"], new_endpoint)


class ControlTests(FarmTestCase):
    def test_stats_numbers(self):
        self.control("reset-stats")
        self.rest("m00018", "app.info")
        query = "PLACEMENT=LEFT_MENU&HANDLER=https%3A%2F%2Fh%2F"
        self.rest("m00018", "batch", {"cmd": {"a": query.join(["placement.bind?", "a"]),
                                              "b": query.join(["placement.bind?", "b"]),
                                              "c": query.join(["placement.bind?", "a"])}, "halt": 0})
        self.rest("m00018", "placement.unbind", {"PLACEMENT": "LEFT_MENU", "HANDLER": "https://h/b"})
        self.oauth("nope")
        stats = self.control("stats")
        self.assertEqual(stats["requests_total"], 3)
        self.assertEqual(stats["requests_by_portal"], {"m00018": 3})
        self.assertEqual(stats["max_rate_window"], {"m00018": 3})
        self.assertGreater(stats["max_bucket"]["m00018"], 2.5)
        self.assertEqual(stats["writes_total"], 3)
        self.assertEqual(stats["errors_by_code"], {"ERROR_CORE": 1})
        self.assertEqual((stats["refreshes_total"], stats["oauth_errors"]), (0, 1))
        self.assertEqual(stats["query_limit_exceeded_by_portal"], {})

    def test_portal_state_and_manual_changes(self):
        self.rest("m00019", "placement.bind", {"PLACEMENT": "LEFT_MENU", "HANDLER": "https://h/m"})
        state = self.control("portal/m00019")
        for key in ("access_token", "refresh_token", "scopes", "placements", "events", "options", "name",
                    "installed"):
            self.assertIn(key, state)
        before = self.control("stats")
        self.assertEqual(self.control("portal/m00019/unbind", {"placement": "LEFT_MENU", "handler": "https://h/m"}),
                         {"count": 1})
        self.assertEqual(self.control("portal/m00019/unbind",
                                      {"event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/events/crm-deal"}),
                         {"count": 1})
        after = self.control("stats")
        self.assertEqual((after["requests_total"], after["writes_total"]),
                         (before["requests_total"], before["writes_total"]))
        self.control("portal/m00019/scopes", {"scopes": ["placement"]})
        self.assertEqual(self.rest("m00019", "scope")[1]["result"], ["placement"])
        self.assertEqual(self.control("portal/m00019")["events"], [])

    def test_sqlite_installations(self):
        with sqlite3.connect(self.sqlite_path) as connection:
            rows = {r[0]: r for r in connection.execute(
                "SELECT member_id, domain, client_endpoint, access_token, refresh_token, expires_at, active "
                "FROM portals")}
        self.assertEqual(len(rows), 50)
        self.assertEqual(rows["m00011"][2], "%s/p/portal-00011/rest/" % self.base)
        self.assertEqual(rows["m00001"][3], self.token("m00001"))
        self.assertLess(rows["m00007"][5], time.time())
        self.assertEqual(rows["m00001"][6], 1)


class ProcessTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.config_path = os.path.join(self.folder.name, "c.json")
        subprocess.run([sys.executable, "-B", FARM, "--generate", "3", "--out", self.config_path], check=True)

    def tearDown(self):
        self.folder.cleanup()

    def test_exits_on_stdin_eof(self):
        process, _ = start_farm(self.config_path)
        try:
            process.stdin.close()
            self.assertEqual(process.wait(timeout=10), 0)
        finally:
            stop_farm(process)

    def test_sigterm_works_with_blocked_mask(self):
        process, _ = start_farm(self.config_path,
                                preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM]))
        try:
            process.terminate()
            self.assertEqual(process.wait(timeout=10), 0)
        finally:
            stop_farm(process)

    def test_shutdown_endpoint(self):
        process, port = start_farm(self.config_path)
        try:
            with urllib.request.urlopen(urllib.request.Request(
                    "http://127.0.0.1:%d/_farm/shutdown" % port, data=b"", method="POST"), timeout=10) as response:
                self.assertEqual(json.loads(response.read()), {"ok": True})
            self.assertEqual(process.wait(timeout=10), 0)
        finally:
            stop_farm(process)

    def test_generator_is_deterministic(self):
        def generate(out):
            subprocess.run([sys.executable, "-B", FARM, "--generate", "200", "--seed", "5", "--faults",
                            "deleted=0.1,slow=3,flaky=0.05", "--out", out], check=True)
            with open(out, "rb") as handle:
                return handle.read()
        first = generate(os.path.join(self.folder.name, "a.json"))
        self.assertEqual(first, generate(os.path.join(self.folder.name, "b.json")))
        portals = json.loads(first)["portals"]
        count = {f: sum(f in p["faults"] for p in portals) for f in ("deleted", "slow", "flaky_5xx")}
        self.assertEqual(count, {"deleted": 20, "slow": 3, "flaky_5xx": 10})
        self.assertEqual([p["member_id"] for p in portals[:2]], ["m00001", "m00002"])



class RedirectTests(FarmTestCase):
    def foreign_port(self):
        return self.control("health")["foreign_port"]

    def foreign(self, path="/p/x/rest/app.info", body=None, content_type=None, headers=None):
        status, _, raw = self.http("http://127.0.0.1:%d%s" % (self.foreign_port(), path), body, content_type, headers)
        return status, json.loads(raw)

    def test_redirect_foreign(self):
        status, headers, raw = self.http(self.url("m00033", "app.info?auth=" + self.token("m00033")),
                                         json.dumps({"auth": self.token("m00033")}).encode(), "application/json")
        foreign = self.foreign_port()
        self.assertNotEqual(foreign, self.port)
        self.assertEqual((status, raw), (302, b""))
        self.assertEqual(headers["Location"], "http://127.0.0.1:%d/p/portal-00033/rest/app.info" % foreign)
        status, headers, _ = self.http(self.url("m00033", "batch.json"), b"", "application/json")
        self.assertEqual(headers["Location"], "http://127.0.0.1:%d/p/portal-00033/rest/batch.json" % foreign)
        # the OAuth server does not confirm the foreign host
        status, answer = self.oauth(self.portals["m00035"]["refresh_token"])
        self.assertEqual((status, answer["client_endpoint"]), (200, self.url("m00035", "")))

    def test_redirect_insecure(self):
        self.control("reset-stats")
        status, headers, _ = self.http(self.url("m00034", "scope"), b"{}", "application/json")
        self.assertEqual((status, headers["Location"]), (302, "http://evil.example/p/portal-00034/rest/scope"))
        stats = self.control("stats")
        self.assertEqual((stats["redirects_insecure_total"], stats["redirects_foreign_total"],
                          stats["redirects_total"], stats["requests_by_portal"]), (1, 0, 1, {"m00034": 1}))

    def test_foreign_listener_counts_tokens(self):
        self.control("reset-stats")
        token = self.token("m00001")
        clean = [self.foreign(), self.foreign(body=b'{"cmd": {"a": "scope"}}', content_type="application/json"),
                 self.foreign(body=b"halt=0&cmd[a]=scope", content_type="application/x-www-form-urlencoded")]
        carrying = [
            self.foreign(body=json.dumps({"auth": "x"}).encode(), content_type="application/json"),
            self.foreign(body=b"auth=x&halt=0", content_type="application/x-www-form-urlencoded"),
            self.foreign("/p/x/rest/app.info?auth=x"),
            self.foreign(headers={"Authorization": "Bearer x"}),
            self.foreign(body=json.dumps({"token": token}).encode(), content_type="application/json"),
            self.foreign(body=("refresh_token=" + self.portals["m00002"]["refresh_token"]).encode(),
                         content_type="application/x-www-form-urlencoded"),
        ]
        self.assertEqual(set(map(json.dumps, clean + carrying)), {json.dumps((200, {"result": True}))})
        self.foreign(body=("client_secret=" + self.config["client_secret"]).encode(),
                     content_type="application/x-www-form-urlencoded")
        stats = self.control("stats")
        self.assertEqual((stats["foreign_requests_total"], stats["foreign_tokens_received"],
                          stats["foreign_secrets_received"], stats["foreign_port"]),
                         (10, 6, 1, self.foreign_port()))
        self.assertEqual(stats["requests_total"], 0)

    def test_redirect_faults_switch_at_runtime(self):
        self.assertEqual(self.rest("m00035", "scope")[0], 302)
        self.control("portal/m00035/faults", {"faults": []})
        self.assertEqual(self.rest("m00035", "scope")[0], 200)
        self.control("portal/m00035/faults", {"faults": ["redirect_insecure"]})
        self.assertEqual(self.http(self.url("m00035", "scope"), b"{}")[1]["Location"],
                         "http://evil.example/p/portal-00035/rest/scope")
        self.control("portal/m00035/faults", {"faults": ["redirect_foreign"]})


class TokensTests(FarmTestCase):
    """/_farm/tokens, farm_check.py and refresher.py against this class's own farm and SQLite table."""

    def store(self):
        return farm_db.SqliteTable(self.sqlite_path)

    def row(self, member_id):
        store = self.store()
        try:
            return store.read(member_id)
        finally:
            store.close()

    def write_row(self, member_id, **values):
        with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=30)) as connection, connection:
            for column, value in values.items():
                connection.execute("UPDATE portals SET %s = ? WHERE member_id = ?" % column, (value, member_id))

    def setUp(self):
        quiet = contextlib.redirect_stderr(io.StringIO())  # the refresher's notes
        quiet.__enter__()
        self.addCleanup(quiet.__exit__, None, None, None)

    def refresher(self, **options):
        return refresher.Refresher(self.base, self.config["client_id"], self.config["client_secret"], self.store(),
                                   **options)

    def check(self, members=None):
        report = farm_check.check(self.base, sqlite=self.sqlite_path)
        if members is not None:
            report["portals"] = {m: report["portals"][m] for m in members}
        return report

    def test_tokens_endpoint(self):
        tokens = self.control("tokens")
        self.assertEqual(len(tokens), 50)
        state = self.control("portal/m00001")
        self.assertEqual(tokens["m00001"], {"refresh_token": state["refresh_token"],
                                            "access_token": state["access_token"], "access_valid": True,
                                            "expires_at": state["expires_at"], "refresh_usable": True})
        self.control("portal/m00019/expire-token")
        self.assertFalse(self.control("tokens")["m00019"]["access_valid"])
        self.assertEqual([m for m in ("m00008", "m00009", "m00010", "m00011") if not tokens[m]["refresh_usable"]],
                         ["m00008", "m00009", "m00010"])

    def test_check_valid_lost_inactive(self):
        report = self.check(["m00041", "m00042", "m00043"])
        self.assertEqual(report["portals"], {"m00041": "valid", "m00042": "valid", "m00043": "valid"})
        self.assertEqual(report["inactive_marked"], [])
        # a refresh whose answer is never stored loses the portal
        status, answer = self.oauth(self.row("m00041").refresh_token)
        self.assertEqual(status, 200)
        self.write_row("m00042", active=0)
        self.write_row("m00043", refresh_token="never-issued")
        report = self.check()
        self.assertEqual((report["lost"], report["inactive_marked"]), (["m00041", "m00043"], ["m00042"]))
        self.assertEqual(report["valid"], 48)
        output = subprocess.run([sys.executable, "-B", CHECK, "--farm", self.base, "--sqlite", self.sqlite_path],
                                stdout=subprocess.PIPE, check=True).stdout
        self.assertEqual(json.loads(output), {"valid": 48, "lost": ["m00041", "m00043"], "inactive_marked": ["m00042"]})
        self.write_row("m00041", refresh_token=answer["refresh_token"], access_token=answer["access_token"])
        self.write_row("m00043", refresh_token=self.portals["m00043"]["refresh_token"])
        self.write_row("m00042", active=1)
        output = subprocess.run([sys.executable, "-B", CHECK, "--farm", self.base, "--sqlite", self.sqlite_path,
                                 "--per-portal"], stdout=subprocess.PIPE, check=True).stdout
        report = json.loads(output)
        self.assertEqual((report["valid"], report["lost"], report["portals"]["m00041"]), (50, [], "valid"))
        failed = subprocess.run([sys.executable, "-B", CHECK, "--farm", self.base, "--sqlite",
                                 os.path.join(self.folder.name, "none.db")], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        self.assertEqual((failed.returncode, failed.stdout), (1, b""))

    def test_refresher_refreshes_with_compare_and_swap(self):
        worker = self.refresher()
        before = self.row("m00044")
        self.assertEqual(worker.refresh("m00044"), "refreshed")
        after = self.row("m00044")
        farm = self.control("portal/m00044")
        self.assertNotEqual(after.refresh_token, before.refresh_token)
        self.assertEqual((after.refresh_token, after.access_token, after.expires_at),
                         (farm["refresh_token"], farm["access_token"], farm["expires_at"]))
        self.assertEqual(self.rest("m00044", "scope", token=after.access_token)[0], 200)
        self.assertEqual(worker.summary(), {"refreshes": 1, "cas_lost": 0, "invalid_grant_recovered": 0,
                                            "lost": [], "errors": 0})

    def test_refresher_cas_lost(self):
        worker = self.refresher()
        table, read = worker.table, worker.table.read

        def read_then_someone_writes(member_id):
            row = read(member_id)
            self.write_row(member_id, refresh_token="written-by-someone-else")
            return row
        table.read = read_then_someone_writes
        self.assertEqual(worker.refresh("m00045"), "cas_lost")
        self.assertEqual((worker.refreshes, worker.cas_lost), (1, 1))
        self.assertEqual(self.row("m00045").refresh_token, "written-by-someone-else")
        self.assertEqual(self.check(["m00045"])["portals"], {"m00045": "lost"})
        self.write_row("m00045", refresh_token=self.control("portal/m00045")["refresh_token"])

    def test_refresher_waits_for_the_other_writer_after_invalid_grant(self):
        used = self.row("m00046").refresh_token
        status, answer = self.oauth(used)  # "b24plan" refreshed first and is about to store its answer
        self.assertEqual(status, 200)

        def store():
            time.sleep(0.4)
            store = self.store()
            try:
                self.assertTrue(store.compare_and_swap("m00046", used, answer["access_token"], answer["refresh_token"],
                                                       answer["expires"]))
            finally:
                store.close()
        writer = threading.Thread(target=store)
        writer.start()
        worker = self.refresher()
        started = time.monotonic()
        self.assertEqual(worker.refresh("m00046"), "recovered")
        writer.join()
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        self.assertEqual((worker.invalid_grant_recovered, worker.lost), (1, []))
        self.assertEqual(self.check(["m00046"])["portals"], {"m00046": "valid"})

    def test_refresher_lost_and_gone_portals(self):
        worker = self.refresher(grant_wait=0.3)
        started = time.monotonic()
        self.assertEqual(worker.refresh("m00008"), "lost")  # dead_refresh: nobody will write a newer token
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        self.assertEqual(worker.refresh("m00010"), "error")  # uninstalled: invalid_client
        self.assertEqual(worker.refresh("m00009"), "error")  # deleted: 404
        self.assertEqual(worker.refresh("nobody"), "skipped")
        self.assertEqual(worker.summary(), {"refreshes": 0, "cas_lost": 0, "invalid_grant_recovered": 0,
                                            "lost": ["m00008"], "errors": 2})
        self.assertEqual(worker.dropped, {"m00009", "m00010", "nobody"})

    def test_two_refresher_processes_race_without_losses(self):
        members = ",".join("m%05d" % i for i in range(47, 51))
        before = self.control("stats")["refreshes_total"]
        common = [sys.executable, "-B", REFRESHER, "--farm", self.base, "--config", self.config_path,
                  "--sqlite", self.sqlite_path, "--members", members, "--interval", "0"]
        timed = subprocess.Popen(common + ["--duration", "2", "--seed", "1"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        piped = subprocess.Popen(common + ["--until-stdin-eof", "--seed", "2"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            first = json.loads(timed.communicate(timeout=30)[0])
            self.assertEqual(timed.returncode, 0)
            self.assertIsNone(piped.poll())
            second = json.loads(piped.communicate(b"", timeout=30)[0])
            self.assertEqual(piped.returncode, 0)
        finally:
            for process in (timed, piped):
                if process.poll() is None:
                    process.kill()
                    process.wait()
        for summary in (first, second):
            self.assertEqual(set(summary), {"refreshes", "cas_lost", "invalid_grant_recovered", "lost", "errors"})
            self.assertEqual((summary["lost"], summary["cas_lost"], summary["errors"]), ([], 0, 0))
            self.assertGreater(summary["refreshes"], 0)
        self.assertEqual(first["refreshes"] + second["refreshes"], self.control("stats")["refreshes_total"] - before)
        self.assertEqual(self.check(members.split(","))["portals"], dict.fromkeys(members.split(","), "valid"))

    def test_refresher_default_members_and_sigterm_with_blocked_mask(self):
        self.write_row("m00040", active=0)
        process = subprocess.Popen(
            [sys.executable, "-B", REFRESHER, "--farm", self.base, "--config", self.config_path, "--sqlite",
             self.sqlite_path, "--until-stdin-eof", "--interval", "0.05", "--invalid-grant-wait", "0.1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM]))
        try:
            time.sleep(1.5)
            process.terminate()
            output, _ = process.communicate(timeout=30)
            self.assertEqual(process.returncode, 0)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        summary = json.loads(output)
        self.assertEqual(len(output.splitlines()), 1)
        self.assertGreater(summary["refreshes"], 0)
        self.assertLessEqual(set(summary["lost"]), {"m00008"})
        self.assertEqual(self.control("stats")["refreshes_by_portal"].get("m00040"), None)
        self.write_row("m00040", active=1)

    def test_refresher_usage(self):
        for arguments in ([], ["--farm", self.base, "--sqlite", self.sqlite_path, "--duration", "1"],
                          ["--farm", self.base, "--config", self.config_path, "--sqlite", self.sqlite_path]):
            result = subprocess.run([sys.executable, "-B", REFRESHER] + arguments, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.assertEqual((result.returncode, result.stdout), (2, b""))


class AccessTTLTests(unittest.TestCase):
    """--access-ttl: every issued access token, the initial ones too, expires after that many seconds."""

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.config_path = os.path.join(self.folder.name, "c.json")
        subprocess.run([sys.executable, "-B", FARM, "--generate", "3", "--access-ttl", "1.5", "--faults",
                        "expired_token=1", "--out", self.config_path], check=True)
        with open(self.config_path) as handle:
            self.config = json.load(handle)

    def tearDown(self):
        self.folder.cleanup()

    def call(self, port, portal, token):
        request = urllib.request.Request("http://127.0.0.1:%d/p/%s/rest/scope" % (port, portal["name"]),
                                         data=json.dumps({"auth": token}).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def test_short_lived_tokens(self):
        self.assertEqual(self.config["access_ttl"], 1.5)
        sqlite_path = os.path.join(self.folder.name, "s.db")
        started = time.time()
        process, port = start_farm(self.config_path, "--sqlite", sqlite_path)
        try:
            portal = [p for p in self.config["portals"] if not p["faults"]][0]
            expired = [p for p in self.config["portals"] if p["faults"]][0]
            with sqlite3.connect(sqlite_path) as connection:
                stored = dict(connection.execute("SELECT member_id, expires_at FROM portals"))
            self.assertTrue(started <= stored[portal["member_id"]] <= time.time() + 2.5, stored)
            self.assertLess(stored[expired["member_id"]], started)
            self.assertEqual(self.call(port, expired, expired["access_token"])[1]["error"], "expired_token")
            time.sleep(max(0.0, stored[portal["member_id"]] - time.time()) + 0.1)
            self.assertEqual(self.call(port, portal, portal["access_token"]),
                             (401, {"error": "expired_token", "error_description": unittest.mock.ANY}))
            query = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": self.config["client_id"],
                                            "client_secret": self.config["client_secret"],
                                            "refresh_token": portal["refresh_token"]})
            with urllib.request.urlopen("http://127.0.0.1:%d/oauth/token/?%s" % (port, query), timeout=10) as response:
                answer = json.loads(response.read())
            refreshed = time.time()
            self.assertEqual(answer["expires_in"], 2)
            self.assertTrue(refreshed + 1 <= answer["expires"] <= refreshed + 3)
            self.assertEqual(self.call(port, portal, answer["access_token"])[0], 200)
            time.sleep(max(0.0, refreshed + 1.5 - time.time()) + 0.1)
            self.assertEqual(self.call(port, portal, answer["access_token"])[1]["error"], "expired_token")
        finally:
            stop_farm(process)

    def test_serve_option_overrides(self):
        process, port = start_farm(self.config_path, "--access-ttl", "3600")
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/_farm/tokens" % port, timeout=10) as response:
                tokens = json.loads(response.read())
            valid = [t for t in tokens.values() if t["access_valid"]]
            self.assertEqual(len(valid), 2)
            self.assertTrue(all(t["expires_at"] > time.time() + 3000 for t in valid))
        finally:
            stop_farm(process)


@unittest.skipIf(shutil.which("psql") is None, "psql is not installed")
@unittest.skipIf(not POSTGRES_URL, "B24PLAN_TEST_POSTGRES_URL is not set: `source scripts/postgres-test-cluster.sh` "
                                   "from the repository root first")
class PostgresTests(unittest.TestCase):
    """--postgres, refresher.py --psql and farm_check.py --psql against a real PostgreSQL."""

    ODD = "m'o\\d\td \"x\""  # a member id that needs quoting and COPY escaping

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.table = "farm_test_%d" % os.getpid()
        cls.psql = farm_db.PsqlTable(POSTGRES_URL, cls.table)
        cls.psql.run("DROP TABLE IF EXISTS %s;" % cls.table)
        cls.config_path = os.path.join(cls.folder.name, "c.json")
        subprocess.run([sys.executable, "-B", FARM, "--generate", "20", "--seed", "4", "--faults", "renamed=1",
                        "--out", cls.config_path], check=True)
        with open(cls.config_path) as handle:
            cls.config = json.load(handle)
        odd = dict(cls.config["portals"][0], member_id=cls.ODD, name="portal-odd", faults=[],
                   access_token="a\\b\tc'd", refresh_token="r'e\\f\ng")
        cls.config["portals"].append(odd)
        with open(cls.config_path, "w") as handle:
            json.dump(cls.config, handle)
        cls.process, cls.port = start_farm(cls.config_path, "--postgres", POSTGRES_URL, "--postgres-table", cls.table)
        cls.base = "http://127.0.0.1:%d" % cls.port

    @classmethod
    def tearDownClass(cls):
        stop_farm(cls.process)
        cls.psql.run("DROP TABLE IF EXISTS %s;" % cls.table)
        cls.folder.cleanup()

    def test_filled_rows(self):
        rows = {r.member_id: r for r in self.psql.rows()}
        self.assertEqual(len(rows), 21)
        self.assertEqual((rows[self.ODD].access_token, rows[self.ODD].refresh_token, rows[self.ODD].active),
                         ("a\\b\tc'd", "r'e\\f\ng", 1))
        renamed = [p for p in self.config["portals"] if "renamed" in p["faults"]][0]
        endpoint = self.psql.run("SELECT client_endpoint || '|' || domain FROM %s WHERE member_id = :'m';\n"
                                 % self.table, {"m": renamed["member_id"]}).strip()
        self.assertEqual(endpoint, "%s/p/%s/rest/|%s.bitrix24.test" % (self.base, renamed["name"], renamed["name"]))
        self.assertEqual(rows["m00001"].expires_at, 4102444800)

    def test_refill_overwrites_and_scales(self):
        self.psql.run("UPDATE %s SET active = 0, refresh_token = 'stale' WHERE member_id = 'm00002';" % self.table)
        config_path = os.path.join(self.folder.name, "big.json")
        subprocess.run([sys.executable, "-B", FARM, "--generate", "2000", "--seed", "4", "--out", config_path],
                       check=True)
        started = time.monotonic()
        process, _ = start_farm(config_path, "--postgres", POSTGRES_URL, "--postgres-table", self.table)
        elapsed = time.monotonic() - started
        stop_farm(process)
        rows = {r.member_id: r for r in self.psql.rows()}
        self.assertEqual(len(rows), 2001)
        self.assertEqual((rows["m00002"].active, rows["m00002"].refresh_token),
                         (1, self.config["portals"][1]["refresh_token"]))
        self.assertLess(elapsed, 20)
        # this class's farm is the one whose tokens the other tests check: restore its rows
        self.psql.run("TRUNCATE %s;" % self.table)
        self.psql.fill(self._rows_of_this_farm())

    def _rows_of_this_farm(self):
        return [(p["member_id"], "%s.bitrix24.test" % p["name"], "%s/p/%s/rest/" % (self.base, p["name"]),
                 p["access_token"], p["refresh_token"], p["expires_at"]) for p in self.config["portals"]]

    def test_refresher_and_check(self):
        worker = refresher.Refresher(self.base, self.config["client_id"], self.config["client_secret"],
                                     farm_db.PsqlTable(POSTGRES_URL, self.table))
        self.assertEqual(worker.refresh(self.ODD), "refreshed")
        self.assertEqual(worker.refresh("m00003"), "refreshed")
        table, read = worker.table, worker.table.read

        def read_then_someone_writes(member_id):
            row = read(member_id)
            self.psql.run("UPDATE %s SET refresh_token = 'other' WHERE member_id = :'m';\n" % self.table,
                          {"m": member_id})
            return row
        table.read = read_then_someone_writes
        self.assertEqual(worker.refresh("m00004"), "cas_lost")
        self.assertEqual(worker.summary(), {"refreshes": 3, "cas_lost": 1, "invalid_grant_recovered": 0,
                                            "lost": [], "errors": 0})
        report = farm_check.check(self.base, psql=POSTGRES_URL, table=self.table)
        self.assertEqual({m: report["portals"][m] for m in (self.ODD, "m00003", "m00004")},
                         {self.ODD: "valid", "m00003": "valid", "m00004": "lost"})
        current = json.loads(urllib.request.urlopen(self.base + "/_farm/portal/m00004", timeout=10).read())
        self.psql.run("UPDATE %s SET refresh_token = :'t' WHERE member_id = 'm00004';\n" % self.table,
                      {"t": current["refresh_token"]})
        result = subprocess.run([sys.executable, "-B", REFRESHER, "--farm", self.base, "--config", self.config_path,
                                 "--psql", POSTGRES_URL, "--table", self.table, "--duration", "1.5",
                                 "--interval", "0.02", "--members", "m00005,m00006"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, check=True)
        summary = json.loads(result.stdout)
        self.assertGreater(summary["refreshes"], 0)
        self.assertEqual(summary["lost"], [])
        output = subprocess.run([sys.executable, "-B", CHECK, "--farm", self.base, "--psql", POSTGRES_URL,
                                 "--table", self.table], stdout=subprocess.PIPE, check=True).stdout
        self.assertEqual(json.loads(output)["lost"], [])


class DocsCatalogueTests(FarmTestCase):
    """The catalogue against the REST docs (farm_catalogue.py names the revision and the pages)."""

    def bind(self, member_id, params, form=True):
        return self.rest(member_id, "placement.bind", params, form=form)

    def stored(self, member_id, code):
        return [p for p in self.rest(member_id, "placement.get")[1]["result"] if p["placement"] == code]

    def scopes(self, member_id, scopes):
        self.control("portal/%s/scopes" % member_id, {"scopes": scopes})

    def event(self, member_id, name, handler="https://h/e"):
        return self.rest(member_id, "event.bind", {"event": name, "handler": handler})

    def test_task_view_group_id_kept_as_given(self):
        options = {"groupId": "11,12", "junk": "x"}
        self.assertEqual(self.bind("m00001", {"PLACEMENT": "TASK_VIEW_TAB", "HANDLER": "https://h/t",
                                              "OPTIONS": options})[0], 200)
        self.assertEqual(self.bind("m00001", {"PLACEMENT": "TASK_VIEW_SIDEBAR", "HANDLER": "https://h/t",
                                              "OPTIONS": options}, form=False)[0], 200)
        self.assertEqual(self.bind("m00001", {"PLACEMENT": "TASK_VIEW_TOP_PANEL", "HANDLER": "https://h/t",
                                              "OPTIONS": options})[0], 200)
        self.assertEqual(self.stored("m00001", "TASK_VIEW_TAB")[0]["options"], {"groupId": "11,12"})
        self.assertEqual(self.stored("m00001", "TASK_VIEW_SIDEBAR")[0]["options"], {"groupId": "11,12"})
        self.assertEqual(self.stored("m00001", "TASK_VIEW_TOP_PANEL")[0]["options"], [])
        self.assertEqual(self.bind("m00002", {"PLACEMENT": "TASK_VIEW_TAB", "HANDLER": "https://h/t",
                                              "OPTIONS": {"groupId": 7}}, form=False)[0], 200)
        self.assertEqual(self.stored("m00002", "TASK_VIEW_TAB")[0]["options"], {"groupId": 7})

    def test_smiles_selector_needs_only_placement(self):
        self.scopes("m00003", ["placement"])
        params = {"PLACEMENT": "IM_SMILES_SELECTOR", "HANDLER": "https://h/s",
                  "OPTIONS": {"extranet": "N", "role": "USER", "context": "ALL", "iconName": "fa-x", "color": "red"}}
        self.assertEqual(self.bind("m00003", params)[0], 200)
        self.assertEqual(self.stored("m00003", "IM_SMILES_SELECTOR")[0]["options"],
                         {"extranet": "N", "role": "USER", "context": "ALL"})
        self.assertError(self.bind("m00003", {"PLACEMENT": "IM_CONTEXT_MENU", "HANDLER": "https://h/s"}),
                         400, "ERROR_PLACEMENT_NOT_FOUND")
        self.scopes("m00004", ["crm", "im"])
        self.assertError(self.bind("m00004", params), 403, "insufficient_scope")

    def test_hcmlink_placement(self):
        params = {"PLACEMENT": "HCMLINK_SALARY_VACATION", "HANDLER": "https://h/v"}
        self.scopes("m00006", ["placement", "humanresources"])
        self.assertError(self.bind("m00006", params), 400, "ERROR_PLACEMENT_NOT_FOUND")
        self.scopes("m00006", ["placement", "humanresources.hcmlink"])
        self.assertEqual(self.bind("m00006", params)[0], 200)
        self.assertIn("HCMLINK_SALARY_VACATION", self.rest("m00006", "placement.list")[1]["result"])

    def test_funnels_toolbars(self):
        for code in ("CRM_FUNNELS_TOOLBAR", "CRM_SMART_INVOICE_FUNNELS_TOOLBAR"):
            self.assertEqual(self.bind("m00018", {"PLACEMENT": code, "HANDLER": "https://h/f"})[0], 200, code)
        self.assertEqual(self.bind("m00027", {"PLACEMENT": "CRM_DYNAMIC_128_FUNNELS_TOOLBAR",
                                              "HANDLER": "https://h/f"})[0], 200)
        for code in ("CRM_DYNAMIC_128_FUNNELS_TOOLBAR", "CRM_DEAL_FUNNELS_TOOLBAR", "CRM_LEAD_FUNNELS_TOOLBAR"):
            self.assertError(self.bind("m00018", {"PLACEMENT": code, "HANDLER": "https://h/f"}),
                             400, "ERROR_PLACEMENT_NOT_FOUND")

    def test_gone_placements(self):
        self.scopes("m00019", ["crm", "placement", "landing", "task", "im", "user"])
        for code in ("CRM_INVOICE_LIST_MENU", "CRM_INVOICE_DOCUMENTGENERATOR_BUTTON", "CRM_INVOICE_LIST_TOOLBAR",
                     "CRM_INVOICE_DETAIL_TOOLBAR", "CRM_REQUISITE_EDIT_FORM", "1C_PAGE", "LANDING_BLOCK"):
            self.assertError(self.bind("m00019", {"PLACEMENT": code, "HANDLER": "https://h/g"}),
                             400, "ERROR_PLACEMENT_NOT_FOUND")
        listed = self.rest("m00019", "placement.list")[1]["result"]
        self.assertFalse([c for c in listed if "INVOICE" in c and "SMART_INVOICE" not in c or c.startswith("LANDING")])
        self.assertIn("CRM_SMART_INVOICE_LIST_TOOLBAR", listed)

    def test_booking_events(self):
        names = ["ONBOOKING%s%s" % (what, action) for what in ("", "RESOURCE", "RESOURCETYPE", "WAITLISTITEM")
                 for action in ("ADD", "UPDATE", "DELETE")]
        self.assertEqual(len(names), 12)
        self.assertError(self.event("m00020", "ONBOOKINGADD"), 400, "ERROR_EVENT_NOT_FOUND")
        self.scopes("m00020", ["crm", "booking"])
        for name in names:
            self.assertEqual(self.event("m00020", name)[0], 200, name)
        self.assertEqual(self.event("m00020", "onBookingWaitListItemAdd", "https://h/2")[0], 200)
        self.assertError(self.event("m00020", "ONBOOKINGCLIENTADD"), 400, "ERROR_EVENT_NOT_FOUND")

    def test_hcmlink_events(self):
        names = ["ONHUMANRESOURCESHCMLINK" + s for s in ("EMPLOYEELISTREQUESTED", "EMPLOYEELISTMAPPED",
                                                       "FIELDVALUEREQUESTED", "PINREQUESTED",
                                                       "SALARYVACATIONREQUESTED")]
        self.scopes("m00021", ["humanresources"])
        for name in names:
            self.assertError(self.event("m00021", name), 400, "ERROR_EVENT_NOT_FOUND")
        self.scopes("m00021", ["humanresources.hcmlink"])
        for name in names:
            self.assertEqual(self.event("m00021", name)[0], 200, name)

    def test_sonet_group_events_take_any_of_three_scopes(self):
        self.assertError(self.event("m00022", "ONSONETGROUPADD"), 400, "ERROR_EVENT_NOT_FOUND")
        for scope in ("sonet_group", "socialnetwork", "sonet"):
            self.scopes("m00022", ["crm", scope])
            for name in ("ONSONETGROUPADD", "ONSONETGROUPUPDATE", "ONSONETGROUPDELETE", "ONSONETGROUPSUBJECTADD"):
                self.assertEqual(self.event("m00022", name, "https://h/" + scope)[0], 200, (scope, name))
        self.assertError(self.event("m00022", "ONSONETGROUPNOTHING"), 400, "ERROR_EVENT_NOT_FOUND")

    def test_imconnector_events_take_either_scope(self):
        names = ["ONIMCONNECTOR" + s for s in ("DIALOGSTART", "DIALOGFINISH", "LINEDELETE", "MESSAGEADD",
                                               "MESSAGEUPDATE", "MESSAGEDELETE", "STATUSDELETE")]
        self.scopes("m00024", ["im", "crm"])
        self.assertError(self.event("m00024", "ONIMCONNECTORMESSAGEADD"), 400, "ERROR_EVENT_NOT_FOUND")
        for scope in ("imconnector", "imopenlines"):
            self.scopes("m00024", [scope])
            for name in names:
                self.assertEqual(self.event("m00024", name, "https://h/" + scope)[0], 200, (scope, name))

    def test_events_not_bound_with_event_bind_and_gone_events(self):
        self.scopes("m00025", ["im", "imbot", "catalog", "crm"])
        for name in ("ONIMV2MESSAGEADD", "ONIMV2JOINCHAT", "ONIMBOTV2MESSAGEADD", "ONIMBOTV2COMMANDADD",
                     "onImBotV2ReactionChange", "CATALOG.STORE.ON.ADD", "CATALOG.STORE.ON.UPDATE",
                     "catalog.store.on.delete"):
            self.assertError(self.event("m00025", name), 400, "ERROR_EVENT_NOT_FOUND")
        for name in ("CATALOG.PRODUCT.ON.ADD", "catalog.price.type.on.update", "CATALOG.ROUNDING.ON.DELETE"):
            self.assertEqual(self.event("m00025", name)[0], 200, name)
        self.scopes("m00025", ["crm"])
        self.assertError(self.event("m00025", "CATALOG.MEASURE.ON.ADD"), 400, "ERROR_EVENT_NOT_FOUND")

    def test_scopes_and_method_get(self):
        full = self.rest("m00028", "scope", {"full": 1})[1]["result"]
        for scope in ("note", "humanresources.hcmlink", "booking", "sign.b2e"):
            self.assertIn(scope, full)
        self.assertNotIn("crm.documentgenerator", full)
        status, _, raw = self.http(self.base + "/_farm/portal/m00028/scopes",
                                   json.dumps({"scopes": ["crm", "crm.documentgenerator"]}).encode(),
                                   "application/json")
        self.assertEqual(status, 400, raw)
        self.assertEqual(self.rest("m00028", "scope")[1]["result"], ["crm", "placement", "task"])

        def available(name):
            return self.rest("m00028", "method.get", {"name": name})[1]["result"]["isAvailable"]
        self.assertTrue(available("crm.documentgenerator.document.add"))
        self.assertFalse(available("note.collection.add"))
        self.scopes("m00028", ["note", "humanresources", "placement"])
        self.assertTrue(available("note.collection.add"))
        self.assertFalse(available("humanresources.hcmlink.company.add"))
        self.assertFalse(available("landing.repo.bind"))
        self.scopes("m00028", ["humanresources.hcmlink", "landing"])
        self.assertTrue(available("humanresources.hcmlink.company.add"))
        self.assertTrue(available("landing.repo.bind"))

    def test_generator_and_config_refuse_unknown_scopes(self):
        out = os.path.join(self.folder.name, "bad.json")
        result = subprocess.run([sys.executable, "-B", FARM, "--generate", "2", "--scopes", "crm,crm.documentgenerator",
                                 "--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(result.returncode, 1)
        self.assertIn(b"crm.documentgenerator", result.stderr)
        self.assertFalse(os.path.exists(out))


class LandingTests(FarmTestCase):
    """landing.repo.bind / landing.repo.unbind (landing/embedding/*.md) and the write counters."""

    def setUp(self):
        for member_id in ("m00001", "m00002", "m00003", "m00018", "m00019", "m00020", "m00021"):
            self.control("portal/%s/scopes" % member_id, {"scopes": ["crm", "placement", "landing"]})

    def bind(self, member_id, code, handler, title="T", form=True):
        fields = {"PLACEMENT": code, "PLACEMENT_HANDLER": handler, "TITLE": title}
        return self.rest(member_id, "landing.repo.bind", {"fields": fields}, form=form)

    def unbind(self, member_id, code, handler=None, form=False):
        params = {"code": code}
        if handler is not None:
            params["handler"] = handler
        return self.rest(member_id, "landing.repo.unbind", params, form=form)

    def landing(self, member_id):
        return self.control("portal/%s" % member_id)["landing_placements"]

    def test_bind_duplicate_unbind(self):
        status, answer = self.bind("m00001", "LANDING_SETTINGS", "https://h/settings", "Settings")
        self.assertEqual(status, 200, answer)
        self.assertIsInstance(answer["result"], int)
        self.assertError(self.bind("m00001", "LANDING_SETTINGS", "https://h/settings", "Other title"),
                         400, "PLACEMENT_EXIST")
        self.assertError(self.bind("m00001", "landing_settings", "https://h/settings", form=False),
                         400, "PLACEMENT_EXIST")
        self.assertEqual(self.bind("m00001", "LANDING_SETTINGS", "https://h/settings2", form=False)[0], 200)
        for code in ("LANDING_BLOCK_04.1.one_col_fix_with_title", "LANDING_BLOCK_repo_1132", "LANDING_BLOCK_*"):
            self.assertEqual(self.bind("m00001", code, "https://h/block")[0], 200, code)
        self.assertError(self.bind("m00001", "landing_block_REPO_1132", "https://h/block"), 400, "PLACEMENT_EXIST")
        stored = self.landing("m00001")
        self.assertEqual([(r["placement"], r["handler"], r["title"]) for r in stored], [
            ("LANDING_SETTINGS", "https://h/settings", "Settings"), ("LANDING_SETTINGS", "https://h/settings2", "T"),
            ("LANDING_BLOCK_04.1.one_col_fix_with_title", "https://h/block", "T"),
            ("LANDING_BLOCK_repo_1132", "https://h/block", "T"), ("LANDING_BLOCK_*", "https://h/block", "T")])
        self.assertEqual(len({r["id"] for r in stored}), 5)
        self.assertEqual([p for p in self.rest("m00001", "placement.get")[1]["result"]
                          if p["placement"].startswith("LANDING")], [])
        self.assertEqual(self.unbind("m00001", "LANDING_SETTINGS", "https://h/settings")[1]["result"], True)
        self.assertError(self.unbind("m00001", "LANDING_SETTINGS", "https://h/settings"), 400, "PLACEMENT_NO_EXIST",
                         "Such embedding placement does not exist")
        self.assertEqual(self.unbind("m00001", "landing_block_repo_1132", form=True)[1]["result"], True)
        self.bind("m00001", "LANDING_SETTINGS", "https://h/settings")
        self.assertEqual(self.unbind("m00001", "LANDING_SETTINGS")[1]["result"], True)  # both handlers
        self.assertEqual([r["placement"] for r in self.landing("m00001")],
                         ["LANDING_BLOCK_04.1.one_col_fix_with_title", "LANDING_BLOCK_*"])
        self.assertError(self.unbind("m00001", "LANDING_SETTINGS"), 400, "PLACEMENT_NO_EXIST")
        self.assertError(self.rest("m00001", "landing.repo.unbind", {"handler": "https://h/block"}),
                         400, "MISSING_PARAMS")
        self.assertError(self.rest("m00001", "landing.repo.bind", {"PLACEMENT": "LANDING_SETTINGS"}),
                         400, "MISSING_PARAMS")

    def test_codes_and_scopes(self):
        for code in ("LANDING_BLOCK", "LANDING_BLOCK_", "LANDING_SETTINGS_X", "CRM_DEAL_DETAIL_TAB", ""):
            self.assertError(self.bind("m00002", code, "https://h/x"), 400, "ERROR_PLACEMENT_NOT_FOUND")
        self.assertError(self.bind("m00002", "LANDING_SETTINGS", ""), 400, "ERROR_ARGUMENT")
        self.control("portal/m00002/scopes", {"scopes": ["crm", "placement"]})
        self.assertError(self.bind("m00002", "LANDING_SETTINGS", "https://h/x"), 403, "insufficient_scope")
        self.assertError(self.unbind("m00002", "LANDING_SETTINGS"), 403, "insufficient_scope")
        self.control("portal/m00002/scopes", {"scopes": ["landing"]})  # no `placement` needed
        self.assertEqual(self.bind("m00002", "LANDING_SETTINGS", "https://h/x")[0], 200)
        self.assertError(self.rest("m00002", "placement.get"), 403, "insufficient_scope")

    def test_placement_methods_refuse_landing_codes(self):
        for code in ("LANDING_SETTINGS", "LANDING_BLOCK_*", "LANDING_BLOCK_04.1.one_col_fix_with_title", "LANDING_BLOCK"):
            self.assertError(self.rest("m00003", "placement.bind", {"PLACEMENT": code, "HANDLER": "https://h/p"},
                                       form=True), 400, "ERROR_PLACEMENT_NOT_FOUND")
        self.bind("m00003", "LANDING_SETTINGS", "https://h/p")
        self.assertError(self.rest("m00003", "placement.unbind", {"PLACEMENT": "LANDING_SETTINGS",
                                                                  "HANDLER": "https://h/p"}),
                         400, "ERROR_PLACEMENT_NOT_FOUND")
        self.assertEqual(len(self.landing("m00003")), 1)
        self.assertEqual(self.rest("m00003", "placement.unbind", {"PLACEMENT": "NOPE"})[1]["result"], {"count": 0})

    def test_writes_by_method_after_a_batch(self):
        self.control("reset-stats")
        handler = urllib.parse.quote("https://h/l", safe="")
        landing = "fields[PLACEMENT]=LANDING_SETTINGS&fields[PLACEMENT_HANDLER]=%s&fields[TITLE]=S" % handler
        cmd = {
            "l1": "landing.repo.bind?" + landing,
            "l2": "landing.repo.bind?" + landing,
            "p1": "placement.bind?PLACEMENT=LEFT_MENU&HANDLER=" + handler,
            "e1": "event.bind?event=ONCRMDEALADD&handler=" + handler,
            "o1": "app.option.set?options[a]=1",
            "u1": "landing.repo.unbind?code=LANDING_SETTINGS&handler=" + handler,
            "u2": "landing.repo.unbind?code=LANDING_SETTINGS",
            "p2": "placement.unbind?PLACEMENT=LEFT_MENU&HANDLER=" + handler,
            "e2": "event.unbind?event=ONCRMDEALADD&handler=" + handler,
        }
        status, answer = self.rest("m00018", "batch", {"cmd": cmd, "halt": 0})
        self.assertEqual(status, 200, answer)
        batch = answer["result"]
        self.assertEqual(batch["result_error"], {
            "l2": {"error": "PLACEMENT_EXIST", "error_description": "Such embedding placement already exists"},
            "u2": {"error": "PLACEMENT_NO_EXIST", "error_description": "Such embedding placement does not exist"}})
        self.assertIsInstance(batch["result"]["l1"], int)
        self.assertEqual((batch["result"]["u1"], batch["result"]["p2"], batch["result"]["e2"]),
                         (True, {"count": 1}, {"count": 1}))
        self.assertEqual(self.bind("m00019", "LANDING_BLOCK_*", "https://h/l")[0], 200)
        stats = self.control("stats")
        writes = {"landing.repo.bind": 1, "landing.repo.unbind": 1, "placement.bind": 1, "placement.unbind": 1,
                  "event.bind": 1, "event.unbind": 1, "app.option.set": 1}
        self.assertEqual(stats["writes_by_portal_method"], {"m00018": writes, "m00019": {"landing.repo.bind": 1}})
        self.assertEqual(stats["writes_by_method"], dict(writes, **{"landing.repo.bind": 2}))
        self.assertEqual((stats["writes_total"], stats["writes_by_portal"]), (8, {"m00018": 7, "m00019": 1}))
        self.assertEqual((stats["methods"]["landing.repo.bind"], stats["methods"]["landing.repo.unbind"]), (3, 2))
        self.assertEqual(stats["errors_by_method"], {"landing.repo.bind": {"PLACEMENT_EXIST": 1},
                                                     "landing.repo.unbind": {"PLACEMENT_NO_EXIST": 1}})
        self.assertEqual(stats["errors_by_code"], {"PLACEMENT_EXIST": 1, "PLACEMENT_NO_EXIST": 1})
        self.assertEqual(stats["requests_total"], 2)

    def test_control_bind_and_unbind_landing(self):
        state = self.control("portal/m00020/bind", {"placement": "LANDING_BLOCK_*", "handler": "https://h/c",
                                                    "title": "Block"})
        self.assertEqual([(r["placement"], r["handler"], r["title"]) for r in state["landing_placements"]],
                         [("LANDING_BLOCK_*", "https://h/c", "Block")])
        self.assertFalse([p for p in state["placements"] if p["placement"].startswith("LANDING")])
        self.assertError(self.bind("m00020", "LANDING_BLOCK_*", "https://h/c"), 400, "PLACEMENT_EXIST")
        self.assertEqual(self.control("portal/m00020/unbind", {"placement": "landing_block_*"}), {"count": 1})
        self.assertEqual(self.landing("m00020"), [])
        self.assertEqual(self.bind("m00020", "LANDING_BLOCK_*", "https://h/c")[0], 200)

    def test_flaky_landing_write_applied_before_error(self):
        self.control("portal/m00014/scopes", {"scopes": ["landing"]})
        status, _ = self.bind("m00014", "LANDING_SETTINGS", "https://h/flaky")
        self.assertIn(status, (500, 502, 503))
        self.assertError(self.bind("m00014", "LANDING_SETTINGS", "https://h/flaky"), 400, "PLACEMENT_EXIST")

    def test_generated_portals_start_with_the_plans_landing_bindings(self):
        plan = {"app": "acme.dealsync", "version": "9.0.0", "scopes": ["crm", "placement", "landing"],
                "placements": [
                    {"placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/tab", "title": "Tab"},
                    {"placement": "LANDING_SETTINGS", "handler": "https://app.acme.example/ls", "title": "Site"},
                    {"placement": "LANDING_BLOCK_*", "handler": "https://app.acme.example/lb", "title": "Blocks"}],
                "events": [{"event": "ONCRMDEALADD", "handler": "https://app.acme.example/e"}]}
        plan_path = os.path.join(self.folder.name, "landing-plan.json")
        config_path = os.path.join(self.folder.name, "landing-farm.json")
        with open(plan_path, "w") as handle:
            json.dump(plan, handle)
        subprocess.run([sys.executable, "-B", FARM, "--generate", "2", "--seed", "4", "--scopes",
                        "crm,placement,landing", "--bind-from", plan_path, "--out", config_path], check=True)
        with open(config_path) as handle:
            portal = json.load(handle)["portals"][0]
        self.assertEqual([p["placement"] for p in portal["placements"]], ["CRM_DEAL_DETAIL_TAB"])
        self.assertEqual(portal["landing_placements"], [
            {"placement": "LANDING_SETTINGS", "handler": "https://app.acme.example/ls", "title": "Site"},
            {"placement": "LANDING_BLOCK_*", "handler": "https://app.acme.example/lb", "title": "Blocks"}])
        process, port = start_farm(config_path)
        try:
            base = "http://127.0.0.1:%d" % port

            def call(method, params):
                body = json.dumps(dict(params, auth=portal["access_token"])).encode()
                request = urllib.request.Request("%s/p/%s/rest/%s" % (base, portal["name"], method), body,
                                                 {"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        return response.status, json.loads(response.read())
                except urllib.error.HTTPError as error:
                    return error.code, json.loads(error.read())
            with urllib.request.urlopen(base + "/_farm/portal/m00001", timeout=10) as response:
                state = json.loads(response.read())
            self.assertEqual([(r["id"], r["placement"]) for r in state["landing_placements"]],
                             [(1, "LANDING_SETTINGS"), (2, "LANDING_BLOCK_*")])
            self.assertEqual([p["placement"] for p in call("placement.get", {})[1]["result"]], ["CRM_DEAL_DETAIL_TAB"])
            self.assertEqual(call("landing.repo.bind", {"fields": {"PLACEMENT": "LANDING_SETTINGS",
                                                                   "PLACEMENT_HANDLER": "https://app.acme.example/ls"}}),
                             (400, {"error": "PLACEMENT_EXIST",
                                    "error_description": "Such embedding placement already exists"}))
            self.assertEqual(call("landing.repo.bind", {"fields": {"PLACEMENT": "LANDING_BLOCK_*",
                                                                   "PLACEMENT_HANDLER": "https://app.acme.example/x"}})
                             [1]["result"], 3)
        finally:
            stop_farm(process)


if __name__ == "__main__":
    unittest.main()
