#!/usr/bin/env python3
"""A farm of fake Bitrix24 portals plus the OAuth token endpoint, in one asyncio process.

Serve:     python3 farm.py --config CONFIG.json [--port 0] [--sqlite PATH] [--postgres URL]
           prints "PORT <n>" on stdout once it accepts connections (and the --sqlite / --postgres
           table is filled); exits on stdin EOF, SIGTERM, SIGINT or POST /_farm/shutdown.
Generate:  python3 farm.py --generate N --seed S --faults "expired_token=0.05,flaky_5xx=0.05" \
               [--access-ttl 0.5] --out CONFIG.json

See README.md in this folder. Python 3.11 standard library only.
"""

import signal

# A parent that spawned us from a thread with signals blocked (Foundation's Process does that)
# must still be able to stop us with SIGTERM.
signal.pthread_sigmask(signal.SIG_SETMASK, [])

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import farm_config  # noqa: E402
import farm_db  # noqa: E402
from farm_app import Farm  # noqa: E402
from farm_http import HTTPServer  # noqa: E402


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Fake Bitrix24 portal farm (see README.md)")
    parser.add_argument("--config", help="farm config JSON (serve mode)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--sqlite", help="fill this SQLite installations table once the port is known")
    parser.add_argument("--sqlite-table", default="portals", help="table name for --sqlite")
    parser.add_argument("--postgres", metavar="URL", help="fill this PostgreSQL installations table (through psql)")
    parser.add_argument("--postgres-table", default="portals", help="table name for --postgres")
    parser.add_argument("--access-ttl", type=float, metavar="SECONDS",
                        help="life of every issued access token, the initial ones too (generate: written to "
                             "the config; serve: overrides it)")
    parser.add_argument("--backlog", type=int, default=4096)
    parser.add_argument("--latency-ms", type=float, help="override the config's latency_ms")
    parser.add_argument("--ignore-stdin", action="store_true", help="do not exit on stdin EOF")
    parser.add_argument("--log-requests", action="store_true", help="one line per request on stderr")
    parser.add_argument("--generate", type=int, metavar="N", help="write a config of N portals and exit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--faults", default="", help='e.g. "expired_token=0.05,deleted=3" (share or count)')
    parser.add_argument("--scopes", default="crm,placement,task", help="granted scopes, comma-separated")
    parser.add_argument("--newest-scope", default="task", help="the scope `missing_scope` portals lack")
    parser.add_argument("--enterprise", type=float, default=0.1, help="share of ru_ent10000 licences")
    parser.add_argument("--languages", default="en", help="portal languages, assigned round-robin")
    parser.add_argument("--bind-from", help="release plan whose placements/events every portal has")
    parser.add_argument("--no-bindings", action="store_true", help="portals start with no placements/events")
    parser.add_argument("--app-version", default="1")
    parser.add_argument("--unknown-methods", default="", help="methods method.get reports as missing")
    parser.add_argument("--out", help="where --generate writes (default: stdout)")
    arguments = parser.parse_args(argv)
    if (arguments.generate is None) == (arguments.config is None):
        parser.error("give exactly one of --config or --generate")
    return arguments


def generate(arguments):
    bindings = None
    if arguments.no_bindings:
        bindings = ([], [])
    elif arguments.bind_from:
        bindings = farm_config.plan_bindings(arguments.bind_from)
    config = farm_config.generate(
        arguments.generate, seed=arguments.seed, faults=arguments.faults,
        scopes=[s for s in arguments.scopes.split(",") if s], newest_scope=arguments.newest_scope,
        enterprise=arguments.enterprise, languages=[s for s in arguments.languages.split(",") if s],
        bindings=bindings, app_version=arguments.app_version,
        unknown_methods=[m for m in arguments.unknown_methods.split(",") if m], access_ttl=arguments.access_ttl)
    text = json.dumps(config, ensure_ascii=False, indent=1) + "\n"
    if arguments.out:
        with open(arguments.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


def raise_file_limit():
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = hard if hard != resource.RLIM_INFINITY else 65536
        if soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ImportError, ValueError, OSError):
        pass


def watch_stdin(loop, farm):
    """Stops the farm when stdin reaches EOF (the parent died). os.read avoids sys.stdin's lock."""
    def run():
        try:
            while os.read(0, 65536):
                pass
        except OSError:
            pass
        loop.call_soon_threadsafe(farm.stop)
    threading.Thread(target=run, name="stdin-watch", daemon=True).start()


async def serve(arguments):
    config = farm_config.load(arguments.config)
    if arguments.latency_ms is not None:
        config["latency_ms"] = arguments.latency_ms
    if arguments.access_ttl is not None:
        config["access_ttl"] = arguments.access_ttl
    farm = Farm(config, log_requests=arguments.log_requests)
    config["portals"] = None  # the portals hold their own state now
    gc.collect()
    gc.freeze()  # 20,000 portals' objects would otherwise make every full collection a long pause
    server = await HTTPServer(farm.handle).start("127.0.0.1", arguments.port, backlog=arguments.backlog)
    farm.port = server.sockets[0].getsockname()[1]
    foreign = await HTTPServer(farm.foreign).start("127.0.0.1", 0, backlog=256)
    farm.foreign_port = foreign.sockets[0].getsockname()[1]
    if arguments.sqlite:
        farm_config.write_installations(arguments.sqlite, farm, arguments.sqlite_table)
    if arguments.postgres:
        farm_config.write_installations_postgres(arguments.postgres, farm, arguments.postgres_table)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, farm.stop)
    if not arguments.ignore_stdin:
        watch_stdin(loop, farm)
    sys.stdout.write("PORT %d\n" % farm.port)
    sys.stdout.flush()
    print("farm: %d portals on http://127.0.0.1:%d" % (len(farm.portals), farm.port), file=sys.stderr)
    await farm.stopped.wait()
    server.close()
    foreign.close()


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    if arguments.generate is not None:
        try:
            generate(arguments)
        except (ValueError, KeyError, OSError) as error:
            print("farm: %s" % error, file=sys.stderr)
            return 1
        return 0
    raise_file_limit()
    try:
        asyncio.run(serve(arguments))
    except (ValueError, OSError, farm_db.PsqlError, farm_db.sqlite3.Error) as error:
        print("farm: %s" % error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # never wait for the stdin thread
