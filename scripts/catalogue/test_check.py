#!/usr/bin/env python3
"""Tests of check.py with small hand-made snapshots and catalogue dumps: each rule fails once and passes once.

Run: python3 scripts/catalogue/test_check.py   (or python3 -m unittest discover -s scripts/catalogue)
"""

import copy
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check  # noqa: E402

COMMIT = "5988ed130d13802764a555edbfe12d0fc81e7d7a"

SNAPSHOT = {
    "source": {"repository": "bitrix24/b24restdocs", "commit": COMMIT, "date": "2026-08-21"},
    "scopes": [
        {"code": "crm", "page": "scopes/permissions.md"},
        {"code": "im", "page": "scopes/permissions.md"},
        {"code": "imconnector", "page": "scopes/permissions.md"},
        {"code": "imopenlines", "page": "scopes/permissions.md"},
        {"code": "landing", "page": "scopes/permissions.md"},
        {"code": "sonet", "page": "sonet-group/events/index.md", "inPermissionsTable": False},
        {"code": "sonet_group", "page": "scopes/permissions.md"},
        {"code": "task", "page": "scopes/permissions.md"},
        {"code": "tasks", "page": "scopes/permissions.md", "deprecated": True},
    ],
    "placements": [
        {"code": "TASK_VIEW_TAB", "scopes": ["task"], "bind": "placement.bind", "options": ["groupId"],
         "page": "widgets/task/view-tab.md"},
        {"code": "LANDING_BLOCK_<CODE>", "scopes": ["landing"], "bind": "landing.repo.bind", "options": [],
         "page": "landing/embedding/block.md"},
        {"code": "CRM_DYNAMIC_<id>_DETAIL_TAB", "scopes": ["crm"], "bind": "placement.bind", "options": [],
         "page": "widgets/crm/detail-tab.md"},
        {"code": "HCMLINK_SALARY_VACATION", "scopes": [], "bind": None, "options": [],
         "page": "sign/hcm-link/index.md", "foundIn": "prose"},
    ],
    "events": [
        {"name": "ONTASKADD", "scopes": ["task"], "delivery": "event.bind", "page": "tasks/events-tasks/on-task-add.md"},
        {"name": "ONIMV2MESSAGEADD", "scopes": ["im"], "delivery": "im.v2.Event.get",
         "page": "chat-bots/chat-bots-v2/im.v2/events/events.md"},
        {"name": "ONIMCONNECTORMESSAGEADD", "scopes": ["imconnector"], "indexScopes": ["imconnector", "imopenlines"],
         "indexPage": "imopenlines/imconnector/events/index.md", "delivery": "event.bind",
         "page": "imopenlines/imconnector/events/on-im-connector-message-add.md"},
        {"name": "ONSONETGROUPADD", "scopes": ["sonet"], "delivery": "event.bind",
         "page": "sonet-group/events/on-sonet-group-add.md"},
    ],
}

CATALOGUE = {
    "checkedAgainst": {"commit": COMMIT, "date": "2026-08-21"},
    "scopes": [
        {"code": "crm", "status": "documented", "source": "scopes/permissions.md"},
        {"code": "im", "status": "documented", "source": "scopes/permissions.md"},
        {"code": "imconnector", "status": "documented", "source": "scopes/permissions.md"},
        {"code": "imopenlines", "status": "documented", "source": "scopes/permissions.md"},
        {"code": "landing", "status": "documented", "source": "scopes/permissions.md"},
        {"code": "sonet_group", "status": "documented", "source": "scopes/permissions.md"},
        {"code": "task", "status": "documented", "source": "scopes/permissions.md"},
        {"code": "tasks", "status": "deprecated", "source": "scopes/permissions.md"},
        {"code": "crm.documentgenerator", "status": "removed", "source": "scopes/permissions.md"},
    ],
    "placements": [
        {"code": "TASK_VIEW_TAB", "scopes": ["task"], "bind": "placement.bind", "keptOptions": ["groupId"],
         "status": "documented", "source": "widgets/task/view-tab.md"},
        {"code": "LANDING_BLOCK_<CODE>", "scopes": ["landing"], "bind": "landing.repo.bind", "keptOptions": [],
         "status": "documented", "source": "landing/embedding/block.md"},
        {"code": "CRM_DYNAMIC_<id>_DETAIL_TAB", "scopes": ["crm"], "bind": "placement.bind", "keptOptions": [],
         "status": "documented", "source": "widgets/crm/detail-tab.md"},
        {"code": "HCMLINK_SALARY_VACATION", "scopes": [], "bind": "placement.bind", "keptOptions": [],
         "status": "documented", "source": "sign/hcm-link/index.md"},
        {"code": "CRM_INVOICE_LIST_MENU", "scopes": ["crm"], "bind": "placement.bind", "keptOptions": [],
         "status": "removed", "source": "widgets/crm/list-menu.md"},
    ],
    "events": [
        {"name": "ONTASKADD", "scopes": ["task"], "delivery": "event.bind", "status": "documented",
         "source": "tasks/events-tasks/on-task-add.md"},
        {"name": "ONIMV2MESSAGEADD", "scopes": ["im"], "delivery": "im.v2.Event.get", "status": "documented",
         "source": "chat-bots/chat-bots-v2/im.v2/events/events.md"},
        {"name": "ONIMCONNECTORMESSAGEADD", "scopes": ["imconnector", "imopenlines"], "delivery": "event.bind",
         "status": "documented", "source": "imopenlines/imconnector/events/on-im-connector-message-add.md"},
        {"name": "ONSONETGROUPADD", "scopes": ["sonet_group"], "delivery": "event.bind", "status": "documented",
         "source": "sonet-group/events/on-sonet-group-add.md"},
        {"name": "CATALOG.STORE.ON.ADD", "scopes": ["catalog"], "delivery": "event.bind", "status": "removed",
         "source": "catalog/store/events/catalog-store-on-add.md"},
    ],
}


def item(doc, section, key):
    field = "name" if section == "events" else "code"
    return next(x for x in doc[section] if x[field] == key)


class CheckTests(unittest.TestCase):
    def setUp(self):
        self.snap = copy.deepcopy(SNAPSHOT)
        self.cat = copy.deepcopy(CATALOGUE)

    def run_check(self, explanations=()):
        return check.explain(check.compare(self.snap, self.cat), list(explanations))

    def fails(self, findings=None):
        findings = self.run_check() if findings is None else findings
        return sorted((f.section, f.rule, f.item) for f in findings if f.level == "FAIL")

    def levels(self, rule, key):
        return sorted(f.level for f in self.run_check() if f.rule == rule and f.item == key)

    # -- the baseline matches -------------------------------------------------------------------

    def test_baseline_passes(self):
        self.assertEqual(self.fails(), [])

    # -- missing ---------------------------------------------------------------------------------

    def test_missing_docs_item_fails(self):
        self.cat["events"] = [e for e in self.cat["events"] if e["name"] != "ONTASKADD"]
        self.cat["placements"] = [p for p in self.cat["placements"] if p["code"] != "LANDING_BLOCK_<CODE>"]
        self.cat["scopes"] = [s for s in self.cat["scopes"] if s["code"] != "tasks"]
        self.assertEqual(self.fails(), [("events", "missing", "ONTASKADD"),
                                        ("placements", "missing", "LANDING_BLOCK_<CODE>"),
                                        ("scopes", "missing", "tasks")])

    def test_missing_scope_stated_only_by_pages_is_a_note(self):
        # `sonet` is stated by pages but not by permissions.md: the catalogue need not list it.
        self.assertEqual(self.levels("missing", "sonet"), ["NOTE"])
        self.cat["scopes"].append({"code": "sonet", "status": "documented", "source": "sonet-group/events/index.md"})
        self.assertEqual(self.levels("missing", "sonet"), [])

    # -- marked removed while the docs have it ---------------------------------------------------

    def test_removed_but_documented_fails(self):
        item(self.cat, "placements", "TASK_VIEW_TAB")["status"] = "removed"
        item(self.cat, "events", "ONIMV2MESSAGEADD")["status"] = "removed"
        item(self.cat, "scopes", "crm")["status"] = "removed"
        self.assertEqual(self.fails(), [("events", "marked-removed", "ONIMV2MESSAGEADD"),
                                        ("placements", "marked-removed", "TASK_VIEW_TAB"),
                                        ("scopes", "marked-removed", "crm")])

    def test_removed_and_gone_from_docs_passes(self):
        # CRM_INVOICE_LIST_MENU, CATALOG.STORE.ON.ADD and crm.documentgenerator are removed in both.
        for f in self.run_check():
            self.assertNotIn(f.item, ("CRM_INVOICE_LIST_MENU", "CATALOG.STORE.ON.ADD", "crm.documentgenerator"))

    # -- documented in the catalogue, gone from the docs -----------------------------------------

    def test_documented_but_not_in_docs_fails(self):
        item(self.cat, "placements", "CRM_INVOICE_LIST_MENU")["status"] = "documented"
        item(self.cat, "events", "CATALOG.STORE.ON.ADD")["status"] = "documented"
        item(self.cat, "scopes", "crm.documentgenerator")["status"] = "documented"
        self.assertEqual(self.fails(), [("events", "not-in-docs", "CATALOG.STORE.ON.ADD"),
                                        ("placements", "not-in-docs", "CRM_INVOICE_LIST_MENU"),
                                        ("scopes", "not-in-docs", "crm.documentgenerator")])

    # -- scope status ----------------------------------------------------------------------------

    def test_deprecated_status_mismatch_fails(self):
        item(self.cat, "scopes", "tasks")["status"] = "documented"
        item(self.cat, "scopes", "task")["status"] = "deprecated"
        self.assertEqual(self.fails(), [("scopes", "status", "task"), ("scopes", "status", "tasks")])

    # -- bind / delivery -------------------------------------------------------------------------

    def test_bind_difference_fails(self):
        item(self.cat, "placements", "LANDING_BLOCK_<CODE>")["bind"] = "placement.bind"
        self.assertEqual(self.fails(), [("placements", "bind", "LANDING_BLOCK_<CODE>")])

    def test_bind_unstated_by_docs_is_a_note(self):
        self.assertEqual(self.levels("bind-unstated", "HCMLINK_SALARY_VACATION"), ["NOTE"])
        self.assertEqual(self.levels("bind", "HCMLINK_SALARY_VACATION"), [])

    def test_delivery_difference_fails(self):
        item(self.cat, "events", "ONIMV2MESSAGEADD")["delivery"] = "event.bind"
        self.assertEqual(self.fails(), [("events", "delivery", "ONIMV2MESSAGEADD")])

    # -- scopes of an item -----------------------------------------------------------------------

    def test_item_scope_not_in_catalogue_fails(self):
        item(self.cat, "placements", "TASK_VIEW_TAB")["scopes"] = []
        item(self.cat, "events", "ONTASKADD")["scopes"] = ["crm"]
        self.assertEqual(self.fails(), [("events", "scopes", "ONTASKADD"), ("placements", "scopes", "TASK_VIEW_TAB")])

    def test_catalogue_may_list_more_scopes(self):
        item(self.cat, "events", "ONTASKADD")["scopes"] = ["task", "tasks"]
        self.assertEqual(self.fails(), [])

    def test_index_scopes_must_be_covered_too(self):
        item(self.cat, "events", "ONIMCONNECTORMESSAGEADD")["scopes"] = ["imconnector"]
        fails = self.fails()
        self.assertEqual(fails, [("events", "scopes", "ONIMCONNECTORMESSAGEADD")])
        msg = next(f.message for f in self.run_check() if f.rule == "scopes")
        self.assertIn("imopenlines/imconnector/events/index.md", msg)

    def test_unknown_scope_code_is_a_note(self):
        # ONSONETGROUPADD's page says `sonet`, unknown to this catalogue: a note, not a failure.
        self.assertEqual(self.levels("scope-unknown", "ONSONETGROUPADD"), ["NOTE"])
        # once the catalogue knows `sonet` as a scope code, the event must list it
        self.cat["scopes"].append({"code": "sonet", "status": "documented", "source": "sonet-group/events/index.md"})
        self.assertEqual(self.fails(), [("events", "scopes", "ONSONETGROUPADD")])
        item(self.cat, "events", "ONSONETGROUPADD")["scopes"] = ["sonet_group", "sonet"]
        self.assertEqual(self.fails(), [])

    # -- options ---------------------------------------------------------------------------------

    def test_documented_option_not_kept_fails(self):
        item(self.cat, "placements", "TASK_VIEW_TAB")["keptOptions"] = []
        self.assertEqual(self.fails(), [("placements", "options", "TASK_VIEW_TAB")])

    def test_extra_kept_option_is_a_note(self):
        item(self.cat, "placements", "TASK_VIEW_TAB")["keptOptions"] = ["groupId", "other"]
        self.assertEqual(self.fails(), [])
        self.assertEqual(self.levels("extra-options", "TASK_VIEW_TAB"), ["NOTE"])

    # -- checkedAgainst --------------------------------------------------------------------------

    def test_checked_against_other_commit_warns_only(self):
        self.cat["checkedAgainst"]["commit"] = "0" * 40
        findings = self.run_check()
        self.assertEqual(self.fails(findings), [])
        self.assertEqual([f.level for f in findings if f.rule == "checked-against"], ["WARN"])
        self.cat["checkedAgainst"]["commit"] = COMMIT
        self.assertEqual([f for f in self.run_check() if f.rule == "checked-against"], [])

    # -- explanations ----------------------------------------------------------------------------

    def test_explained_difference_does_not_fail(self):
        item(self.cat, "placements", "LANDING_BLOCK_<CODE>")["bind"] = "placement.bind"
        why = {"section": "placements", "rule": "bind", "item": "LANDING_BLOCK_*", "why": "test"}
        findings = self.run_check([why])
        self.assertEqual(self.fails(findings), [])
        self.assertEqual([f.level for f in findings if f.rule == "bind"], ["EXPL"])

    def test_stale_explanation_warns(self):
        why = {"section": "events", "rule": "delivery", "item": "ONTASKADD", "why": "test"}
        findings = self.run_check([why])
        self.assertEqual([f.rule for f in findings if f.level == "WARN"], ["stale-explanation"])

    # -- the command line ------------------------------------------------------------------------

    def cli(self, catalogue, *extra):
        with tempfile.TemporaryDirectory() as tmp:
            snap_path = os.path.join(tmp, "snap.json")
            with open(snap_path, "w") as f:
                json.dump(self.snap, f)
            explained = os.path.join(tmp, "explained.json")
            with open(explained, "w") as f:
                f.write("[]")
            res = subprocess.run([sys.executable, os.path.join(HERE, "check.py"), "--snapshot", snap_path,
                                  "--explained", explained, *extra],
                                 input=catalogue, capture_output=True, text=True)
        return res

    def test_cli_exit_codes(self):
        ok = self.cli(json.dumps(self.cat))
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("0 unexplained differences", ok.stdout)
        item(self.cat, "events", "ONTASKADD")["delivery"] = "im.v2.Event.get"
        bad = self.cli(json.dumps(self.cat))
        self.assertEqual(bad.returncode, 1)
        self.assertRegex(bad.stdout, r"(?m)^  FAIL delivery +ONTASKADD ")
        self.assertEqual(self.cli("not json").returncode, 2)
        self.assertEqual(self.cli(json.dumps({"scopes": []})).returncode, 2)

    def test_cli_no_notes_hides_notes(self):
        res = self.cli(json.dumps(self.cat), "--no-notes")
        self.assertNotIn("NOTE", res.stdout.replace("notes", ""))

    # -- the committed snapshot ------------------------------------------------------------------

    def test_committed_snapshot_against_itself_passes(self):
        """A dump made from the snapshot passes: the snapshot is well-formed for check.py."""
        with open(os.path.join(HERE, "docs-snapshot.json")) as f:
            snap = json.load(f)
        dump = {
            "checkedAgainst": {"commit": snap["source"]["commit"], "date": snap["source"]["date"]},
            "scopes": [{"code": s["code"], "status": "deprecated" if s.get("deprecated") else "documented",
                        "source": s["page"]} for s in snap["scopes"]],
            "placements": [{"code": p["code"], "scopes": sorted(set(p["scopes"]) | set(p.get("indexScopes", []))),
                            "bind": p["bind"] or "placement.bind", "keptOptions": p["options"],
                            "status": "documented", "source": p["page"]} for p in snap["placements"]],
            "events": [{"name": e["name"], "scopes": sorted(set(e["scopes"]) | set(e.get("indexScopes", []))),
                        "delivery": e["delivery"], "status": "documented", "source": e["page"]}
                       for e in snap["events"]],
        }
        findings = check.compare(snap, dump)
        self.assertEqual([f for f in findings if f.level in ("FAIL", "WARN")], [])


if __name__ == "__main__":
    unittest.main(verbosity=1)
