"""Farm configuration: the deterministic generator (`--generate`) and the installations table
(`--sqlite` / `--postgres`), which is filled once the farm knows its port."""

import hashlib
import json
import random
import re

import farm_db
from farm_catalogue import is_landing_code, unknown_scopes
from farm_portal import FAULT_ALIASES, FAULTS

VALID_UNTIL = 4102444800  # 2100-01-01: generated tokens do not expire on their own
EXPIRED_AT = 946684800  # 2000-01-01: the `expired_token` fault

# The sample app's first release (plans/acme.dealsync/1.0.0.json), installed on every portal.
DEFAULT_PLACEMENTS = [{
    "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/placements/deal-tab",
    "title": "DealSync", "description": "Items linked to this deal",
    "langAll": {"en": {"title": "DealSync", "description": "Items linked to this deal"},
                "ru": {"title": "DealSync", "description": "Связанные со сделкой элементы"}},
}]
DEFAULT_EVENTS = [{"event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/events/crm-deal",
                   "event_type": "online", "auth_type": 0}]


def parse_faults(text):
    """`"deleted=0.05,slow=3"` -> {"deleted": ("share", 0.05), "slow": ("count", 3)}."""
    result = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        name, sep, value = item.partition("=")
        name = FAULT_ALIASES.get(name.strip(), name.strip())
        if name not in FAULTS:
            raise ValueError("unknown fault %r (known: %s)" % (name, ", ".join(sorted(FAULTS))))
        value = value.strip() if sep else "1.0"
        if re.fullmatch(r"\d+", value):
            result[name] = ("count", int(value))
        else:
            share = float(value)
            if not 0.0 <= share <= 1.0:
                raise ValueError("share for %s must be within 0..1" % name)
            result[name] = ("share", share)
    return result


def _digest(*parts):
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()


def _chosen(n, seed, label, amount):
    kind, value = amount
    count = min(n, value if kind == "count" else int(round(value * n)))
    return set(random.Random("%s:%s" % (seed, label)).sample(range(n), count))


def plan_bindings(path):
    """Placements and events of a b24plan release plan, in the farm's config form. LANDING_* placements
    stay in the list; generate() moves them to `landing_placements` (bound through landing.repo.bind)."""
    with open(path, encoding="utf-8") as handle:
        plan = json.load(handle)
    placements = [dict(p) for p in plan.get("placements", [])]
    events = [{"event": e["event"], "handler": e.get("handler", ""),
               "event_type": e.get("eventType", "online"), "auth_type": e.get("authType", 0)}
              for e in plan.get("events", [])]
    return placements, events


def _landing_record(placement):
    """A plan's LANDING_* placement as a landing.repo.bind binding: code, handler, title."""
    return {"placement": placement["placement"],
            "handler": placement.get("handler", placement.get("placementHandler", "")),
            "title": placement.get("title", "")}


def generate(n, seed=1, faults="", scopes=("crm", "placement", "task"), newest_scope="task",
             enterprise=0.1, languages=("en",), bindings=None, app_code="acme.dealsync", app_version="1",
             unknown_methods=(), flaky_rate=0.3, access_ttl=None):
    """A config of n portals: member ids m00001…, tokens and faults all derived from the seed.
    `access_ttl` (seconds, float): every access token the farm issues, the initial ones too, lives that long."""
    if unknown_scopes(scopes):
        raise ValueError("unknown scope(s) %s" % ", ".join(unknown_scopes(scopes)))
    fault_spec = parse_faults(faults)
    by_fault = {name: _chosen(n, seed, name, amount) for name, amount in fault_spec.items()}
    enterprise_set = _chosen(n, seed, "licence", ("share", enterprise))
    placements, events = bindings if bindings is not None else (DEFAULT_PLACEMENTS, DEFAULT_EVENTS)
    landing = [_landing_record(p) for p in placements if is_landing_code(p.get("placement", ""))]
    placements = [p for p in placements if not is_landing_code(p.get("placement", ""))]
    width = max(5, len(str(n)))
    portals = []
    for index in range(n):
        member_id = "m%0*d" % (width, index + 1)
        name = "portal-%0*d" % (width, index + 1)
        portal_faults = sorted(f for f, chosen in by_fault.items() if index in chosen)
        portal = {
            "member_id": member_id, "name": name,
            "access_token": _digest(seed, member_id, "access", 0)[:48],
            "refresh_token": _digest(seed, member_id, "refresh", 0)[:48],
            "expires_at": EXPIRED_AT if "expired_token" in portal_faults else VALID_UNTIL,
            "scopes": list(scopes), "license": "ru_ent10000" if index in enterprise_set else "ru_project",
            "language": languages[index % len(languages)], "installed": True,
            "placements": placements, "events": events, "faults": portal_faults,
        }
        if landing:
            portal["landing_placements"] = landing
        if "renamed" in portal_faults:
            portal["new_name"] = name + "-renamed"
        portals.append(portal)
    config = {
        "seed": seed, "client_id": "local.farm%s" % _digest(seed, "client")[:12],
        "client_secret": _digest(seed, "secret")[:40], "latency_ms": 0,
        "app": {"code": app_code, "version": str(app_version)}, "newest_scope": newest_scope,
        "flaky_rate": flaky_rate, "flaky_applied_share": 0.5, "flaky_max_consecutive": 2,
        "unknown_methods": list(unknown_methods),
    }
    if access_ttl is not None:
        if not access_ttl > 0:
            raise ValueError("access_ttl must be positive")
        config["access_ttl"] = float(access_ttl)
    config["portals"] = portals
    return config


def load(path):
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    if not isinstance(config, dict) or not isinstance(config.get("portals"), list):
        raise ValueError("%s: expected an object with a \"portals\" list" % path)
    return config


def write_installations(path, farm, table="portals"):
    """Creates (if needed) and fills the app's installations table in SQLite; the farm's state wins."""
    store = farm_db.SqliteTable(path, table)
    try:
        store.fill(farm_db.fill_rows(farm))
    finally:
        store.close()


def write_installations_postgres(url, farm, table="portals"):
    """The same table in PostgreSQL, filled by one `psql` run (COPY into a temporary table, one upsert)."""
    farm_db.PsqlTable(url, table).fill(farm_db.fill_rows(farm))
