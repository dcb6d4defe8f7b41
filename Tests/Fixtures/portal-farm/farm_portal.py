"""One emulated portal: its installation state (tokens, scopes, placements, events, options),
its rate-limit bucket and its fault modes. REST semantics live in farm_methods.py."""

import random

from farm_catalogue import is_landing_code, kept_options, license_family, unknown_scopes
from farm_phpform import as_dict, php_array, upper_snake

FAULTS = {"expired_token", "dead_refresh", "deleted", "flaky_5xx", "slow", "rate_limited", "renamed",
          "not_installed", "missing_scope", "uninstalled", "operation_limit", "redirect_foreign",
          "redirect_insecure"}
REDIRECT_FAULTS = {"redirect_foreign", "redirect_insecure"}
FAULT_ALIASES = {"flaky": "flaky_5xx"}


class RestError(Exception):
    """A Bitrix24 error answer: `{"error": code, "error_description": text}` with an HTTP status."""

    def __init__(self, code, description, status=400, time_block=None):
        super().__init__(code)
        self.code = code
        self.description = description
        self.status = status
        self.time_block = time_block


class Portal:
    def __init__(self, spec, farm_config, index):
        self.member_id = str(spec["member_id"])
        self.name = str(spec.get("name") or self.member_id)
        faults = [FAULT_ALIASES.get(f, f) for f in spec.get("faults", [])]
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError("portal %s: unknown fault(s) %s" % (self.member_id, ", ".join(unknown)))
        self.faults = set(faults)
        self.new_name = None
        if "renamed" in self.faults:
            self.new_name = str(spec.get("new_name") or self.name + "-renamed")
        self.app_id = int(spec.get("app_id", index + 1))
        self.access_token = str(spec["access_token"])
        self.refresh_token = str(spec["refresh_token"])
        self.expires_at = int(spec.get("expires_at", 0))
        scopes = [str(s) for s in spec.get("scopes", [])]
        if unknown_scopes(scopes):
            raise ValueError("portal %s: unknown scope(s) %s" % (self.member_id, ", ".join(unknown_scopes(scopes))))
        if "missing_scope" in self.faults:
            newest = farm_config.get("newest_scope", "task")
            scopes = [s for s in scopes if s != newest]
        self.scopes = scopes
        self.license = str(spec.get("license", "ru_project"))
        self.license_type, self.license_family = license_family(self.license)
        self.enterprise = self.license_family == "ent"
        self.language = str(spec.get("language", "en"))
        self.installed = bool(spec.get("installed", True)) and "not_installed" not in self.faults
        self.status = str(spec.get("status", "P"))
        self.days = spec.get("days")
        self.payment_expired = str(spec.get("payment_expired", "N"))
        self.dynamic_types = [int(t) for t in spec.get("crm_dynamic_types", [])]
        self.unknown_methods = {str(m).lower() for m in spec.get("unknown_methods", [])}
        self.options = dict(as_dict(spec.get("options", {})))
        self.placements = []  # stored form, in binding order
        self.events = []
        self.landing = []  # landing.repo.bind bindings: {"id", "placement", "handler", "title"}
        self.landing_next_id = 1
        for item in list(spec.get("placements", [])) + list(spec.get("landing_placements", [])):
            self.bind_record(upper_snake(item))
        for item in spec.get("events", []):
            self.add_event(self.stored_event(upper_snake(item)))
        # rate limit: leaky bucket (level, monotonic time of that level)
        self.bucket = 0.0
        self.bucket_at = None
        self.limit = 250 if self.enterprise else 50
        self.drain = 5.0 if self.enterprise else 2.0
        # flaky_5xx
        self.flaky_rate = float(spec.get("flaky_rate", farm_config.get("flaky_rate", 0.3)))
        self.flaky_applied_share = float(spec.get("flaky_applied_share",
                                                  farm_config.get("flaky_applied_share", 0.5)))
        self.flaky_max_consecutive = int(spec.get("flaky_max_consecutive",
                                                  farm_config.get("flaky_max_consecutive", 2)))
        self.flaky_streak = 0
        self.rng = random.Random("%s:%s" % (farm_config.get("seed", 0), self.member_id))
        # operation_limit
        self.operation_limit_fired = False
        self.operation_blocked_until = 0

    # --- names -----------------------------------------------------------------------------------
    @property
    def current_name(self):
        return self.new_name or self.name

    # --- placements --------------------------------------------------------------------------------
    def stored_placement(self, params):
        """The record placement.bind keeps for upper-cased parameters (options filtered)."""
        code = str(params.get("PLACEMENT") or "").strip().upper()
        handler = str(params.get("HANDLER") or "").strip()
        given = as_dict(params.get("OPTIONS"))
        options = {key: given[key] for key in kept_options(code) if key in given}
        lang_all = {}
        for lang, entry in as_dict(params.get("LANG_ALL")).items():
            entry = upper_snake(entry)
            lang_all[str(lang)] = {"TITLE": entry.get("TITLE"), "DESCRIPTION": entry.get("DESCRIPTION"),
                                   "GROUP_NAME": entry.get("GROUP_NAME")}
        title = params.get("TITLE")
        description = params.get("DESCRIPTION")
        group_name = params.get("GROUP_NAME")
        if lang_all:
            chosen = lang_all.get(self.language) or next(iter(lang_all.values()))
            title = chosen["TITLE"] if chosen["TITLE"] not in (None, "") else title
            if chosen["DESCRIPTION"] is not None:
                description = chosen["DESCRIPTION"]
            if chosen["GROUP_NAME"] is not None:
                group_name = chosen["GROUP_NAME"]
        return {"placement": code, "userId": 0, "handler": handler, "options": options,
                "title": "" if title is None else str(title),
                "description": None if description is None else str(description),
                "groupName": None if group_name is None else str(group_name), "langAll": lang_all}

    def add_placement(self, record):
        self.placements.append(record)

    def bind_record(self, params):
        """A placement record from the config or /_farm/portal/<id>/bind (upper-cased keys): LANDING_*
        codes go to the landing store, the others to the placements."""
        code = str(params.get("PLACEMENT") or "").strip()
        if is_landing_code(code):
            handler = params.get("PLACEMENT_HANDLER", params.get("HANDLER"))
            self.add_landing(code, str(handler or "").strip(), params.get("TITLE"))
        else:
            self.add_placement(self.stored_placement(params))

    def find_placement(self, code, handler):
        for record in self.placements:
            if record["placement"] == code and record["handler"] == handler:
                return record
        return None

    def remove_placements(self, code, handler):
        """Removes the app's handlers of `code` (all of them when handler is empty); returns the count."""
        keep = [r for r in self.placements
                if not (r["placement"] == code and (not handler or r["handler"] == handler))]
        count = len(self.placements) - len(keep)
        self.placements = keep
        return count

    @staticmethod
    def placement_view(record):
        """One entry of placement.get."""
        return {"placement": record["placement"], "userId": record["userId"], "handler": record["handler"],
                "options": php_array(record["options"]), "title": record["title"],
                "description": record["description"], "langAll": php_array(record["langAll"])}

    # --- landing embeddings (landing.repo.bind) ---------------------------------------------------
    # The code is kept as given; the case of its letters does not matter (landing/embedding/block.md).
    def add_landing(self, code, handler, title=None):
        record = {"id": self.landing_next_id, "placement": str(code).strip(), "handler": handler,
                  "title": "" if title is None else str(title)}
        self.landing_next_id += 1
        self.landing.append(record)
        return record

    def find_landing(self, code, handler):
        code = str(code).strip().upper()
        for record in self.landing:
            if record["placement"].upper() == code and record["handler"] == handler:
                return record
        return None

    def remove_landing(self, code, handler=None):
        """Removes the bindings of `code` (all of them when handler is None); returns the count."""
        code = str(code).strip().upper()
        keep = [r for r in self.landing
                if not (r["placement"].upper() == code and (handler is None or r["handler"] == handler))]
        count = len(self.landing) - len(keep)
        self.landing = keep
        return count

    # --- events ----------------------------------------------------------------------------------
    @staticmethod
    def stored_event(params):
        name = str(params.get("EVENT") or "").strip().upper()
        offline = 1 if str(params.get("EVENT_TYPE") or "online").lower() == "offline" else 0
        auth_type = params.get("AUTH_TYPE")
        auth_type = "0" if auth_type in (None, "") else str(int(auth_type) if isinstance(auth_type, bool)
                                                             else auth_type)
        return {"event": name, "handler": str(params.get("HANDLER") or "").strip(),
                "auth_type": auth_type, "offline": offline}

    def add_event(self, record):
        self.events.append(record)

    def find_event(self, record):
        for existing in self.events:
            if all(existing[k] == record[k] for k in ("event", "handler", "auth_type", "offline")):
                return existing
        return None

    def remove_events(self, name, handler, auth_type=None, offline=None):
        def matches(r):
            return (r["event"] == name and (handler is None or r["handler"] == handler)
                    and (auth_type is None or r["auth_type"] == auth_type)
                    and (offline is None or r["offline"] == offline))
        keep = [r for r in self.events if not matches(r)]
        count = len(self.events) - len(keep)
        self.events = keep
        return count

    # --- rate limit ------------------------------------------------------------------------------
    def admit(self, now):
        """Leaky bucket: adds 1 unless that would pass the limit; returns (admitted, level)."""
        if self.bucket_at is None:
            self.bucket = float(self.limit) if "rate_limited" in self.faults else 0.0
            self.bucket_at = now
        level = max(0.0, self.bucket - (now - self.bucket_at) * self.drain)
        self.bucket_at = now
        if level + 1.0 > self.limit:
            self.bucket = level
            return False, level
        self.bucket = level + 1.0
        return True, self.bucket

    def bucket_level(self, now):
        if self.bucket_at is None:
            return 0.0
        return max(0.0, self.bucket - (now - self.bucket_at) * self.drain)

    # --- state for /_farm/portal/<member_id> -----------------------------------------------------
    def describe(self, farm):
        return {
            "member_id": self.member_id, "name": self.name, "current_name": self.current_name,
            "client_endpoint": farm.endpoint(self.current_name), "original_endpoint": farm.endpoint(self.name),
            "access_token": self.access_token, "refresh_token": self.refresh_token,
            "expires_at": self.expires_at, "scopes": list(self.scopes), "license": self.license,
            "enterprise": self.enterprise, "language": self.language, "installed": self.installed,
            "faults": sorted(self.faults), "placements": [dict(r) for r in self.placements],
            "landing_placements": [dict(r) for r in self.landing],
            "events": [dict(r) for r in self.events], "options": dict(self.options),
            "bucket": round(self.bucket_level(farm.monotonic()), 3),
        }
