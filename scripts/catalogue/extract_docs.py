#!/usr/bin/env python3
"""Extract the scopes, widget placements and REST events that the official Bitrix24 REST docs
(github.com/bitrix24/b24restdocs, folder api-reference/) document, as one sorted JSON document.

Usage:
  python3 scripts/catalogue/extract_docs.py --docs PATH > scripts/catalogue/docs-snapshot.json

PATH is a checkout of b24restdocs (its working tree is read, its HEAD commit is recorded) or a bare
git directory (its HEAD tree is read). A directory without git needs --commit and --date.

Everything in the output is read from the pages; nothing is hard-coded except how the pages are
laid out (tables, the "> Scope:" line, headings). What is read, and from where:

  scopes      the codes of the table in scopes/permissions.md (a cell "a, b" is two codes, the
              "Versions:" list under a code adds codes), the deprecated codes of its footnote
              ("deprecated": true), and every scope code that some page states in its "> Scope:"
              line and permissions.md lacks ("inPermissionsTable": false, "page" = one such page).
  placements  the codes of every "Placement Code" / "Widget Code" / "Integration Code" /
              "Embedding Point Code" table, the code in the title of a placement page that has no
              such table, and codes that a page says an application registers ("registers the
              `X` embedding"). CRM_DYNAMIC_XXX_... becomes CRM_DYNAMIC_<id>_...; LANDING_BLOCK_<CODE>
              and LANDING_BLOCK_* stay patterns. For each: the page's scopes besides `placement`,
              the registration method the page names, the OPTIONS keys the page documents.
  events      every event page (a page whose file name is its event's name, e.g.
              on-crm-deal-add.md), every row of an "Event" table, event names that a sentence says
              an application receives/handles, and "_{param}" suffix variants that an index page
              documents. For each: the scopes of the event's page (and of the index pages that
              list it, as "indexScopes" when they differ) and how it is delivered.

Notes on what was skipped or looks odd go to stderr; the JSON goes to stdout.
"""

import argparse
import json
import os
import posixpath
import re
import subprocess
import sys
from collections import defaultdict

ROOT = "api-reference"

# ----------------------------------------------------------------------------------------------
# Reading the docs


class Docs:
    """The Markdown pages under api-reference/, keyed by their path relative to it."""

    def __init__(self, path, commit=None, date=None):
        self.notes = []
        path = os.path.abspath(path)
        git_dir = None
        if os.path.isdir(os.path.join(path, ROOT)):
            self.mode = "tree"
            if os.path.exists(os.path.join(path, ".git")):
                git_dir = path
        elif os.path.isfile(os.path.join(path, "HEAD")) and os.path.isdir(os.path.join(path, "objects")):
            self.mode = "bare"
            git_dir = path
        else:
            sys.exit(f"extract_docs: {path} is neither a b24restdocs checkout (no {ROOT}/) nor a bare git directory")
        self.path = path
        self.git_args = None
        if git_dir is not None:
            self.git_args = ["git", "--git-dir", path] if self.mode == "bare" else ["git", "-C", path]
            out = self._git("log", "-1", "--format=%H%n%cs", "HEAD").split()
            self.commit, self.date = out[0], out[1]
            if self.mode == "tree":
                dirty = self._git("status", "--porcelain", "--", ROOT).strip()
                if dirty:
                    self.notes.append(f"the working tree of {ROOT}/ differs from HEAD {self.commit[:12]}; the pages read are not that commit")
        else:
            if not (commit and date):
                sys.exit("extract_docs: the docs directory is not a git checkout; pass --commit and --date")
            self.commit, self.date = commit, date
        if commit:
            self.commit = commit
        if date:
            self.date = date
        if not re.fullmatch(r"[0-9a-f]{40}", self.commit) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date):
            sys.exit(f"extract_docs: bad commit or date: {self.commit} {self.date}")
        self.pages = self._load()

    def _git(self, *args, input_bytes=None):
        res = subprocess.run(self.git_args + list(args), input=input_bytes, capture_output=True, check=True)
        return res.stdout.decode("utf-8") if input_bytes is None else res.stdout

    def _load(self):
        pages = {}
        if self.mode == "tree":
            base = os.path.join(self.path, ROOT)
            for root, dirs, files in os.walk(base):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(".md"):
                        full = os.path.join(root, name)
                        rel = os.path.relpath(full, base).replace(os.sep, "/")
                        with open(full, encoding="utf-8") as f:
                            pages[rel] = f.read()
            return pages
        listing = self._git("ls-tree", "-r", "-z", "HEAD", "--", ROOT + "/")
        entries = []
        for item in listing.split("\0"):
            if not item:
                continue
            meta, name = item.split("\t", 1)
            _mode, kind, sha = meta.split()
            if kind == "blob" and name.endswith(".md"):
                entries.append((name, sha))
        batch = "".join(sha + "\n" for _, sha in entries).encode()
        raw = self._git("cat-file", "--batch", input_bytes=batch)
        pos = 0
        for name, sha in entries:
            header_end = raw.index(b"\n", pos)
            size = int(raw[pos:header_end].split()[2])
            body = raw[header_end + 1:header_end + 1 + size]
            pos = header_end + 1 + size + 1
            pages[name[len(ROOT) + 1:]] = body.decode("utf-8")
        return pages


# ----------------------------------------------------------------------------------------------
# Markdown helpers (the docs use YFM: "#| ... |#" tables with "||" rows)

FENCE = re.compile(r"^\s*(```|~~~)")


def strip_code(text):
    """The text without fenced code blocks (examples)."""
    out, in_code = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code:
            out.append(line)
    return "\n".join(out)


def code_blocks(text):
    out, in_code = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            out.append(line)
    return "\n".join(out)


def tables(text):
    """Every YFM table of the text (code blocks removed): a list of rows, a row a list of cells."""
    result = []
    for m in re.finditer(r"^\s*#\|(.*?)^\s*\|#", strip_code(text), re.S | re.M):
        rows = []
        for chunk in re.split(r"\|\|", m.group(1)):
            if not chunk.strip():
                continue
            rows.append([c.strip() for c in split_cells(chunk)])
        result.append(rows)
    return result


def split_cells(row):
    """Split a row on single "|" outside backticks and link targets."""
    cells, cur, tick, depth = [], [], False, 0
    for ch in row:
        if ch == "`":
            tick = not tick
        elif ch == "(" and not tick:
            depth += 1
        elif ch == ")" and not tick and depth:
            depth -= 1
        if ch == "|" and not tick and depth == 0:
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    cells.append("".join(cur))
    return cells


def plain(cell):
    """The text of a cell without Markdown markup."""
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)
    return re.sub(r"[*`]", "", s).strip()


def h1(text):
    for line in strip_code(text).split("\n"):
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def link_target(page, href):
    """The api-reference path a relative link of `page` points to (anchor dropped), or None."""
    href = href.split("#", 1)[0].strip()
    if not href or re.match(r"[a-z]+:", href) or not href.endswith(".md"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
    return None if target.startswith("..") else target


def is_deprecated(page, text):
    return "/outdated/" in "/" + page or bool(re.search(r"\*\*DEPRECATED\*\*|note warning \"DEPRECATED\"", text))


# ----------------------------------------------------------------------------------------------
# Scope lines

SCOPE_CODE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")
SCOPE_LINE = re.compile(r"^(?:>\s*)?(?:\*\*Scope\*\*|Scope)\s*:(.*)$")


def scope_line(text):
    """The page's first "Scope:" statement as (general scopes, {EVENT: scopes}, raw text), or None.

    Handles "[`placement, crm`](…)", "[`a`](…), [`b`](…)", a list of "> - [`x`](…) — …" lines under
    an empty "> Scope:", "for the `onUserAdd` event — [`user`](…)" qualifiers, drops prose such as
    "`depending on the placement`" and the "(for example, [`crm`](…))" of a module-dependent scope.
    """
    lines = strip_code(text).split("\n")
    for i, line in enumerate(lines):
        m = SCOPE_LINE.match(line.strip())
        if not m:
            continue
        raw = m.group(1).strip()
        if not raw:
            extra = []
            for nxt in lines[i + 1:]:
                s = nxt.strip()
                if s in (">", ""):
                    if extra:
                        break
                    continue
                if s.startswith("> -") or s.startswith(">-"):
                    extra.append(s.lstrip(">").strip())
                else:
                    break
            raw = " ".join(extra)
        qualified = {}
        for q in re.finditer(r"for (?:the )?`(\w+)`(?: event)?\s*[—–-]+\s*\[`([^`\]]+)`\]\([^)]*\)", raw):
            qualified.setdefault(q.group(1).upper(), []).extend(split_scopes(q.group(2)))
        general_raw = re.sub(r"for (?:the )?`(\w+)`(?: event)?\s*[—–-]+\s*\[`([^`\]]+)`\]\([^)]*\)", "", raw)
        general_raw = re.sub(r"\((?:for example|e\.g\.),?\s*\[[^\]]*\]\([^)]*\)\)", "", general_raw)
        found = []
        links = re.findall(r"\[([^\]]*)\]\(", general_raw)
        sources = links if links else [general_raw]
        for src in sources:
            for tick in re.findall(r"`([^`]+)`", src):
                found.extend(split_scopes(tick))
        return unique(found), {k: unique(v) for k, v in qualified.items()}, raw
    return None


def split_scopes(s):
    return [p.strip() for p in s.split(",") if SCOPE_CODE.fullmatch(p.strip())]


def unique(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


# ----------------------------------------------------------------------------------------------
# Scopes

PERMISSIONS = "scopes/permissions.md"


def extract_scopes(docs, notes):
    text = docs.pages.get(PERMISSIONS)
    if text is None:
        sys.exit(f"extract_docs: {ROOT}/{PERMISSIONS} not found")
    table_codes = []
    for table in tables(text):
        if not table or "scope code" not in plain(table[0][0]).lower():
            continue
        for row in table[1:]:
            for cell in row:
                for bold in re.findall(r"\*\*([^*]+)\*\*", cell):
                    table_codes.extend(split_scopes(bold))
    deprecated = []
    for line in strip_code(text).split("\n"):
        m = re.match(r"^\[\*[^\]]+\]:\s*(.*)$", line.strip())
        if m and "deprecated" in m.group(1).lower():
            after = re.split(r"[—–:]", m.group(1), maxsplit=1)
            names = after[1] if len(after) > 1 else after[0]
            names = names.split(". ")[0].rstrip(".")
            deprecated.extend(split_scopes(names.replace(" and ", ", ")))
    if not table_codes:
        sys.exit(f"extract_docs: no scope table found in {PERMISSIONS}")

    scopes = {}
    for code in table_codes:
        scopes[code] = {"code": code, "page": PERMISSIONS}
    for code in deprecated:
        if code in scopes:
            scopes[code]["deprecated"] = True
        else:
            scopes[code] = {"code": code, "page": PERMISSIONS, "deprecated": True}

    stated = defaultdict(list)
    for page in sorted(docs.pages):
        if page.startswith("scopes/"):
            continue
        sl = scope_line(docs.pages[page])
        if sl is None:
            continue
        general, qualified, _ = sl
        for code in general + [c for v in qualified.values() for c in v]:
            stated[code].append(page)
    for code in sorted(stated):
        if code not in scopes:
            scopes[code] = {"code": code, "page": stated[code][0], "inPermissionsTable": False}
            notes.append(f"scope `{code}`: stated by {len(stated[code])} page(s), e.g. {stated[code][0]}, "
                         f"but not in {PERMISSIONS}")
        elif scopes[code].get("deprecated") and code not in table_codes:
            notes.append(f"scope `{code}`: deprecated in {PERMISSIONS}'s footnote but stated by "
                         f"{len(stated[code])} page(s), e.g. {stated[code][0]}")
    return [scopes[c] for c in sorted(scopes)], set(scopes)


# ----------------------------------------------------------------------------------------------
# Placements

CODE_TABLE_HEADER = re.compile(r"(placement|widget|integration|embedding point|embedding location)\s+code", re.I)
PLACEMENT_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_(?:[A-Z0-9]+|<[A-Za-z]+>|\*))+")
TEMPLATE_MARK = "XXX"


def normalise_code(code):
    """CRM_DYNAMIC_XXX_DETAIL_TAB -> CRM_DYNAMIC_<id>_DETAIL_TAB; None for other templates (CRM_XXX_…)."""
    code = code.strip()
    code = re.sub(r"^CRM_DYNAMIC_XXX_", "CRM_DYNAMIC_<id>_", code)
    if TEMPLATE_MARK in code or not PLACEMENT_CODE.fullmatch(code):
        return None
    return code


def codes_in(s):
    return [c for c in (normalise_code(t) for t in re.findall(r"`([^`]+)`", s)) if c]


def page_bind(text):
    body = strip_code(text)
    if re.search(r"`?landing\.repo\.bind`?[^\n]*(?:instead of|not)\s+\[?`?placement\.bind", body):
        return "landing.repo.bind"
    m = re.search(r"`PLACEMENT_HANDLER` parameter of the \[`?([a-z][a-z0-9]*(?:\.[a-z0-9]+)+)`?\]", body)
    if m:
        return m.group(1)
    if re.search(r"`PLACEMENT` parameter of the \[`?placement\.bind", body):
        return "placement.bind"
    if re.search(r"\[`?placement\.bind`?\]\([^)]*\) method (?:still )?accepts the placement code", body):
        return "placement.bind"
    return None


OPTIONS_HEADING = re.compile(r"^#{2,}\s+(?:OPTIONS\b|Connection Parameters\b)", re.I)


def page_options(text):
    """(option keys, required keys, says-not-supported) documented for placement.bind's OPTIONS."""
    body = strip_code(text)
    keys, required, unsupported = [], [], False
    sections, cur, cur_level = [], None, 0
    for line in body.split("\n"):
        h = re.match(r"^(#+)\s", line)
        if h:
            level = len(h.group(1))
            if OPTIONS_HEADING.match(line):
                cur, cur_level = [], level
                sections.append(cur)
                continue
            if cur is not None and level <= cur_level:
                cur = None
        if cur is not None:
            cur.append(line)
    for sec in sections:
        sec_text = "\n".join(sec)
        if re.search(r"does not support the `OPTIONS`", sec_text):
            unsupported = True
        for table in tables(sec_text):
            if not table or "parameter" not in plain(table[0][0]).lower():
                continue
            for row in table[1:]:
                m = re.match(r"\*\*([A-Za-z][A-Za-z0-9_]*)(\*?)\*\*(\*?)", row[0])
                if m:
                    keys.append(m.group(1))
                    if m.group(2) or m.group(3):
                        required.append(m.group(1))
    # prose: "accepts the `OPTIONS` parameters `extranet`, `role`, and `context`"
    for m in re.finditer(r"`OPTIONS` parameters?((?:\s*(?:,|and|,\s*and)?\s*`[A-Za-z][A-Za-z0-9_]*`)+)", body):
        keys.extend(re.findall(r"`([A-Za-z][A-Za-z0-9_]*)`", m.group(1)))
    return sorted(set(keys)), sorted(set(required)), unsupported


def index_scope_cell(cell):
    s = plain(cell).lower()
    if "not required" in s:
        return []
    return split_scopes(",".join(re.findall(r"`([^`]+)`", cell)))


def extract_placements(docs, notes):
    found = {}  # code -> entry
    order_pages = sorted(docs.pages)

    def add(code, page, how):
        text = docs.pages[page]
        sl = scope_line(text)
        scopes = [s for s in (sl[0] if sl else []) if s != "placement"]
        keys, required, unsupported = page_options(text)
        entry = {"code": code, "scopes": sorted(scopes), "bind": page_bind(text), "options": keys}
        if required:
            entry["requiredOptions"] = required
        entry["page"] = page
        if sl is None:
            entry["noScopeLine"] = True
            notes.append(f"placement {code}: {page} has no Scope line")
        if is_deprecated(page, text):
            entry["deprecated"] = True
        if how != "table":
            entry["foundIn"] = how
        if entry["bind"] is None:
            notes.append(f"placement {code}: {page} does not say how it is registered (bind: null)")
        if code in found:
            prev = found[code]
            if prev["page"] != page:
                notes.append(f"placement {code}: documented on {prev['page']} and {page}; keeping the first")
            return
        found[code] = entry

    # 1. code tables
    for page in order_pages:
        for table in tables(docs.pages[page]):
            if table and CODE_TABLE_HEADER.search(plain(table[0][0])):
                for row in table[1:]:
                    for code in codes_in(row[0]):
                        add(code, page, "table")
    # 2. the title of a placement page without a code table
    for page in order_pages:
        text = docs.pages[page]
        if any(t and CODE_TABLE_HEADER.search(plain(t[0][0])) for t in tables(text)):
            continue
        sl = scope_line(text)
        if not (page.startswith("widgets/") or (sl and "placement" in sl[0])):
            continue
        for tok in re.findall(r"[A-Z][A-Z0-9_<>*]+", h1(text)):
            if "_" in tok and TEMPLATE_MARK not in tok:
                code = normalise_code(tok)
                if code and code not in found:
                    add(code, page, "title")
    # 3. prose: "registers the `X` embedding/placement/widget"
    for page in order_pages:
        body = strip_code(docs.pages[page])
        for m in re.finditer(r"regist\w*\s+(?:the\s+|a\s+)?`([A-Z][A-Z0-9_]+)`\s+(?:embedding|placement|widget)", body):
            code = normalise_code(m.group(1))
            if code and code not in found:
                add(code, page, "prose")

    # the placement catalogue (widgets/placements.md): second opinion on scopes, and completeness
    catalog = "widgets/placements.md"
    if catalog in docs.pages:
        by_page = defaultdict(list)
        for code, e in found.items():
            by_page[e["page"]].append(code)
        for table in tables(docs.pages[catalog]):
            if not table or len(table[0]) < 3 or "scope" not in plain(table[0][-1]).lower():
                continue
            for row in table[1:]:
                m = re.match(r"\[([^\]]+)\]\(([^)]+)\)", row[0].strip())
                if not m:
                    continue
                name, target = m.group(1).strip(), link_target(catalog, m.group(2))
                idx_scopes = sorted(index_scope_cell(row[-1]))
                if TEMPLATE_MARK in name:
                    suffix = name.split(TEMPLATE_MARK + "_", 1)[1]
                    codes = [c for c in by_page.get(target, []) if c.endswith("_" + suffix)]
                else:
                    codes = [c for c in [normalise_code(name)] if c]
                if not codes:
                    notes.append(f"placement {name}: listed in {catalog} (-> {target}) but no page documents it")
                for code in codes:
                    if code not in found:
                        notes.append(f"placement {code}: listed in {catalog} but not found on its page {target}")
                        continue
                    if idx_scopes != found[code]["scopes"]:
                        found[code]["indexScopes"] = idx_scopes
                        found[code]["indexPage"] = catalog

    # codes used in examples that nothing above documents
    patterns = [re.compile("^" + re.escape(c).replace(re.escape("<id>"), r"\d+")
                           .replace(re.escape("<CODE>"), r".+").replace(re.escape("*"), r".*") + "$") for c in found]
    unmatched = defaultdict(set)
    for page in order_pages:
        code = code_blocks(docs.pages[page])
        values = re.findall(r"[\"']?PLACEMENT[\"']?\s*(?:=>|:|=)\s*[\"']([^\"']+)[\"']", code, re.I)
        if "placement.list" in h1(docs.pages[page]):  # the example answer lists codes
            for arr in re.findall(r"\"result\"\s*:\s*\[(.*?)\]", code, re.S):
                values += re.findall(r"\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"", arr)
        for val in values:
            if val not in found and not any(p.match(val) for p in patterns) and re.fullmatch(r"[A-Z][A-Z0-9_]*_[A-Z0-9_]+", val):
                unmatched[val].add(page)
    for val in sorted(unmatched):
        notes.append(f"placement {val}: only in code examples ({', '.join(sorted(unmatched[val])[:3])})")

    out = []
    for code in sorted(found):
        e = found[code]
        ordered = {k: e[k] for k in ("code", "scopes", "indexScopes", "indexPage", "bind", "options",
                                     "requiredOptions", "page", "foundIn", "noScopeLine", "deprecated") if k in e}
        out.append(ordered)
    return out


# ----------------------------------------------------------------------------------------------
# Events

EVENT_CAMEL = re.compile(r"(?:on|On|ON)[A-Z][A-Za-z0-9]{3,}")
EVENT_DOTTED = re.compile(r"[A-Z]+(?:\.[A-Z]+)*\.ON\.[A-Z]+")


def is_event_name(s):
    return bool(EVENT_CAMEL.fullmatch(s) or EVENT_DOTTED.fullmatch(s))


def squash(s):
    return re.sub(r"[^A-Za-z0-9]", "", s).upper()


def page_delivery(text):
    body = strip_code(text)
    if re.search(r"webhook mode is not supported", body, re.I) and "im.v2.Event.get" in body:
        return "im.v2.Event.get"
    if re.search(r"no need to call `?event\.bind", body, re.I):
        m = re.search(r"creates the subscription on \[`?([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)`?\]", body)
        if m:
            return m.group(1)
    return None


def event_names_in(text):
    """Every event-looking token of the page (code included), uppercased, with counts."""
    counts = defaultdict(int)
    for m in re.finditer(r"(?<![A-Za-z0-9_.:/#-])((?:on|On|ON)[A-Z][A-Za-z0-9]{3,}|[A-Z]+(?:\.[A-Z]+)*\.ON\.[A-Z]+)(?![A-Za-z0-9_(:])", text):
        counts[m.group(1).upper()] += 1
    return counts


PROSE_VERBS = re.compile(r"receiv|event\.bind|handler|regist|subscribe to|in response to|use the|using the|comes in|passed in|send|trigger|generate", re.I)
UI_MARKERS = re.compile(r"bindEvent|interface event|BX24\.", re.I)


def is_event_index(page):
    """An "Overview of events" page: index.md of a folder named events…; its Scope line speaks for its events."""
    parts = page.split("/")
    return parts[-1] == "index.md" and len(parts) > 1 and parts[-2].startswith("events")


def ui_event_names(docs):
    """Names that some sentence or example ties to the widget's JavaScript interface, not to REST."""
    names = set()
    for text in docs.pages.values():
        for m in re.finditer(r"bindEvent\(\s*['\"]([^'\"]+)['\"]", text):
            names.add(m.group(1).upper())
        for sentence in re.split(r"(?<=[.!?])\s+|\n", strip_code(text)):
            if UI_MARKERS.search(sentence):
                names.update(t.upper() for t in re.findall(r"`([^`]+)`", sentence) if is_event_name(t))
    return names


def extract_events(docs, notes):
    events = {}  # NAME -> dict
    listings = defaultdict(list)  # NAME -> [(index page, scopes or None)]

    def event_entry(name):
        return events.setdefault(name, {"name": name, "page": None, "how": None})

    # 1. event pages: the file name is the event's name
    for page in sorted(docs.pages):
        stem = posixpath.basename(page)[:-3]
        if stem in ("index", "b24-toc") or "_includes" in page:
            continue
        text = docs.pages[page]
        counts = event_names_in(text)
        match = [n for n in counts if squash(n) == squash(stem)]
        name = None
        if match:
            name = match[0]
        elif stem.startswith("on-") and re.search(r"/events?[^/]*/", "/" + page):
            title = [t for t in re.findall(r"[A-Za-z0-9.]+", h1(text)) if is_event_name(t)]
            if title:
                name = title[-1].upper()
                notes.append(f"event page {page}: no name matching the file name; using the title's {name}")
        if name is None:
            continue
        title = [t.upper() for t in re.findall(r"[A-Za-z0-9.]+", h1(text)) if is_event_name(t)]
        if title and name not in title:
            notes.append(f"event {name}: the title of {page} says {', '.join(title)}")
        e = event_entry(name)
        if e["page"] is None or e["how"] != "page":
            e["page"], e["how"] = page, "page"
        else:
            notes.append(f"event {name}: two event pages, {e['page']} and {page}; keeping the first")

    # 2. event tables
    suffix_params = {}
    for page in sorted(docs.pages):
        text = docs.pages[page]
        sl = scope_line(text)
        for table in tables(text):
            if not table or plain(table[0][0]).lower() != "event":
                continue
            skipped = 0
            for row in table[1:]:
                cell = row[0]
                link = re.match(r"\s*\[([^\]]+)\]\(([^)]+)\)", cell)
                if link:
                    name, target = plain(link.group(1)), link_target(page, link.group(2))
                else:
                    name, target = plain(cell).split()[0] if plain(cell) else "", None
                if not is_event_name(name):
                    skipped += 1
                    continue
                name = name.upper()
                e = event_entry(name)
                if e["page"] is None:
                    e["page"], e["how"] = (target if target in docs.pages else page), "table"
                idx_scopes = None
                if sl is not None and is_event_index(page):
                    general, qualified, _ = sl
                    idx_scopes = qualified.get(name, general)
                listings[name].append((page, idx_scopes))
            if skipped:
                notes.append(f"{page}: {skipped} row(s) of an Event table are not REST event names (skipped)")
        m = re.search(r"event with the suffix `_\{(\w+)\}`", strip_code(text))
        if m:
            suffix_params[page] = m.group(1)

    # 3. suffix variants documented on an index page ("the event with the suffix `_{entityTypeId}`")
    for page, param in suffix_params.items():
        for name in sorted(n for n, ls in listings.items() if any(p == page for p, _ in ls)):
            variant = f"{name}_<{param}>"
            e = event_entry(variant)
            e["page"], e["how"] = page, "suffix"
            e["variantOf"] = name
            listings[variant] = [(p, s) for p, s in listings[name] if p == page]

    # 4. prose: a sentence says the application receives/handles the `X` event
    ui_names = ui_event_names(docs)
    for page in sorted(docs.pages, key=lambda p: (posixpath.basename(p) != "index.md", p)):
        body = strip_code(docs.pages[page])
        for sentence in re.split(r"(?<=[.!?])\s+|\n", body):
            if not re.search(r"\bevents?\b", sentence, re.I) or UI_MARKERS.search(sentence) or not PROSE_VERBS.search(sentence):
                continue
            for tok in re.findall(r"`([^`]+)`|\*\*([^*]+)\*\*", sentence):
                name = (tok[0] or tok[1]).strip()
                if is_event_name(name) and name.upper() not in events and name.upper() not in ui_names:
                    e = event_entry(name.upper())
                    e["page"], e["how"] = page, "prose"

    # names used in examples (handler payloads, event.bind calls, the `events` method's answer)
    patterns = [re.compile("^" + re.sub(r"<[^>]+>", r"\\d+", re.escape(n)) + "$") for n in events]
    unmatched = defaultdict(set)
    for page in sorted(docs.pages):
        code = code_blocks(docs.pages[page])
        values = re.findall(r"[\"']event[\"']?\s*(?:=>|:)\s*[\"']([^\"']+)[\"']", code, re.I)
        if "`events` method" in docs.pages[page]:
            for arr in re.findall(r"\"result\"\s*:\s*\[(.*?)\]", code, re.S):
                values += re.findall(r"\"([^\"]+)\"", arr)
        for val in values:
            base = re.sub(r"_\d+$", "", val)
            if is_event_name(base) and val.upper() not in events and not any(p.match(val.upper()) for p in patterns):
                unmatched[val.upper()].add(page)
    for val in sorted(unmatched):
        if val not in ui_names:
            notes.append(f"event {val}: only in code examples ({', '.join(sorted(unmatched[val])[:3])})")

    # scopes and delivery
    out = []
    for name in sorted(events):
        e = events[name]
        page = e["page"]
        text = docs.pages.get(page, "")
        sl = scope_line(text)
        entry = {"name": name}
        index_scopes = []
        for idx_page, s in listings.get(name, []):
            if s is not None:
                index_scopes.extend(s)
        index_scopes = sorted(set(index_scopes))
        if sl is not None and (e["how"] in ("page", "prose") or page not in [p for p, _ in listings.get(name, [])]):
            general, qualified, _ = sl
            scopes = sorted(set(qualified.get(e.get("variantOf", name), general)))
            source = "page"
        elif index_scopes:
            scopes, source = index_scopes, "index"
        elif sl is not None:
            general, qualified, _ = sl
            scopes, source = sorted(set(qualified.get(e.get("variantOf", name), general))), "page"
        else:
            scopes, source = [], "none"
        entry["scopes"] = scopes
        if source == "page" and index_scopes and index_scopes != scopes:
            entry["indexScopes"] = index_scopes
            entry["indexPage"] = next(p for p, s in listings[name] if s is not None and sorted(set(s)) != scopes)
        delivery = None
        for idx_page, _ in listings.get(name, []):
            delivery = delivery or page_delivery(docs.pages[idx_page])
        delivery = delivery or page_delivery(text) or "event.bind"
        entry["delivery"] = delivery
        entry["page"] = page
        if e["how"] != "page":
            entry["foundIn"] = {"table": "table", "suffix": "suffix", "prose": "prose"}[e["how"]]
        if "variantOf" in e:
            entry["variantOf"] = e["variantOf"]
        if source == "index":
            entry["scopeFrom"] = "index"
        elif source == "none":
            entry["noScopeLine"] = True
            notes.append(f"event {name}: no Scope line on {page} nor on an index listing it")
        if is_deprecated(page, text):
            entry["deprecated"] = True
        out.append(entry)
    return out


# ----------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", required=True, help="b24restdocs checkout or bare git directory")
    ap.add_argument("--commit", help="record this commit (required when --docs is not a git checkout)")
    ap.add_argument("--date", help="record this commit date, YYYY-MM-DD")
    ap.add_argument("--quiet", action="store_true", help="do not print notes to stderr")
    args = ap.parse_args()

    docs = Docs(args.docs, args.commit, args.date)
    notes = list(docs.notes)
    scopes, _known = extract_scopes(docs, notes)
    placements = extract_placements(docs, notes)
    events = extract_events(docs, notes)
    snapshot = {
        "source": {"repository": "bitrix24/b24restdocs", "commit": docs.commit, "date": docs.date},
        "scopes": scopes,
        "placements": placements,
        "events": events,
    }
    json.dump(snapshot, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    if not args.quiet:
        for n in sorted(set(notes)):
            print("note: " + n, file=sys.stderr)
        print(f"extract_docs: {len(scopes)} scopes, {len(placements)} placements, {len(events)} events "
              f"from {len(docs.pages)} pages at {docs.commit[:12]} ({docs.date})", file=sys.stderr)


if __name__ == "__main__":
    main()
