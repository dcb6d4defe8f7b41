#!/bin/bash
# Probe: `b24plan init` and .gitignore (README: init "adds .b24plan/ to .gitignore (creating it)";
# "Running it again changes nothing"). For each odd .gitignore: init must not crash (exit 0, or 1/64
# with one clean sentence), must keep every byte that was there, and must add .b24plan/ at most once
# on a line of its own.
source "$(dirname "$0")/lib.sh"
export B24PLAN_DATABASE_URL=
probe() {  # NAME SETUP-COMMANDS (run in the folder)   (JUDGE=note: not filed)
  local name=$1 setup=$2 d; d=$(mktemp -d "$W/init.XXXX")
  (cd "$d" && eval "$setup")
  local before; before=$(cd "$d" && { [ -f .gitignore ] && [ ! -L .gitignore ] && od -An -c .gitignore; } | tr -d ' \n')
  local target=""; [ -L "$d/.gitignore" ] && target=$(readlink -f "$d/.gitignore") && before=$(od -An -c "$target" 2>/dev/null | tr -d ' \n')
  (cd "$d" && "$B24PLAN" init >"$d.out" 2>"$d.err"); local rc1=$?
  (cd "$d" && "$B24PLAN" init >"$d.out2" 2>"$d.err2"); local rc2=$?
  local file=$d/.gitignore; [ -n "$target" ] && file=$target
  local after=""; [ -f "$file" ] && after=$(od -An -c "$file" | tr -d ' \n')
  local count=0; [ -f "$file" ] && count=$(grep -cxE '/?\.b24plan/?(\*\*?)?' "$file")
  local kept=yes; [[ "$after" == "$before"* ]] || kept=NO
  local crash=no; grep -qiE 'fatal error|Swift runtime|backtrace|Error Domain|UsageError\(' "$d.err" "$d.err2" && crash=YES
  local ok=0
  { [ $rc1 = 0 ] || [ $rc1 = 1 ] || [ $rc1 = 64 ]; } && [ $crash = no ] && [ $kept = yes ] && [ "$count" -le 1 ] || ok=1
  ${JUDGE:-verdict} $ok "$name: init exit $rc1 then $rc2, old content kept: $kept, .b24plan lines: $count, stderr: $(cat "$d.err" | head -c 200 | tr '\n' '|') / $(cat "$d.err2" | head -c 200 | tr '\n' '|')"
}
probe "no trailing newline" "printf 'node_modules' > .gitignore"
probe "CRLF file" "printf 'node_modules\r\nbuild/\r\n' > .gitignore"
probe "CRLF file already ignoring .b24plan" "printf 'node_modules\r\n.b24plan/\r\n' > .gitignore"
probe "already /.b24plan" "printf '/.b24plan\n' > .gitignore"
probe "already .b24plan/*" "printf '.b24plan/*\n' > .gitignore"
probe "already .b24plan/ with trailing space" "printf '.b24plan/ \n' > .gitignore"
probe ".gitignore is a folder" "mkdir .gitignore"
probe ".gitignore is a symlink to a file" "printf 'dist\n' > real-ignore; ln -s real-ignore .gitignore"
probe ".gitignore is a dangling symlink" "ln -s nowhere/real .gitignore"
probe ".gitignore read-only (chattr +i)" "printf 'dist\n' > .gitignore; chattr +i .gitignore 2>/dev/null || chmod 444 .gitignore"
probe "empty .gitignore" ": > .gitignore"
probe "only a newline" "printf '\n' > .gitignore"
JUDGE=note probe "UTF-8 BOM (dropped; git skips a BOM anyway)" "printf '\xef\xbb\xbfdist\n' > .gitignore"
probe "not UTF-8" "printf 'caf\xe9\n' > .gitignore"
probe "negated !.b24plan/" "printf '*\n!.b24plan/\n' > .gitignore"
for d in "$W"/init.*; do [ -d "$d" ] && chattr -i "$d/.gitignore" 2>/dev/null; done
# A read-only folder (as root only an immutable folder refuses writes).
d=$(mktemp -d "$W/rofolder.XXXX"); printf 'dist\n' >"$d/.gitignore"; chattr +i "$d" 2>/dev/null || chmod 555 "$d"
(cd "$d" && "$B24PLAN" init >"$d.out" 2>"$d.err"); rc=$?
chattr -i "$d" 2>/dev/null; chmod 755 "$d"
crash=no; grep -qiE 'fatal error|Swift runtime|backtrace' "$d.err" && crash=YES
verdict $({ [ $rc = 1 ] || [ $rc = 64 ]; } && [ $crash = no ] && [ "$(grep -c . "$d.err")" -le 2 ] && echo 0 || echo 1) "init in a read-only folder: exit $rc: $(head -c 300 "$d.err" | tr '\n' '|')"
finish
