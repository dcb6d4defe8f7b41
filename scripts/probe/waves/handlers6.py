"""Handler stand-in for the preflight probes: 127.0.0.1 and ::1 on one port each; prints
`PORT4 <n>` and `PORT6 <n>`; exits on stdin EOF. /status/<code>/... answers <code>;
/sleep/<ms>/... answers 200 after <ms>; /_log lists requests (method, path, body length, peer)."""
import json, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
LOG = []; LOCK = threading.Lock()
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def _a(self):
        n = int(self.headers.get("Content-Length") or 0); body = self.rfile.read(n) if n else b""
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[0] == "_log":
            with LOCK: t = "".join(json.dumps(e) + "\n" for e in LOG)
            return self._s(200, t.encode())
        with LOCK: LOG.append({"method": self.command, "path": self.path, "length": n, "t": time.time(), "ct": self.headers.get("Content-Type")})
        status = 200
        if parts[0] == "status" and len(parts) > 1: status = int(parts[1])
        if parts[0] == "sleep" and len(parts) > 1: time.sleep(int(parts[1]) / 1000)
        self._s(status, b"handler")
    def _s(self, status, body):
        self.send_response(status); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    do_GET = do_POST = do_HEAD = _a
class S4(ThreadingHTTPServer): request_queue_size = 1024  # the default 5 drops connections opened at once
class S6(S4): address_family = socket.AF_INET6
s4 = S4(("127.0.0.1", 0), H); s6 = S6(("::1", 0), H)
for s in (s4, s6): s.daemon_threads = True; threading.Thread(target=s.serve_forever, daemon=True).start()
print("PORT4 %d\nPORT6 %d" % (s4.server_address[1], s6.server_address[1]), flush=True)
sys.stdin.read()
