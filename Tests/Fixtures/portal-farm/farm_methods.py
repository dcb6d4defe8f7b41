"""The REST methods of an emulated portal, and `batch`.

Each method takes (ctx, params) and returns its `result` or raises RestError. Shapes and errors
follow /work/shared/BITRIX24.md.
"""

import math
import time

from farm_catalogue import (ICON_REQUIRED, LANDING_SCOPE, ONE_HANDLER_PLACEMENTS, PLACEMENT_SCOPE, SCOPES,
                            event_scope, is_landing_code, landing_code_known, method_scope, placement_scope)
from farm_phpform import as_dict, parse_query, php_array, truthy, upper_keys
from farm_portal import RestError

WRITE_METHODS = {"placement.bind", "placement.unbind", "event.bind", "event.unbind", "app.option.set",
                 "landing.repo.bind", "landing.repo.unbind"}
NEEDS_SCOPE = {"placement.bind": "placement", "placement.unbind": "placement", "placement.get": "placement",
               "placement.list": "placement", "landing.repo.bind": LANDING_SCOPE,
               "landing.repo.unbind": LANDING_SCOPE}
BATCH_LIMIT = 50


class Context:
    """One HTTP request to one portal."""

    def __init__(self, farm, portal):
        self.farm = farm
        self.portal = portal


def has_scope(portal, scope):
    """Whether the portal's token holds `scope` (None: nothing needed; a tuple: any one of them)."""
    if scope is None:
        return True
    if isinstance(scope, tuple):
        return any(has_scope(portal, one) for one in scope)
    if scope in portal.scopes:
        return True
    return scope == "task" and "tasks" in portal.scopes


def normalize_method(name):
    name = str(name).strip().strip("/").lower()
    return name[:-5] if name.endswith(".json") else name


def call(ctx, method, params):
    """Runs one method (top level or inside a batch); counts writes."""
    farm, portal = ctx.farm, ctx.portal
    if method in farm.unknown_methods or method in portal.unknown_methods or method not in METHODS:
        raise RestError("ERROR_METHOD_NOT_FOUND", "Method not found!", 404)
    needed = NEEDS_SCOPE.get(method)
    if needed and not has_scope(portal, needed):
        raise RestError("insufficient_scope",
                        "The request requires higher privileges than provided by the access token", 403)
    farm.stats.method(method)
    try:
        result = METHODS[method](ctx, params)
    except RestError as error:
        farm.stats.method_error(method, error.code)
        raise
    if method in WRITE_METHODS:
        farm.stats.write(portal, method)
    return result


# --- app, scope, method ----------------------------------------------------------------------------

def app_info(ctx, params):
    portal, app = ctx.portal, ctx.farm.app
    version = str(app.get("version", "1"))
    return {"ID": portal.app_id, "CODE": app.get("code", "acme.dealsync"),
            "VERSION": int(version) if version.isdigit() else version, "STATUS": portal.status,
            "INSTALLED": portal.installed, "PAYMENT_EXPIRED": portal.payment_expired, "DAYS": portal.days,
            "LANGUAGE_ID": portal.language, "LICENSE": portal.license, "LICENSE_TYPE": portal.license_type,
            "LICENSE_FAMILY": portal.license_family}


def scope(ctx, params):
    if truthy(params.get("full")):
        return sorted(SCOPES)
    return list(ctx.portal.scopes)


def method_get(ctx, params):
    name = normalize_method(params.get("name") or params.get("NAME") or params.get("method") or "")
    existing = bool(name) and name not in ctx.farm.unknown_methods and name not in ctx.portal.unknown_methods
    if name == "batch" or name in METHODS:
        available = existing and has_scope(ctx.portal, NEEDS_SCOPE.get(name))
    else:
        available = existing and has_scope(ctx.portal, method_scope(name))
    return {"isExisting": existing, "isAvailable": available}


def app_option_set(ctx, params):
    options = as_dict(params.get("options", params.get("OPTIONS")))
    if not options:
        raise RestError("ERROR_ARGUMENT", "Wrong option list: 'options' is empty", 400)
    ctx.portal.options.update(options)
    return True


def app_option_get(ctx, params):
    name = params.get("option", params.get("OPTION"))
    if name not in (None, ""):
        return ctx.portal.options.get(str(name))
    return php_array(ctx.portal.options)


# --- placements ------------------------------------------------------------------------------------

def _check_operation_limit(ctx):
    """`operation_limit`: the first placement.bind blocks the method for ~1 s (429, no Retry-After)."""
    portal = ctx.portal
    if "operation_limit" not in portal.faults:
        return
    now = time.time()
    if not portal.operation_limit_fired:
        portal.operation_limit_fired = True
        portal.operation_blocked_until = math.ceil(now + ctx.farm.operation_limit_seconds)
    if now < portal.operation_blocked_until:
        block = ctx.farm.time_block(now, operating=480.5, reset_at=portal.operation_blocked_until)
        raise RestError("OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.", 429, block)


def placement_bind(ctx, raw):
    portal, farm = ctx.portal, ctx.farm
    _check_operation_limit(ctx)
    params = upper_keys(raw)
    code = str(params.get("PLACEMENT") or "").strip().upper()
    known, needed = placement_scope(code, portal.dynamic_types, farm.im_requires_scope, farm.extra_placements)
    if not code or not known or is_landing_code(code) or not has_scope(portal, needed):
        raise RestError("ERROR_PLACEMENT_NOT_FOUND", "Placement not found", 400)
    if not str(params.get("HANDLER") or "").strip():
        raise RestError("ERROR_ARGUMENT", "Argument 'HANDLER' is null or empty", 400)
    options = as_dict(params.get("OPTIONS"))
    if code in ICON_REQUIRED and not options.get("iconName"):
        raise RestError("ERROR_ARGUMENT", "Argument 'OPTIONS[iconName]' is null or empty", 400)
    if code == "PAGE_BACKGROUND_WORKER" and not options.get("errorHandlerUrl"):
        raise RestError("EMPTY_ERROR_HANDLER_URL", "Error handler URL is empty", 200)
    record = portal.stored_placement(params)
    if code in ONE_HANDLER_PLACEMENTS and any(r["placement"] == code for r in portal.placements):
        raise RestError("ERROR_PLACEMENT_MAX_COUNT", "Placement max count exceeded", 400)
    if portal.find_placement(code, record["handler"]) is not None:
        raise RestError("ERROR_CORE", "Unable to set placement handler: Handler already binded", 400)
    portal.add_placement(record)
    return True


def placement_unbind(ctx, raw):
    params = upper_keys(raw)
    code = str(params.get("PLACEMENT") or "").strip().upper()
    if not code:
        raise RestError("ERROR_ARGUMENT", "Argument 'PLACEMENT' is null or empty", 400)
    if is_landing_code(code):  # bound with landing.repo.bind, removed with landing.repo.unbind
        raise RestError("ERROR_PLACEMENT_NOT_FOUND", "Placement not found", 400)
    handler = str(params.get("HANDLER") or "").strip()
    return {"count": ctx.portal.remove_placements(code, handler)}


def placement_get(ctx, params):
    return [ctx.portal.placement_view(r) for r in ctx.portal.placements]


def placement_list(ctx, params):
    portal, farm = ctx.portal, ctx.farm
    codes = list(PLACEMENT_SCOPE) + list(farm.extra_placements)
    return sorted(c for c in set(codes)
                  if has_scope(portal, placement_scope(c, (), farm.im_requires_scope, farm.extra_placements)[1]))


# --- landing embeddings (landing/embedding/*.md) ------------------------------------------------------

def _lower_keys(raw):
    return {str(k).lower(): v for k, v in as_dict(raw).items()}


def landing_repo_bind(ctx, raw):
    """`fields[PLACEMENT]`, `fields[PLACEMENT_HANDLER]`, `fields[TITLE]` -> the new binding's id."""
    params = _lower_keys(raw)
    if "fields" not in params:
        raise RestError("MISSING_PARAMS", "Not enough parameters for the call, missing: fields", 400)
    fields = upper_keys(params["fields"])
    code = str(fields.get("PLACEMENT") or "").strip()
    handler = str(fields.get("PLACEMENT_HANDLER") or "").strip()
    if not landing_code_known(code):
        raise RestError("ERROR_PLACEMENT_NOT_FOUND", "Placement not found", 400)
    if not handler:
        raise RestError("ERROR_ARGUMENT", "Field 'PLACEMENT_HANDLER' is empty", 400)
    portal = ctx.portal
    if portal.find_landing(code, handler) is not None:
        raise RestError("PLACEMENT_EXIST", "Such embedding placement already exists", 400)
    return portal.add_landing(code, handler, fields.get("TITLE"))["id"]


def landing_repo_unbind(ctx, raw):
    """`code`, optional `handler` (absent: every binding of that code) -> true, or PLACEMENT_NO_EXIST."""
    params = _lower_keys(raw)
    code = str(params.get("code") or "").strip()
    if not code:
        raise RestError("MISSING_PARAMS", "Not enough parameters for the call, missing: code", 400)
    handler = params.get("handler")
    handler = None if handler in (None, "") else str(handler).strip()
    if not ctx.portal.remove_landing(code, handler):
        raise RestError("PLACEMENT_NO_EXIST", "Such embedding placement does not exist", 400)
    return True


# --- events ----------------------------------------------------------------------------------------

def event_bind(ctx, raw):
    portal = ctx.portal
    params = upper_keys(raw)
    record = portal.stored_event(params)
    known, needed = event_scope(record["event"], ctx.farm.extra_events)
    if not record["event"] or not known or not has_scope(portal, needed):
        raise RestError("ERROR_EVENT_NOT_FOUND", "Event not found", 400)
    if not record["offline"] and not record["handler"]:
        raise RestError("ERROR_ARGUMENT", "Argument 'HANDLER' is null or empty", 400)
    if portal.find_event(record) is not None:
        raise RestError("ERROR_CORE", "Unable to set event handler: Handler already binded", 400)
    portal.add_event(record)
    return True


def event_unbind(ctx, raw):
    params = upper_keys(raw)
    name = str(params.get("EVENT") or "").strip().upper()
    if not name:
        raise RestError("ERROR_ARGUMENT", "Argument 'EVENT' is null or empty", 400)
    handler = params.get("HANDLER")
    handler = None if handler is None else str(handler).strip()
    auth_type = params.get("AUTH_TYPE")
    auth_type = None if auth_type in (None, "") else str(int(auth_type) if isinstance(auth_type, bool)
                                                         else auth_type)
    offline = 1 if str(params.get("EVENT_TYPE") or "online").lower() == "offline" else 0
    return {"count": ctx.portal.remove_events(name, handler, auth_type, offline)}


def event_get(ctx, params):
    return [dict(r) for r in ctx.portal.events]


# --- batch -----------------------------------------------------------------------------------------

def batch(ctx, params):
    farm = ctx.farm
    commands = as_dict(params.get("cmd", params.get("CMD")))
    halt = truthy(params.get("halt", params.get("HALT", 0)))
    parsed = []
    for key, command in commands.items():
        method, _, query = str(command).partition("?")
        parsed.append((str(key), normalize_method(method), query))
    if farm.operation_limit_batch == "request" and any(m == "placement.bind" for _, m, _ in parsed[:BATCH_LIMIT]):
        _check_operation_limit(ctx)  # the whole batch answers 429 before anything runs
    results, errors, times = {}, {}, {}
    for index, (key, method, query) in enumerate(parsed):
        started = time.time()
        try:
            if index >= BATCH_LIMIT:
                raise RestError("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded", 400)
            if method == "batch":
                raise RestError("ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage", 400)
            sub = parse_query(query)
            sub.pop("auth", None)
            results[key] = call(ctx, method, sub)
            times[key] = farm.time_block(started)
        except RestError as error:
            farm.stats.error(error.code)
            errors[key] = {"error": error.code, "error_description": error.description}
            if error.time_block:
                times[key] = error.time_block
            if halt:
                break
    return {"result": php_array(results), "result_error": php_array(errors), "result_total": [],
            "result_next": [], "result_time": php_array(times)}


METHODS = {
    "app.info": app_info, "scope": scope, "method.get": method_get,
    "app.option.set": app_option_set, "app.option.get": app_option_get,
    "placement.bind": placement_bind, "placement.unbind": placement_unbind,
    "placement.get": placement_get, "placement.list": placement_list,
    "event.bind": event_bind, "event.unbind": event_unbind, "event.get": event_get,
    "landing.repo.bind": landing_repo_bind, "landing.repo.unbind": landing_repo_unbind,
    "batch": batch,
}
