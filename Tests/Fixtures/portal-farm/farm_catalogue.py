"""What a Bitrix24 portal knows: placement codes and their scopes, kept options, events, licences.

Everything here follows /work/shared/BITRIX24.md (the tables "Placement -> scope", "Which CRM
entities each suffix accepts", "Options a placement keeps" and "Events by scope").
"""

import re

# Placements that need no scope besides `placement`.
_PLAIN = {"LEFT_MENU": None, "PAGE_BACKGROUND_WORKER": None, "REST_APP_URI": None, "BI_ANALYTICS_MENU": None}

_FIXED = {
    "crm": ["CRM_ANALYTICS_MENU", "CRM_ANALYTICS_TOOLBAR", "CRM_DETAIL_SEARCH", "CRM_FUNNELS_TOOLBAR",
            "CRM_REQUISITE_AUTOCOMPLETE", "CRM_BANK_DETAIL_AUTOCOMPLETE"],
    "task": ["TASK_VIEW_TAB", "TASK_VIEW_SIDEBAR", "TASK_VIEW_TOP_PANEL", "TASK_LIST_CONTEXT_MENU",
             "TASK_USER_LIST_TOOLBAR", "TASK_GROUP_LIST_TOOLBAR", "TASK_ROBOT_DESIGNER_TOOLBAR"],
    "im": ["IM_NAVIGATION", "IM_CONTEXT_MENU", "IM_SIDEBAR", "IM_TEXTAREA", "IMMOBILE_CONTEXT_MENU"],
    "telephony": ["CALL_CARD", "TELEPHONY_ANALYTICS_MENU"],
    "sonet_group": ["SONET_GROUP_DETAIL_TAB", "SONET_GROUP_TOOLBAR", "SONET_GROUP_ROBOT_DESIGNER_TOOLBAR"],
    "user": ["USER_PROFILE_MENU", "USER_PROFILE_TOOLBAR"],
    "calendar": ["CALENDAR_GRIDVIEW"],
    "contact_center": ["CONTACT_CENTER"],
}

_COMMON = ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE"]
# suffix -> CRM entities it accepts ("DYNAMIC" means DYNAMIC_<typeId>).
CRM_SUFFIXES = {
    "DETAIL_TAB": _COMMON + ["ORDER", "DYNAMIC"],
    "DETAIL_ACTIVITY": _COMMON + ["ORDER", "DYNAMIC"],
    "LIST_TOOLBAR": _COMMON + ["ORDER", "DYNAMIC"],
    "DETAIL_TOOLBAR": _COMMON + ["DYNAMIC"],
    "DOCUMENTGENERATOR_BUTTON": _COMMON + ["DYNAMIC"],
    "LIST_MENU": ["ACTIVITY"] + _COMMON + ["DYNAMIC"],
    "ACTIVITY_TIMELINE_MENU": ["LEAD", "DEAL", "QUOTE", "SMART_INVOICE", "DYNAMIC"],
    "ROBOT_DESIGNER_TOOLBAR": ["LEAD", "DEAL", "SMART_INVOICE", "DYNAMIC"],
}

PLACEMENT_SCOPE = dict(_PLAIN)
for _scope, _codes in _FIXED.items():
    for _code in _codes:
        PLACEMENT_SCOPE[_code] = _scope
for _suffix, _entities in CRM_SUFFIXES.items():
    for _entity in _entities:
        if _entity != "DYNAMIC":
            PLACEMENT_SCOPE["CRM_%s_%s" % (_entity, _suffix)] = "crm"

_DYNAMIC = re.compile(r"^CRM_DYNAMIC_(\d+)_(%s)$" % "|".join(CRM_SUFFIXES))

ONE_HANDLER_PLACEMENTS = {"REST_APP_URI", "PAGE_BACKGROUND_WORKER"}
ICON_REQUIRED = {"IM_NAVIGATION", "IM_SIDEBAR", "IM_TEXTAREA"}

_IM_SIDEBAR = ["iconName", "extranet", "context", "role", "color"]
KEPT_OPTIONS = {
    "PAGE_BACKGROUND_WORKER": ["errorHandlerUrl"],
    "IM_NAVIGATION": ["iconName", "extranet", "role"],
    "IM_SIDEBAR": _IM_SIDEBAR,
    "IM_TEXTAREA": _IM_SIDEBAR + ["width", "height"],
    "IM_CONTEXT_MENU": ["extranet", "context", "role"],
    "IMMOBILE_CONTEXT_MENU": ["extranet", "context", "role"],
    "CRM_REQUISITE_AUTOCOMPLETE": ["countries"],
    "CRM_BANK_DETAIL_AUTOCOMPLETE": ["countries"],
}
_ACTIVITY_OPTIONS = ["useBuiltInInterface", "newUserNotificationTitle", "newUserNotificationText"]


def placement_scope(code, dynamic_types=(), im_requires_scope=True, extra=None):
    """(known, scope) for a placement code on a portal; scope None means only `placement`."""
    if extra and code in extra:
        return True, extra[code]
    if code in PLACEMENT_SCOPE:
        scope = PLACEMENT_SCOPE[code]
        if scope == "im" and not im_requires_scope:
            scope = None
        return True, scope
    match = _DYNAMIC.match(code)
    if match and int(match.group(1)) in {int(t) for t in dynamic_types}:
        return True, "crm"
    return False, None


def kept_options(code):
    """The option keys a placement keeps; every other key is dropped."""
    if code in KEPT_OPTIONS:
        return KEPT_OPTIONS[code]
    if code.startswith("CRM_") and code.endswith("_DETAIL_ACTIVITY"):
        return _ACTIVITY_OPTIONS
    return []


GLOBAL_EVENTS = {"ONAPPINSTALL", "ONAPPUPDATE", "ONAPPUNINSTALL", "ONAPPPAYMENT", "ONAPPMETHODCONFIRM",
                 "ONAPPTEST", "ONOFFLINEEVENT"}


def event_scope(name, extra=None):
    """(known, scope) for an upper-cased event name; scope None means no scope is needed."""
    if extra and name in extra:
        return True, extra[name]
    if name in GLOBAL_EVENTS or name.startswith("ONAPP"):
        return True, None
    if name == "ONUSERADD":
        return True, "user"
    if name.startswith("ONCRM"):
        return True, "crm"
    if name.startswith("ONTASK"):
        return True, "task"
    return False, None


SCOPES = set("""ai_admin biconnector bizproc booking calendar call cashbox catalog contact_center crm
documentgenerator delivery department disk entity humanresources im imbot imconnector imopenlines
intranet landing lists log mailservice main messageservice mobile pay_system placement pull rpa sale
salescenter sonet_group socialnetwork task telephony timeman user user_brief user_basic
user.userfield userfieldconfig userconsent vote tasks tasks_extended tasksmobile""".split())

# Methods every app may call whatever its scopes.
_BASIC_PREFIXES = ("app.", "event.", "method.", "feature.", "server.", "profile", "scope", "batch",
                   "methods", "access.", "user.access", "user.admin", "user.option.")


def method_scope(name):
    """The scope a REST method needs (None: none), guessed from its first segment."""
    name = name.lower()
    if name.startswith(_BASIC_PREFIXES):
        return None
    head = name.split(".", 1)[0]
    if head in ("tasks", "task"):
        return "task"
    if head in SCOPES:
        return head
    return None


def license_family(license_code):
    """`ru_ent10000` -> ("ent10000", "ent"); `ru_project` -> ("project", "project")."""
    kind = license_code.split("_", 1)[1] if "_" in license_code else license_code
    family = re.sub(r"\d+$", "", kind) or kind
    return kind, family
