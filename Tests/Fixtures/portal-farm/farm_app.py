"""The farm: routes HTTP requests to portals (REST), the OAuth token endpoint and /_farm control,
and answers the "foreign host" (a second listener that redirected clients must not trust).

Order of a REST request: name lookup (302 for a renamed portal's old name) -> statistics ->
redirect_foreign / redirect_insecure (302) -> `deleted` (500) -> rate limit (503) -> latency ->
flaky_5xx -> auth -> method.
"""

import asyncio
import collections
import datetime
import hashlib
import json
import math
import re
import sys
import time
import traceback

import farm_methods
from farm_http import Response
from farm_catalogue import is_landing_code, unknown_scopes
from farm_phpform import encode, parse_query, upper_snake
from farm_portal import FAULT_ALIASES, FAULTS, REDIRECT_FAULTS, Portal, RestError

INSECURE_HOST = "evil.example"  # redirect_insecure's target: nothing listens there
_TOKEN_LIKE = re.compile(rb"[A-Za-z0-9_.~-]{16,}")
_HTML_5XX = {
    500: b"<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>",
    502: b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    503: b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
}


class Stats:
    def __init__(self):
        self.reset()

    def reset(self):
        self.requests_total = 0
        self.requests_by_portal = collections.Counter()
        self.windows = {}
        self.max_rate_window = {}
        self.max_bucket = {}
        self.errors_by_code = collections.Counter()
        self.query_limit_exceeded_by_portal = collections.Counter()
        self.writes_total = 0
        self.writes_by_portal = collections.Counter()
        self.writes_by_method = collections.Counter()
        self.writes_by_portal_method = collections.defaultdict(collections.Counter)
        self.methods = collections.Counter()
        self.errors_by_method = collections.defaultdict(collections.Counter)
        self.redirects_total = 0
        self.redirects_foreign_total = 0
        self.redirects_insecure_total = 0
        self.foreign_requests_total = 0
        self.foreign_tokens_received = 0
        self.foreign_secrets_received = 0
        self.flaky_injected = 0
        self.flaky_applied = 0
        self.oauth_requests_total = 0
        self.refreshes_total = 0
        self.refreshes_by_portal = collections.Counter()
        self.oauth_errors_by_code = collections.Counter()
        self.started = time.monotonic()

    def request(self, member_id, now):
        self.requests_total += 1
        self.requests_by_portal[member_id] += 1
        window = self.windows.get(member_id)
        if window is None:
            window = self.windows[member_id] = collections.deque()
        window.append(now)
        while window[0] <= now - 1.0:
            window.popleft()
        if len(window) > self.max_rate_window.get(member_id, 0):
            self.max_rate_window[member_id] = len(window)

    def bucket(self, member_id, level):
        if level > self.max_bucket.get(member_id, 0.0):
            self.max_bucket[member_id] = level

    def error(self, code):
        self.errors_by_code[code] += 1

    def method(self, name):
        self.methods[name] += 1

    def method_error(self, name, code):
        self.errors_by_method[name][code] += 1

    def write(self, portal, method):
        """A successful write (bind, unbind, option.set), batch commands one by one."""
        self.writes_total += 1
        self.writes_by_portal[portal.member_id] += 1
        self.writes_by_method[method] += 1
        self.writes_by_portal_method[portal.member_id][method] += 1

    def oauth_error(self, code):
        self.oauth_errors_by_code[code] += 1

    def document(self):
        return {
            "requests_total": self.requests_total,
            "requests_by_portal": dict(self.requests_by_portal),
            "max_rate_window": dict(self.max_rate_window),
            "max_bucket": {k: round(v, 3) for k, v in self.max_bucket.items()},
            "errors_by_code": dict(self.errors_by_code),
            "query_limit_exceeded_by_portal": dict(self.query_limit_exceeded_by_portal),
            "writes_total": self.writes_total,
            "writes_by_portal": dict(self.writes_by_portal),
            "writes_by_method": dict(self.writes_by_method),
            "writes_by_portal_method": {k: dict(v) for k, v in self.writes_by_portal_method.items()},
            "methods": dict(self.methods),
            "errors_by_method": {k: dict(v) for k, v in self.errors_by_method.items()},
            "redirects_total": self.redirects_total,
            "redirects_foreign_total": self.redirects_foreign_total,
            "redirects_insecure_total": self.redirects_insecure_total,
            "foreign_requests_total": self.foreign_requests_total,
            "foreign_tokens_received": self.foreign_tokens_received,
            "foreign_secrets_received": self.foreign_secrets_received,
            "flaky_injected": self.flaky_injected,
            "flaky_applied": self.flaky_applied,
            "oauth_requests_total": self.oauth_requests_total,
            "refreshes_total": self.refreshes_total,
            "refreshes_by_portal": dict(self.refreshes_by_portal),
            "oauth_errors": sum(self.oauth_errors_by_code.values()),
            "oauth_errors_by_code": dict(self.oauth_errors_by_code),
            "seconds": round(time.monotonic() - self.started, 3),
        }


class Farm:
    def __init__(self, config, log_requests=False):
        self.config = config
        self.seed = config.get("seed", 0)
        self.client_id = str(config.get("client_id", "local.farm"))
        self.client_secret = str(config.get("client_secret", "farm-secret"))
        self.latency = float(config.get("latency_ms", 0)) / 1000.0
        self.slow = float(config.get("slow_ms", 200)) / 1000.0
        self.token_ttl = int(config.get("access_token_ttl", 3600))
        # access_ttl: every access token, the initial ones too, lives this long (float seconds)
        self.access_ttl = float(config["access_ttl"]) if config.get("access_ttl") is not None else None
        if self.access_ttl is not None and not self.access_ttl > 0:
            raise ValueError("access_ttl must be positive")
        self.app = dict(config.get("app", {"code": "acme.dealsync", "version": "1"}))
        self.unknown_methods = {str(m).lower() for m in config.get("unknown_methods", [])}
        self.extra_placements = dict(config.get("extra_placements", {}))
        self.extra_events = {k.upper(): v for k, v in config.get("extra_events", {}).items()}
        self.im_requires_scope = bool(config.get("im_requires_scope", True))
        self.php_slashes = bool(config.get("php_slashes", True))
        self.operation_limit_seconds = float(config.get("operation_limit_seconds", 1))
        self.operation_limit_batch = str(config.get("operation_limit_batch", "request"))
        self.log_requests = log_requests
        self.port = 0
        self.foreign_port = 0
        self.stats = Stats()
        self.stopped = asyncio.Event()
        self.portals = {}
        self.by_name = {}
        self.by_old_name = {}
        self.access = {}  # access token -> [portal, expires_at (float)]
        self.refresh = {}  # live refresh token -> portal
        self.used_refresh = set()
        now = time.time()
        for index, spec in enumerate(config.get("portals", [])):
            portal = Portal(spec, config, index)
            if portal.member_id in self.portals:
                raise ValueError("duplicate member_id %s" % portal.member_id)
            expires_at = portal.expires_at
            if "expired_token" in portal.faults:
                expires_at = portal.expires_at = min(portal.expires_at, int(now) - 60)
            elif self.access_ttl is not None:
                expires_at = now + self.access_ttl
                portal.expires_at = int(math.ceil(expires_at))
            portal.generation = 0
            self.portals[portal.member_id] = portal
            self.by_name[portal.current_name] = portal
            if portal.new_name:
                self.by_old_name[portal.name] = portal
            self.access[portal.access_token] = [portal, expires_at]
            self.refresh[portal.refresh_token] = portal

    # --- helpers ---------------------------------------------------------------------------------
    monotonic = staticmethod(time.monotonic)

    def endpoint(self, name):
        return "http://127.0.0.1:%d/p/%s/rest/" % (self.port, name)

    def stop(self):
        self.stopped.set()

    def time_block(self, start, operating=0, reset_at=None):
        finish = time.time()
        return {"start": round(start, 6), "finish": round(finish, 6), "duration": round(finish - start, 6),
                "processing": round(finish - start, 6), "date_start": _iso(start), "date_finish": _iso(finish),
                "operating": operating, "operating_reset_at": reset_at if reset_at is not None else int(start) + 600}

    def json(self, status, document, headers=None):
        return Response(status, encode(document, self.php_slashes), headers=headers)

    def error(self, status, code, description, time_block=None):
        self.stats.error(code)
        document = {"error": code, "error_description": description}
        if time_block:
            document["time"] = time_block
        return self.json(status, document)

    # --- entry point -----------------------------------------------------------------------------
    async def handle(self, request):
        try:
            path = request.path
            if path.startswith("/p/"):
                response = await self.rest(request)
            elif path.startswith("/oauth/token"):
                response = self.oauth(request)
            elif path.startswith("/_farm/"):
                response = self.control(request)
            else:
                response = self.json(404, {"error": "NOT_FOUND", "error_description": "Unknown path"})
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = self.json(500, {"error": "FARM_INTERNAL_ERROR", "error_description": "see farm stderr"})
        if self.log_requests:
            print("%s %s -> %d" % (request.method, request.path, response.status), file=sys.stderr)
        return response

    # --- REST ------------------------------------------------------------------------------------
    async def rest(self, request):
        name, _, tail = request.path[3:].partition("/")
        if not tail.startswith("rest/"):
            return self.json(404, {"error": "NOT_FOUND", "error_description": "Unknown path"})
        method = farm_methods.normalize_method(tail[5:])
        portal = self.by_name.get(name)
        now = time.monotonic()
        if portal is None:
            portal = self.by_old_name.get(name)
            if portal is None:
                return self.json(404, {"error": "NOT_FOUND", "error_description": "Portal not found"})
            self.stats.request(portal.member_id, now)
            self.stats.redirects_total += 1
            location = self.endpoint(portal.current_name) + tail[5:] + ("?" + request.query if request.query else "")
            return Response(302, b"", "text/html", headers={"Location": location})
        started = time.time()
        self.stats.request(portal.member_id, now)
        if portal.faults and not portal.faults.isdisjoint(REDIRECT_FAULTS):
            return self._redirect_away(portal, tail[5:])
        delay = self.latency + (self.slow if "slow" in portal.faults else 0.0)
        if "deleted" in portal.faults:
            await _sleep(delay)
            return self.error(500, "PORTAL_DELETED", "Portal was deleted")
        admitted, level = portal.admit(now)
        if admitted:
            self.stats.bucket(portal.member_id, level)
        await _sleep(delay)
        if not admitted:
            self.stats.query_limit_exceeded_by_portal[portal.member_id] += 1
            return self.error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
        flaky_status, flaky_applied = self._flaky(portal)
        if flaky_status and not flaky_applied:
            return self._flaky_response(portal, flaky_status)
        response = self._rest_call(request, portal, method, started)
        if flaky_status:
            self.stats.flaky_applied += 1
            return self._flaky_response(portal, flaky_status)
        return response

    def _redirect_away(self, portal, method_path):
        """302 to the foreign listener (redirect_foreign) or to an http:// host (redirect_insecure).
        The query is not carried over: it may hold the token."""
        self.stats.redirects_total += 1
        if "redirect_foreign" in portal.faults:
            self.stats.redirects_foreign_total += 1
            host = "127.0.0.1:%d" % self.foreign_port
        else:
            self.stats.redirects_insecure_total += 1
            host = INSECURE_HOST
        location = "http://%s/p/%s/rest/%s" % (host, portal.current_name, method_path)
        return Response(302, b"", "text/html", headers={"Location": location})

    def _rest_call(self, request, portal, method, started):
        try:
            params = self._params(request)
            self._authenticate(request, portal, params)
            result = farm_methods.call(farm_methods.Context(self, portal), method, params)
        except RestError as error:
            return self.error(error.status, error.code, error.description, error.time_block)
        return self.json(200, {"result": result, "time": self.time_block(started)})

    def _params(self, request):
        params = parse_query(request.query) if request.query else {}
        if request.body:
            content_type = request.headers.get("content-type", "").lower()
            if "json" in content_type or (not content_type and request.body[:1] in (b"{", b"[")):
                try:
                    body = json.loads(request.body)
                except ValueError:
                    raise RestError("ERROR_ARGUMENT", "Request body is not valid JSON", 400)
                if isinstance(body, dict):
                    params.update(body)
            else:
                params.update(parse_query(request.body.decode("utf-8", "replace")))
        return params

    def _authenticate(self, request, portal, params):
        token = params.pop("auth", None)
        header = request.headers.get("authorization", "")
        if not token and header[:7].lower() == "bearer ":
            token = header[7:].strip()
        if "uninstalled" in portal.faults:
            raise RestError("APPLICATION_NOT_FOUND", "Application not found", 401)
        if not token:
            raise RestError("NO_AUTH_FOUND", "Wrong authorization data", 401)
        entry = self.access.get(str(token))
        if entry is None or entry[0] is not portal:
            raise RestError("invalid_token", "The access token provided is invalid.", 401)
        if entry[1] <= time.time():
            raise RestError("expired_token", "The access token provided has expired.", 401)

    def _flaky(self, portal):
        """(status, applied) when this request is to fail with a 5xx, else (None, False)."""
        if "flaky_5xx" not in portal.faults:
            return None, False
        rng = portal.rng
        if portal.flaky_streak < portal.flaky_max_consecutive and rng.random() < portal.flaky_rate:
            portal.flaky_streak += 1
            return rng.choice((500, 502, 503)), rng.random() < portal.flaky_applied_share
        portal.flaky_streak = 0
        return None, False

    def _flaky_response(self, portal, status):
        self.stats.flaky_injected += 1
        self.stats.error("HTTP_%d" % status)
        body = _HTML_5XX[status] if portal.rng.random() < 0.5 else b""
        return Response(status, body, "text/html")

    # --- OAuth -----------------------------------------------------------------------------------
    def oauth(self, request):
        self.stats.oauth_requests_total += 1
        params = parse_query(request.query) if request.query else {}
        if request.method == "POST" and request.body:
            if "json" in request.headers.get("content-type", "").lower():
                try:
                    body = json.loads(request.body)
                except ValueError:
                    body = {}
                params.update(body if isinstance(body, dict) else {})
            else:
                params.update(parse_query(request.body.decode("utf-8", "replace")))
        if params.get("grant_type") != "refresh_token":
            return self._oauth_error(400, "unsupported_grant_type", "Only grant_type=refresh_token is supported")
        if params.get("client_id") != self.client_id or params.get("client_secret") != self.client_secret:
            return self._oauth_error(401, "invalid_client", "Invalid client credentials")
        token = str(params.get("refresh_token") or "")
        portal = self.refresh.get(token)
        if portal is None:
            reason = "The refresh token was already used" if token in self.used_refresh else "Invalid refresh token"
            return self._oauth_error(400, "invalid_grant", reason)
        if "deleted" in portal.faults:
            return self._oauth_error(404, "NOT_FOUND", "Portal not found")
        if "uninstalled" in portal.faults:
            return self._oauth_error(401, "invalid_client", "Application is not installed on this portal")
        if "dead_refresh" in portal.faults:
            return self._oauth_error(400, "invalid_grant", "The refresh token has expired")
        del self.refresh[token]
        self.used_refresh.add(token)
        portal.generation += 1
        portal.access_token = self._token(portal, "access")
        portal.refresh_token = self._token(portal, "refresh")
        life = self.access_ttl if self.access_ttl is not None else self.token_ttl
        expires_at = time.time() + life
        portal.expires_at = int(math.ceil(expires_at))
        self.access[portal.access_token] = [portal, expires_at]
        self.refresh[portal.refresh_token] = portal
        self.stats.refreshes_total += 1
        self.stats.refreshes_by_portal[portal.member_id] += 1
        return self.json(200, {
            "access_token": portal.access_token, "expires": portal.expires_at,
            "expires_in": max(1, int(math.ceil(life))),
            "scope": ",".join(portal.scopes), "domain": "oauth.bitrix.info",
            "server_endpoint": "http://127.0.0.1:%d/rest/" % self.port, "status": "L",
            "client_endpoint": self.endpoint(portal.current_name), "member_id": portal.member_id,
            "user_id": 1, "refresh_token": portal.refresh_token,
        })

    def _token(self, portal, kind):
        text = "%s:%s:%s:%d" % (self.seed, portal.member_id, kind, portal.generation)
        return hashlib.sha256(text.encode()).hexdigest()[:48]

    def _oauth_error(self, status, code, description):
        self.stats.oauth_error(code)
        return self.json(status, {"error": code, "error_description": description})

    # --- /_farm control --------------------------------------------------------------------------
    def control(self, request):
        parts = [p for p in request.path[len("/_farm/"):].split("/") if p]
        body = {}
        if request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                return self.json(400, {"error": "bad JSON body"})
        if parts == ["stats"]:
            document = self.stats.document()
            document["foreign_port"] = self.foreign_port
            return self.json(200, document)
        if parts == ["health"]:
            return self.json(200, {"ok": True, "portals": len(self.portals), "port": self.port,
                                   "foreign_port": self.foreign_port})
        if parts == ["tokens"]:
            return self.json(200, self.tokens())
        if parts == ["reset-stats"]:
            self.stats.reset()
            return self.json(200, {"ok": True})
        if parts == ["shutdown"]:
            asyncio.get_running_loop().call_later(0.1, self.stop)
            return self.json(200, {"ok": True}, headers={"Connection": "close"})
        if len(parts) >= 2 and parts[0] == "portal":
            portal = self.portals.get(parts[1])
            if portal is None:
                return self.json(404, {"error": "unknown member_id"})
            action = parts[2] if len(parts) > 2 else ""
            return self._control_portal(portal, action, body if isinstance(body, dict) else {})
        return self.json(404, {"error": "unknown control path"})

    def tokens(self):
        """member_id -> the farm's current tokens: the only refresh token that still works, whether the
        current access token is unexpired, and whether the token endpoint would accept the refresh
        token (not for `deleted`, `uninstalled`, `dead_refresh`)."""
        now = time.time()
        document = {}
        for portal in self.portals.values():
            entry = self.access.get(portal.access_token)
            document[portal.member_id] = {
                "refresh_token": portal.refresh_token, "access_token": portal.access_token,
                "access_valid": entry is not None and entry[1] > now, "expires_at": portal.expires_at,
                "refresh_usable": not portal.faults & {"deleted", "uninstalled", "dead_refresh"},
            }
        return document

    def _control_portal(self, portal, action, body):
        if action == "":
            return self.json(200, portal.describe(self))
        if action == "unbind":
            if "placement" in body and is_landing_code(body["placement"]):
                handler = body.get("handler")
                count = portal.remove_landing(str(body["placement"]), None if handler in (None, "") else str(handler))
            elif "placement" in body:
                count = portal.remove_placements(str(body["placement"]).upper(), str(body.get("handler") or ""))
            else:
                handler = body.get("handler")
                count = portal.remove_events(str(body.get("event", "")).upper(), handler)
            return self.json(200, {"count": count})
        if action == "bind":
            params = upper_snake(body)
            if "PLACEMENT" in params:
                portal.bind_record(params)
            else:
                portal.add_event(portal.stored_event(params))
            return self.json(200, portal.describe(self))
        if action == "scopes":
            scopes = [str(s) for s in body.get("scopes", [])]
            if unknown_scopes(scopes):
                return self.json(400, {"error": "unknown scopes %s" % unknown_scopes(scopes)})
            portal.scopes = scopes
            return self.json(200, portal.describe(self))
        if action == "faults":
            faults = {FAULT_ALIASES.get(f, f) for f in body.get("faults", [])}
            if faults - FAULTS:
                return self.json(400, {"error": "unknown faults %s" % sorted(faults - FAULTS)})
            portal.faults = faults
            return self.json(200, portal.describe(self))
        if action == "expire-token":
            for entry in self.access.values():
                if entry[0] is portal:
                    entry[1] = min(entry[1], int(time.time()) - 1)
            portal.expires_at = min(portal.expires_at, int(time.time()) - 1)
            return self.json(200, portal.describe(self))
        if action == "installed":
            portal.installed = bool(body.get("installed", True))
            return self.json(200, portal.describe(self))
        return self.json(404, {"error": "unknown portal action"})


    # --- the foreign host ------------------------------------------------------------------------
    async def foreign(self, request):
        """The second listener: a hostile host that answers everything with success and counts what
        it was sent. A correct client never sends it a token or the client secret."""
        self.stats.foreign_requests_total += 1
        if self._carries_token(request):
            self.stats.foreign_tokens_received += 1
        if self.client_secret and any(self.client_secret.encode() in part for part in self._raw_parts(request)):
            self.stats.foreign_secrets_received += 1
        if self.log_requests:
            print("foreign %s %s -> 200" % (request.method, request.path), file=sys.stderr)
        return Response(200, b'{"result":true}')

    def _carries_token(self, request):
        """An `auth` parameter (query, JSON or form body), an Authorization header, or any token this
        farm ever issued anywhere in the request."""
        if request.headers.get("authorization", "").strip():
            return True
        try:
            if self._params(request).get("auth") not in (None, ""):
                return True
        except RestError:
            pass
        for part in self._raw_parts(request):
            for word in _TOKEN_LIKE.findall(part):
                text = word.decode("ascii")
                if text in self.access or text in self.refresh or text in self.used_refresh:
                    return True
        return False

    @staticmethod
    def _raw_parts(request):
        return (request.path.encode("latin-1"), request.query.encode("latin-1"),
                "\n".join(request.headers.values()).encode("latin-1", "replace"), request.body)


async def _sleep(delay):
    if delay > 0:
        await asyncio.sleep(delay)


def _iso(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat(timespec="seconds")
