"""A small HTTP/1.1 test server for b24plan's HTTP transport tests (Python 3 standard library only).

Serves 127.0.0.1 and, when the machine has it, ::1 (asyncio, keep-alive, TCP_NODELAY); prints
`PORT <n>` and `PORT6 <n>` (0 without IPv6) on stdout once listening; exits when stdin reaches EOF.

  /status/<code>          answers <code>, with `X-Answer: <code>` and `X-Twice` sent twice (one, two)
  /bytes/<n>              200 with n bytes, byte i being i % 251
  /echo                   200 with the request body; X-Method, X-Expect ("none" without one),
                          X-Content-Type, X-Length and X-User-Agent say what came
  /redirect/<code>/<path> <code> with `Location: /<path>`
  /sleep/<ms>             200 after <ms> milliseconds
  /close                  200 and `Connection: close`
  /_stats                 {"connections": connections accepted, "requests": requests answered}
"""

import asyncio
import json
import signal
import socket
import sys

signal.pthread_sigmask(signal.SIG_SETMASK, [])
STATS = {"connections": 0, "requests": 0}
REASONS = {200: "OK", 204: "No Content", 302: "Found", 404: "Not Found", 500: "Internal Server Error"}


def answer(method, path, headers, body):
    parts = path.split("?")[0].strip("/").split("/")
    head = parts[0]
    if head == "status":
        code = int(parts[1])
        return code, [("X-Answer", str(code)), ("X-Twice", "one"), ("X-Twice", "two")], b"" if code == 204 else b"status"
    if head == "bytes":
        count = int(parts[1])
        return 200, [], bytes(i % 251 for i in range(count))
    if head == "echo":
        return 200, [("X-Method", method), ("X-Expect", headers.get("expect", "none")),
                     ("X-Content-Type", headers.get("content-type", "")), ("X-Length", str(len(body))),
                     ("X-User-Agent", headers.get("user-agent", ""))], body
    if head == "redirect":
        return int(parts[1]), [("Location", "/" + "/".join(parts[2:]))], b""
    if head == "close":
        return 200, [("Connection", "close")], b"closing"
    if head == "_stats":
        return 200, [], json.dumps(STATS).encode()
    return 404, [], b"no such path"


async def serve(reader, writer):
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    STATS["connections"] += 1
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            lines = head[:-4].decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if headers.get("expect", "").lower() == "100-continue":
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            length = int(headers.get("content-length") or 0)
            body = await reader.readexactly(length) if length else b""
            if path.startswith("/sleep/"):
                await asyncio.sleep(int(path.split("/")[2]) / 1000)
            status, extra, content = answer(method, path, headers, body)
            STATS["requests"] += 1
            close = any(name == "Connection" for name, _ in extra)
            out = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status")), "Content-Length: %d" % len(content)]
            out += ["%s: %s" % pair for pair in extra if pair[0] != "Connection"]
            out.append("Connection: close" if close else "Connection: keep-alive")
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + (b"" if method == "HEAD" else content))
            await writer.drain()
            if close:
                return
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0, backlog=4096, limit=1 << 20)
    port6 = 0
    try:
        server6 = await asyncio.start_server(serve, "::1", 0, family=socket.AF_INET6, backlog=128)
        port6 = server6.sockets[0].getsockname()[1]
    except OSError:
        pass
    print("PORT %d\nPORT6 %d" % (server.sockets[0].getsockname()[1], port6), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main())
