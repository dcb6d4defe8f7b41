"""A small HTTP/1.1 server on asyncio.start_server: keep-alive, Content-Length (and chunked)
request bodies, `Expect: 100-continue`, TCP_NODELAY, a large listen backlog."""

import asyncio
import socket

REASONS = {
    100: "Continue", 200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized",
    403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 411: "Length Required",
    413: "Payload Too Large", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable",
}
MAX_BODY = 64 * 1024 * 1024


class Request:
    __slots__ = ("method", "path", "query", "version", "headers", "body")

    def __init__(self, method, path, query, version, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body


class Response:
    __slots__ = ("status", "body", "content_type", "headers")

    def __init__(self, status, body=b"", content_type="application/json; charset=utf-8", headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers


class BadRequest(Exception):
    pass


class HTTPServer:
    """Calls `await handler(request) -> Response` for every request of every connection."""

    def __init__(self, handler):
        self.handler = handler
        self.connections_open = 0
        self.connections_max = 0
        self.connections_total = 0

    async def start(self, host, port, backlog=4096):
        return await asyncio.start_server(self._serve, host, port, backlog=backlog,
                                          limit=256 * 1024, reuse_address=True)

    async def _serve(self, reader, writer):
        sock = writer.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        self.connections_open += 1
        self.connections_total += 1
        self.connections_max = max(self.connections_max, self.connections_open)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                try:
                    request = _parse_head(head)
                    if request.headers.get("expect", "").lower() == "100-continue":
                        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                    request.body = await _read_body(reader, request.headers)
                except BadRequest as error:
                    writer.write(_render(Response(400, str(error).encode(), "text/plain"), False))
                    await writer.drain()
                    return
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                keep_alive = _keep_alive(request)
                response = await self.handler(request)
                if response.headers and response.headers.get("Connection") == "close":
                    keep_alive = False
                writer.write(_render(response, keep_alive))
                await writer.drain()
                if not keep_alive:
                    return
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.connections_open -= 1
            try:
                writer.close()
            except Exception:
                pass


def _parse_head(head):
    lines = head[:-4].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest("bad request line")
    method, target, version = parts
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest("bad header line")
        headers[name.strip().lower()] = value.strip()
    path, _, query = target.partition("?")
    return Request(method.upper(), path, query, version, headers, b"")


async def _read_body(reader, headers):
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        total = 0
        while True:
            size_line = await reader.readuntil(b"\r\n")
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise BadRequest("bad chunk size")
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise BadRequest("body too large")
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
    length = headers.get("content-length")
    if not length:
        return b""
    try:
        count = int(length)
    except ValueError:
        raise BadRequest("bad Content-Length")
    if count < 0 or count > MAX_BODY:
        raise BadRequest("bad Content-Length")
    return await reader.readexactly(count) if count else b""


def _keep_alive(request):
    connection = request.headers.get("connection", "").lower()
    if request.version == "HTTP/1.0":
        return "keep-alive" in connection
    return "close" not in connection


def _render(response, keep_alive):
    lines = ["HTTP/1.1 %d %s" % (response.status, REASONS.get(response.status, "Status"))]
    if response.content_type is not None:
        lines.append("Content-Type: " + response.content_type)
    lines.append("Content-Length: %d" % len(response.body))
    if response.headers:
        for name, value in response.headers.items():
            if name != "Connection":
                lines.append("%s: %s" % (name, value))
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body
