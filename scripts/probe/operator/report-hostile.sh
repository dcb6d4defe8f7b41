#!/bin/bash
# Probe: `b24plan report --format html|json` over a journal full of hostile strings: member ids,
# a portal's error text, a gate rejection reason and a gate actor holding <script>, </style>, ]]>,
# quotes, terminal escapes and 10,000 characters. README: "Every value from the store … is escaped";
# "no script and nothing fetched (no font, image or link)"; lists are capped.
source "$(dirname "$0")/lib.sh"
farm_up 8 >/dev/null
b baseline $P1 >/dev/null
EVIL="</style><script>alert(1)</script>]]><!--\"'&amp;<img src=https://evil.example/x.png><link rel=stylesheet href=http://evil.example/s.css>$(printf '\033')[2J"
LONG=$(python3 -c "print('R'*10000)")
mkfifo "$W/h.in"; ( python3 "$(dirname "$0")/hostile_portal.py" <"$W/h.in" >"$W/h.out" 2>/dev/null & ); exec 8>"$W/h.in"
for i in $(seq 1 50); do grep -q PORT "$W/h.out" 2>/dev/null && break; sleep 0.1; done
HP=$(awk '/PORT/{print $2}' "$W/h.out")
python3 - "$W/state.db" "$HP" "$EVIL" <<'PY'
import sqlite3, sys
db, port, evil = sys.argv[1:4]
c = sqlite3.connect(db)
ids = [evil, "x" * 1000 + evil, "<b>bold</b>", "a\"b'c", "]]>", "é日本"]
for i in ids:
    c.execute("INSERT INTO portals (member_id, domain, client_endpoint, access_token, refresh_token, expires_at, active) VALUES (?,?,?,?,?,?,1)",
              (i, "x", f"http://127.0.0.1:{port}/p/x/rest/", "a", "r", 4102444800))
c.commit()
PY
b apply --yes $P2 >/dev/null 2>&1
b gate pass deploy $P2 --by "$EVIL" >/dev/null 2>&1
b gate pass gate.partner $P2 --by "$EVIL$LONG" >/dev/null 2>&1
b gate reject gate.moderation $P2 --reason "$EVIL$LONG" >/dev/null 2>&1; echo "gate reject exit $?"
b gate pass gate.moderation $P2 --by "$EVIL" >/dev/null 2>&1
b apply --yes --parallel 2 $P2 >/dev/null 2>&1; echo "apply exit $?"
b report $P2 --out "$W/r.html"; rc=$?
b report $P2 --format json >"$W/r.json"; rcj=$?
verdict $([ $rc = 0 ] && [ $rcj = 0 ] && echo 0 || echo 1) "report html exit $rc, json exit $rcj"
python3 - "$W/r.html" "$W/r.json" <<'PY'
import html.parser, json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
bad = []
for needle in ["<script", "</style><", "<img", "<link", "\x1b", "<!--\"", "]]>", "<b>bold"]:
    if needle in page: bad.append(needle)
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.tags = set(); self.loads = []
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            if k in ("src", "href", "srcset", "xlink:href", "data", "action", "poster", "background") and v and not v.startswith("#"):
                self.loads.append(f"{tag} {k}={v[:60]}")
p = P(); p.feed(page)
bad += p.loads
bad += [t for t in p.tags if t in ("script", "img", "link", "iframe", "object", "embed", "base", "image", "use", "foreignobject")]
for m in re.finditer(r"<style[^>]*>(.*?)</style>", page, re.S):
    if re.search(r"url\(\s*[\"']?(?!#)", m.group(1)) or "@import" in m.group(1): bad.append("css loads a resource")
doc = json.load(open(sys.argv[2]))
print(f"page {len(page)} bytes; tags {sorted(p.tags)}")
print("PASS: page escapes every hostile value and loads nothing" if not bad else f"FAIL: page holds {bad[:6]}"); sys.exit(1 if bad else 0)
PY
[ $? = 0 ] || FAILS=$((FAILS+1))
exec 8>&-
finish
