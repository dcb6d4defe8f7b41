"""A local stand-in for an app's handler URLs, for b24plan's preflight tests (Python 3 stdlib only).

Serves 127.0.0.1 (HTTP/1.1) on a free port and prints `PORT <n>` on stdout once listening; exits
when stdin reaches EOF. Every request is answered by the path's first segment:

  /ok/...      200        /signed/...   401 (wants a signed request)   /forbidden/...    403
  /missing/... 404        /gone/...     404                            /broken/...       500
  /unavailable/... 503    /slow/...     200 after 5 s                  /r302/...  302 to /gone/target

`POST /_set` with a form `path=<segment>&status=<code>` changes what a segment answers (a fixed
deploy; `r302` redirects only while its status is 404); `GET /_log` returns every other request
as JSON lines `{"method", "path", "length", "type"}`.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ANSWERS = {"ok": 200, "signed": 401, "forbidden": 403, "missing": 404, "gone": 404, "broken": 500,
           "unavailable": 503, "slow": 200, "r302": 404}
LOG = []
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        segment = self.path.lstrip("/").split("/")[0].split("?")[0]
        if segment == "_set":
            form = parse_qs(body.decode())
            with LOCK:
                ANSWERS[form["path"][0]] = int(form["status"][0])
            return self._send(200, b"set")
        if segment == "_log":
            with LOCK:
                text = "".join(json.dumps(entry) + "\n" for entry in LOG)
            return self._send(200, text.encode())
        with LOCK:
            LOG.append({"method": self.command, "path": self.path, "length": length,
                        "type": self.headers.get("Content-Type") or ""})
            status = ANSWERS.get(segment, 404)
        if segment == "r302" and status == 404:
            self.send_response(302)
            self.send_header("Location", "/gone/target")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if segment == "slow" and status == 200:
            time.sleep(5)
        self._send(status, b"handler")

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer


class Server(ThreadingHTTPServer):
    # The default listen backlog (5) drops connections when a client opens many at once.
    request_queue_size = 1024


def main():
    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
