# Starts a throwaway PostgreSQL cluster for the test suite and exports its URL.
#
# SOURCE it (do not run it) from the test script, before `swift test`:
#     source scripts/postgres-test-cluster.sh
#     swift test
# It exports B24PLAN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres and adds to the
# shell's EXIT trap (keeping any trap already set) a step that stops the server and deletes its
# data folder, so a failing test run leaves nothing behind. Returns non-zero when it cannot start.
#
# How (see shared/SWIFT-ON-LINUX.md): the binaries of `pg_config --bindir` (apt-get installs
# `postgresql` when initdb is missing there), the Debian `postgres` user when running as root
# (created when missing; commands run through `runuser -u postgres --`), or the current user
# otherwise; initdb into a fresh `mktemp -d` folder under /tmp with trust authentication; a free
# port from the kernel; listening on 127.0.0.1 only, socket in the data folder, fsync off.
# Works under the caller's `set -euo pipefail` and without it. Needs bash, python3 and, when
# PostgreSQL must be installed, root or sudo.

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
_b24plan_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Prints the folder holding initdb and pg_ctl, installing PostgreSQL when there is none.
_b24plan_pg_bindir() {
    local bindir=""
    if command -v pg_config >/dev/null 2>&1; then bindir="$(pg_config --bindir)"; fi
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
        echo "==> installing postgresql (no initdb in '${bindir:-no pg_config}')" >&2
        local sudo=""
        if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
        $sudo apt-get update -qq >&2 || return 1
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
        if command -v pg_config >/dev/null 2>&1; then bindir="$(pg_config --bindir)"; fi
        if [ ! -x "$bindir/initdb" ]; then
            # pg_config (from libpq-dev) may name another major version than the server installed.
            bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
        fi
    fi
    if [ ! -x "$bindir/initdb" ]; then
        echo "postgres-test-cluster: no initdb found" >&2
        return 1
    fi
    printf '%s\n' "$bindir"
}

# Prints a TCP port nobody listens on (the kernel's pick for port 0).
_b24plan_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Stops the cluster in folder $1 (binaries in $2) and deletes the folder. Leaves the exit status
# it was called with in _b24plan_pg_status for the trap that chains after it, and returns 0 (a
# non-zero return would end the trap there under `set -e`, skipping the chained command).
_b24plan_pg_stop() {
    _b24plan_pg_status=$?
    local dir="$1" bindir="$2"
    if [ -f "$dir/data/postmaster.pid" ]; then
        _b24plan_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" stop -m fast -w -t 30 >/dev/null 2>&1 || true
    fi
    rm -rf "$dir" || true
}

# Starts the cluster, installs the EXIT trap and exports the URL.
_b24plan_pg_start() {
    local bindir dir data port attempt existing started=""
    bindir="$(_b24plan_pg_bindir)" || return 1
    if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
        useradd --system --no-create-home postgres || return 1
    fi
    dir="$(mktemp -d /tmp/b24plan-pg.XXXXXXXX)" || return 1
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir" || return 1; fi
    chmod 700 "$dir"
    data="$dir/data"  # initdb wants an empty folder: the logs stay beside it

    # Chain with the EXIT trap already set: `trap -p EXIT` prints `trap -- 'COMMAND' EXIT`.
    existing="$(trap -p EXIT)"
    if [ -n "$existing" ]; then
        eval "existing=\$(_b24plan_pg_trap_command ${existing#trap })"
    fi
    # The chained command sees the original $? again, without `set -e` (cleanup should not stop early).
    trap "_b24plan_pg_stop '$dir' '$bindir'${existing:+; set +e; (exit \$_b24plan_pg_status); $existing}" EXIT

    if ! _b24plan_pg_as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        echo "postgres-test-cluster: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        return 1
    fi
    # A port picked by the kernel can be taken before the server binds it: try a few.
    for attempt in 1 2 3; do
        port="$(_b24plan_pg_free_port)" || return 1
        if _b24plan_pg_as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
            -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
            start >/dev/null 2>&1; then
            started=yes
            break
        fi
    done
    if [ -z "$started" ]; then
        echo "postgres-test-cluster: the server did not start:" >&2
        tail -n 20 "$dir/server.log" >&2 || true
        return 1
    fi
    export B24PLAN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    echo "==> PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') test cluster on port $port ($dir)" >&2
}

# Prints its first argument: the COMMAND of `trap -- 'COMMAND' EXIT` once the shell unquotes it.
_b24plan_pg_trap_command() {
    if [ "$1" = "--" ]; then shift; fi
    printf '%s' "$1"
}

_b24plan_pg_start || { echo "postgres-test-cluster: could not start PostgreSQL" >&2; false; }
