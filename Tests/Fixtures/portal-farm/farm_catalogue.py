"""What a Bitrix24 portal knows: placement codes and their scopes, kept options, events, scopes, licences.

Sources: /work/shared/BITRIX24.md, checked against the official REST docs (bitrix24/b24restdocs,
mirrored at /work/.mirror/bitrix24+b24restdocs/repo) at revision
5988ed130d13802764a555edbfe12d0fc81e7d7a (2026-08-21). Paths below are under `api-reference/`.

| table | source page(s) |
|---|---|
| `_PLAIN`, `_FIXED`, `CRM_SUFFIXES` | widgets/placements.md (catalog), widgets/crm/index.md, widgets/crm/funnels-toolbar.md (FUNNELS_TOOLBAR for SMART_INVOICE and DYNAMIC_<id>), widgets/task/index.md, widgets/im/index.md, widgets/im/smile-selector.md (IM_SMILES_SELECTOR: scope `placement` only), widgets/workgroups/*.md, sign/hcm-link/index.md (HCMLINK_SALARY_VACATION) |
| `GONE_PLACEMENTS` | absent from widgets/ (CRM_INVOICE_*_TOOLBAR appear only in placement-list.md's sample answer); CRM_REQUISITE_EDIT_FORM and 1C_PAGE only in b24phpsdk |
| `LANDING_*` | landing/embedding/index.md, settings.md, block.md (case of the code does not matter), landing-repo-unbind.md |
| `KEPT_OPTIONS` | widgets/universal/background-worker.md, widgets/im/index.md (+ navigation/sidebar/textarea/context-menu.md), widgets/mobile-app.md, widgets/im/smile-selector.md, widgets/crm/detail-activity.md, widgets/crm/requisites-autocomplete/*.md, widgets/task/view-tab.md and view-sidebar.md (`groupId`, a string such as "11,12") |
| `GLOBAL_EVENTS`, ONUSERADD | common/events/index.md |
| ONCRM*, ONTASK* (prefix rules) | BITRIX24.md "Events by scope" (laxer than the docs: any name with the prefix) |
| `_BOOKING_EVENTS` | booking/**/events/*.md (scope `booking`) |
| `_HCMLINK_EVENTS` | sign/hcm-link/index.md (names; scope of the section: `humanresources.hcmlink`) |
| `_SONET_GROUP_EVENTS` | sonet-group/events/*.md, sonet-group/outdated/on-sonet-group-subject-*.md (pages say `sonet`; permissions.md has `sonet_group, socialnetwork`: any of the three) |
| `_IMCONNECTOR_EVENTS` | imopenlines/imconnector/events/*.md (index: `imconnector, imopenlines`; each page: `imconnector`: either) |
| `_CATALOG_EVENTS` | catalog/*/events/*.md (scope `catalog`); CATALOG.STORE.ON.* are gone |
| `NOT_BINDABLE_EVENT_PREFIXES` | chat-bots/chat-bots-v2/im.v2/events/index.md (polling only), imbot.v2/events/index.md (subscribed by imbot.v2.Bot.register) |
| `SCOPES` | scopes/permissions.md, plus `note` (note/**), `mail` (mail/**) named by pages; `sonet` is accepted as a granted scope (sonet-group/events) but not listed |
"""

import re

# Placements that need no scope besides `placement`.
_PLAIN = {"LEFT_MENU": None, "PAGE_BACKGROUND_WORKER": None, "REST_APP_URI": None, "BI_ANALYTICS_MENU": None,
          "IM_SMILES_SELECTOR": None}

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
    "humanresources.hcmlink": ["HCMLINK_SALARY_VACATION"],
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
    # deals use the bare CRM_FUNNELS_TOOLBAR; CRM_DEAL_FUNNELS_TOOLBAR does not exist
    "FUNNELS_TOOLBAR": ["SMART_INVOICE", "DYNAMIC"],
}

# Gone from the docs: a portal does not know them (placement.bind -> ERROR_PLACEMENT_NOT_FOUND).
GONE_PLACEMENTS = {"CRM_INVOICE_LIST_MENU", "CRM_INVOICE_DOCUMENTGENERATOR_BUTTON", "CRM_INVOICE_LIST_TOOLBAR",
                   "CRM_INVOICE_DETAIL_TOOLBAR", "CRM_REQUISITE_EDIT_FORM", "1C_PAGE", "LANDING_BLOCK"}

PLACEMENT_SCOPE = dict(_PLAIN)
for _scope, _codes in _FIXED.items():
    for _code in _codes:
        PLACEMENT_SCOPE[_code] = _scope
for _suffix, _entities in CRM_SUFFIXES.items():
    for _entity in _entities:
        if _entity != "DYNAMIC":
            PLACEMENT_SCOPE["CRM_%s_%s" % (_entity, _suffix)] = "crm"
assert not GONE_PLACEMENTS & set(PLACEMENT_SCOPE)

_DYNAMIC = re.compile(r"^CRM_DYNAMIC_(\d+)_(%s)$" % "|".join(CRM_SUFFIXES))

ONE_HANDLER_PLACEMENTS = {"REST_APP_URI", "PAGE_BACKGROUND_WORKER"}
ICON_REQUIRED = {"IM_NAVIGATION", "IM_SIDEBAR", "IM_TEXTAREA"}

_IM_SIDEBAR = ["iconName", "extranet", "context", "role", "color"]
_IM_CONTEXT = ["extranet", "context", "role"]
KEPT_OPTIONS = {
    "PAGE_BACKGROUND_WORKER": ["errorHandlerUrl"],
    "IM_NAVIGATION": ["iconName", "extranet", "role"],
    "IM_SIDEBAR": _IM_SIDEBAR,
    "IM_TEXTAREA": _IM_SIDEBAR + ["width", "height"],
    "IM_CONTEXT_MENU": _IM_CONTEXT,
    "IMMOBILE_CONTEXT_MENU": _IM_CONTEXT,
    "IM_SMILES_SELECTOR": _IM_CONTEXT,  # accepted, no effect (the handler is never called)
    "CRM_REQUISITE_AUTOCOMPLETE": ["countries"],
    "CRM_BANK_DETAIL_AUTOCOMPLETE": ["countries"],
    "TASK_VIEW_TAB": ["groupId"],  # a string of project ids, "11,12"; kept as given, like every option
    "TASK_VIEW_SIDEBAR": ["groupId"],
}
_ACTIVITY_OPTIONS = ["useBuiltInInterface", "newUserNotificationTitle", "newUserNotificationText"]


def placement_scope(code, dynamic_types=(), im_requires_scope=True, extra=None):
    """(known, scope) for a placement code on a portal; scope None means only `placement`.
    Landing codes are not placements here: they are bound with landing.repo.bind."""
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


# --- landing (Sites) embeddings: landing.repo.bind / landing.repo.unbind, scope `landing` -----------

LANDING_SCOPE = "landing"
_LANDING_CODE = re.compile(r"^LANDING_(SETTINGS|BLOCK_(\*|[A-Z0-9._-]+))$")


def is_landing_code(code):
    """Any LANDING_* code: placement.bind / placement.unbind refuse these (ERROR_PLACEMENT_NOT_FOUND)."""
    return str(code).strip().upper().startswith("LANDING_")


def landing_code_known(code):
    """LANDING_SETTINGS, LANDING_BLOCK_* or LANDING_BLOCK_<block code>, in any case; not the bare
    LANDING_BLOCK."""
    return bool(_LANDING_CODE.match(str(code).strip().upper()))


# --- events --------------------------------------------------------------------------------------

GLOBAL_EVENTS = {"ONAPPINSTALL", "ONAPPUPDATE", "ONAPPUNINSTALL", "ONAPPPAYMENT", "ONAPPMETHODCONFIRM",
                 "ONAPPTEST", "ONOFFLINEEVENT"}

_BOOKING_EVENTS = ["ONBOOKINGADD", "ONBOOKINGUPDATE", "ONBOOKINGDELETE",
                   "ONBOOKINGRESOURCEADD", "ONBOOKINGRESOURCEUPDATE", "ONBOOKINGRESOURCEDELETE",
                   "ONBOOKINGRESOURCETYPEADD", "ONBOOKINGRESOURCETYPEUPDATE", "ONBOOKINGRESOURCETYPEDELETE",
                   "ONBOOKINGWAITLISTITEMADD", "ONBOOKINGWAITLISTITEMUPDATE", "ONBOOKINGWAITLISTITEMDELETE"]
_HCMLINK_EVENTS = ["ONHUMANRESOURCESHCMLINKEMPLOYEELISTREQUESTED", "ONHUMANRESOURCESHCMLINKEMPLOYEELISTMAPPED",
                   "ONHUMANRESOURCESHCMLINKFIELDVALUEREQUESTED", "ONHUMANRESOURCESHCMLINKPINREQUESTED",
                   "ONHUMANRESOURCESHCMLINKSALARYVACATIONREQUESTED"]
_SONET_GROUP_EVENTS = ["ONSONETGROUPADD", "ONSONETGROUPUPDATE", "ONSONETGROUPDELETE",
                       "ONSONETGROUPSUBJECTADD", "ONSONETGROUPSUBJECTUPDATE", "ONSONETGROUPSUBJECTDELETE"]
_IMCONNECTOR_EVENTS = ["ONIMCONNECTORDIALOGSTART", "ONIMCONNECTORDIALOGFINISH", "ONIMCONNECTORLINEDELETE",
                       "ONIMCONNECTORMESSAGEADD", "ONIMCONNECTORMESSAGEUPDATE", "ONIMCONNECTORMESSAGEDELETE",
                       "ONIMCONNECTORSTATUSDELETE"]
_CATALOG_EVENTS = ["CATALOG.%s.ON.%s" % (entity, action)
                   for entity in ("MEASURE", "PRICE", "PRICE.TYPE", "PRODUCT", "ROUNDING")
                   for action in ("ADD", "UPDATE", "DELETE")]

# A scope tuple means: a token holding any one of them is enough.
SONET_GROUP_EVENT_SCOPES = ("sonet_group", "socialnetwork", "sonet")
IMCONNECTOR_EVENT_SCOPES = ("imconnector", "imopenlines")

EVENT_SCOPE = {"ONUSERADD": "user"}
EVENT_SCOPE.update({name: "booking" for name in _BOOKING_EVENTS})
EVENT_SCOPE.update({name: "humanresources.hcmlink" for name in _HCMLINK_EVENTS})
EVENT_SCOPE.update({name: SONET_GROUP_EVENT_SCOPES for name in _SONET_GROUP_EVENTS})
EVENT_SCOPE.update({name: IMCONNECTOR_EVENT_SCOPES for name in _IMCONNECTOR_EVENTS})
EVENT_SCOPE.update({name: "catalog" for name in _CATALOG_EVENTS})

# Not delivered through event.bind: ONIMV2* are polled (im.v2.Event.get), ONIMBOTV2* subscriptions come
# with imbot.v2.Bot.register. event.bind answers ERROR_EVENT_NOT_FOUND, even for extra_events.
NOT_BINDABLE_EVENT_PREFIXES = ("ONIMV2", "ONIMBOTV2")
# Gone from the docs.
GONE_EVENTS = {"CATALOG.STORE.ON.ADD", "CATALOG.STORE.ON.UPDATE", "CATALOG.STORE.ON.DELETE"}
assert not GONE_EVENTS & set(EVENT_SCOPE)


def event_scope(name, extra=None):
    """(known, scope) for an upper-cased event name; scope None means no scope is needed, a tuple
    means any one of those scopes."""
    if name.startswith(NOT_BINDABLE_EVENT_PREFIXES) or name in GONE_EVENTS:
        return False, None
    if extra and name in extra:
        return True, extra[name]
    if name in GLOBAL_EVENTS or name.startswith("ONAPP"):
        return True, None
    if name in EVENT_SCOPE:
        return True, EVENT_SCOPE[name]
    if name.startswith("ONCRM"):
        return True, "crm"
    if name.startswith("ONTASK"):
        return True, "task"
    return False, None


# --- scopes --------------------------------------------------------------------------------------

# scopes/permissions.md, plus `note` and `mail` that their sections' pages name. Not
# `crm.documentgenerator` (gone: its pages now say `crm`).
SCOPES = set("""ai_admin biconnector bizproc booking calendar call cashbox catalog contact_center crm
documentgenerator delivery department disk entity humanresources humanresources.hcmlink im imbot imconnector
imopenlines intranet landing lists log mailservice main messageservice mobile pay_system placement pull rpa
sale salescenter sign.b2e sonet_group socialnetwork task telephony timeman user user_brief user_basic
user.userfield userfieldconfig userconsent vote note mail tasks tasks_extended tasksmobile""".split())
# Scopes a portal may hold: SCOPES and `sonet`, the code the workgroup event pages give.
GRANTABLE_SCOPES = SCOPES | {"sonet"}


def unknown_scopes(scopes):
    """The scope codes a portal cannot hold (e.g. the gone `crm.documentgenerator`)."""
    return sorted({str(s) for s in scopes} - GRANTABLE_SCOPES)


# Methods every app may call whatever its scopes.
_BASIC_PREFIXES = ("app.", "event.", "method.", "feature.", "server.", "profile", "scope", "batch",
                   "methods", "access.", "user.access", "user.admin", "user.option.")


def method_scope(name):
    """The scope a REST method needs (None: none), guessed from its first one or two segments
    (`humanresources.hcmlink.company.add` -> humanresources.hcmlink, `crm.documentgenerator.…` -> crm)."""
    name = name.lower()
    if name.startswith(_BASIC_PREFIXES):
        return None
    parts = name.split(".")
    if len(parts) > 2 and ".".join(parts[:2]) in SCOPES:
        return ".".join(parts[:2])
    head = parts[0]
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
