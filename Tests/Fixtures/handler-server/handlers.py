"""A local stand-in for an app's handler URLs, for b24plan's preflight tests (Python 3 stdlib only).

Serves 127.0.0.1 on a free port and prints `PORT <n>` on stdout once listening; exits when stdin
reaches EOF. Every request is answered by the path's first segment:

  /ok/...       200          /signed/...   401 (a handler that wants a signed request)
  /missing/...  404          /broken/...   500
  /slow/...     200 after 5 s (longer than a short --preflight-timeout)

`POST /_set` with a form `path=<segment>&status=<code>` changes what a segment answers (a fixed
deploy); `GET /_log` returns every request seen as JSON lines `{"method", "path", "length"}`.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ANSWERS = {"ok": 200, "signed": 401, "missing": 404, "broken": 500, "slow": 200}
LOG = []
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        segment = self.path.strip("/").split("/")[0].split("?")[0]
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
            LOG.append({"method": self.command, "path": self.path, "length": length})
            status = ANSWERS.get(segment, 404)
        if segment == "slow":
            time.sleep(5)
        self._send(status, b"handler")

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
