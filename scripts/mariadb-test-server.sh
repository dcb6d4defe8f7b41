# Starts a throwaway MariaDB server for the test suite and exports its URL.
#
# SOURCE it (do not run it) from the test script, before `swift test`, like
# scripts/postgres-test-cluster.sh (the two EXIT traps compose, in either order):
#     source scripts/mariadb-test-server.sh
#     swift test
# It exports B24PLAN_TEST_MYSQL_URL=mysql://b24plan:PASSWORD@127.0.0.1:PORT/b24plan_test, where the
# password holds `@`, `/`, `:` and `%` (written `%25` in the URL) so every test connects with a
# nasty one, and adds to the shell's EXIT trap (keeping any trap already set) a step that stops the
# server and deletes its folder. Returns non-zero when it cannot start.
#
# How (see shared/SWIFT-ON-LINUX.md): Debian's `mariadb-server` (apt-get installs it when
# mariadbd is missing); as root the server runs as the `mysql` user (created when missing),
# otherwise as the current user; `mariadb-install-db` into a fresh `mktemp -d` folder under /tmp,
# then `mariadbd --no-defaults` with its socket in that folder, listening on 127.0.0.1 only, on a
# free port from the kernel. The test user may create and drop databases (one per test).
# Works under the caller's `set -euo pipefail` and without it. Needs bash, python3 and, when
# MariaDB must be installed, root or sudo.

# The OS user the server runs as.
_b24plan_my_owner() {
    if [ "$(id -u)" -eq 0 ]; then echo mysql; else id -un; fi
}

# Runs a command as the server's owner.
_b24plan_my_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u mysql -- "$@"; else "$@"; fi
}

# Installs mariadb-server when mariadbd is missing.
_b24plan_my_install() {
    if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then return 0; fi
    echo "==> installing mariadb-server (no mariadbd)" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq >&2 || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null || return 1
}

# Prints a TCP port nobody listens on (the kernel's pick for port 0).
_b24plan_my_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Stops the server of folder $1 and deletes the folder. Leaves the exit status it was called with
# in _b24plan_my_status for the trap that chains after it, and returns 0 (see the PostgreSQL script).
_b24plan_my_stop() {
    _b24plan_my_status=$?
    local dir="$1" pid attempt
    if [ -f "$dir/mariadbd.pid" ]; then
        pid="$(cat "$dir/mariadbd.pid" 2>/dev/null || true)"
        if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then
            for attempt in $(seq 1 100); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$dir" || true
}

# Prints its first argument: the COMMAND of `trap -- 'COMMAND' EXIT` once the shell unquotes it.
_b24plan_my_trap_command() {
    if [ "$1" = "--" ]; then shift; fi
    printf '%s' "$1"
}

# Starts the server, installs the EXIT trap and exports the URL.
_b24plan_my_start() {
    local owner dir data port attempt existing started="" mariadbd client admin
    _b24plan_my_install || return 1
    mariadbd="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
    client="$(command -v mariadb)"
    admin="$(command -v mariadb-admin)"
    owner="$(_b24plan_my_owner)"
    if [ "$(id -u)" -eq 0 ] && ! id -u mysql >/dev/null 2>&1; then
        useradd --system --no-create-home mysql || return 1
    fi
    dir="$(mktemp -d /tmp/b24plan-my.XXXXXXXX)" || return 1
    if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$dir" || return 1; fi
    chmod 700 "$dir"
    data="$dir/data"

    existing="$(trap -p EXIT)"
    if [ -n "$existing" ]; then
        eval "existing=\$(_b24plan_my_trap_command ${existing#trap })"
    fi
    trap "_b24plan_my_stop '$dir'${existing:+; set +e; (exit \$_b24plan_my_status); $existing}" EXIT

    if ! _b24plan_my_as_owner mariadb-install-db --no-defaults --datadir="$data" --user="$owner" \
        --skip-test-db --auth-root-authentication-method=socket >"$dir/install.log" 2>&1; then
        echo "mariadb-test-server: mariadb-install-db failed:" >&2
        tail -n 20 "$dir/install.log" >&2
        return 1
    fi
    # A port picked by the kernel can be taken before the server binds it: try a few.
    for attempt in 1 2 3; do
        port="$(_b24plan_my_free_port)" || return 1
        _b24plan_my_as_owner "$mariadbd" --no-defaults --datadir="$data" --socket="$dir/sock" --port="$port" \
            --bind-address=127.0.0.1 --user="$owner" --pid-file="$dir/mariadbd.pid" --log-error="$dir/server.log" \
            --skip-log-bin --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=64M --max-connections=300 \
            --skip-name-resolve >/dev/null 2>&1 &
        for _ in $(seq 1 300); do
            if "$admin" --no-defaults --socket="$dir/sock" -u "$(id -un)" ping >/dev/null 2>&1; then
                started=yes
                break
            fi
            kill -0 $! 2>/dev/null || break
            sleep 0.1
        done
        [ -n "$started" ] && break
    done
    if [ -z "$started" ]; then
        echo "mariadb-test-server: the server did not start:" >&2
        tail -n 20 "$dir/server.log" >&2 || true
        return 1
    fi
    # A password with every character a URL parser trips on; `%` is `%25` in the URL. Not the
    # secret the secrets tests look for ("p@ss", "w:rd"): the deploy hook inherits this variable.
    local password='my@pw/k:v%41' encoded='my@pw/k:v%2541'
    if ! "$client" --no-defaults --socket="$dir/sock" -u "$(id -un)" >"$dir/setup.log" 2>&1 <<SQL; then
CREATE DATABASE b24plan_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER 'b24plan'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER 'b24plan'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'b24plan'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'b24plan'@'localhost';
SQL
        echo "mariadb-test-server: could not create the test database and user:" >&2
        cat "$dir/setup.log" >&2
        return 1
    fi
    export B24PLAN_TEST_MYSQL_URL="mysql://b24plan:$encoded@127.0.0.1:$port/b24plan_test"
    echo "==> MariaDB $("$mariadbd" --version | awk '{print $3}') test server on port $port ($dir)" >&2
}

_b24plan_my_start || { echo "mariadb-test-server: could not start MariaDB" >&2; false; }
