#!/usr/bin/env python3
"""A hostile "portal": every REST request gets HTTP 400 with an error code and description chosen
to test escaping (terminal control characters, HTML, CDATA end, quotes, a 10,000-character tail).
Prints PORT n; exits when stdin closes."""
import http.server, json, signal, sys, threading

signal.pthread_sigmask(signal.SIG_SETMASK, [])
CODE = sys.argv[1] if len(sys.argv) > 1 else "EVIL_\u001b[2J<script>alert(1)</script>"
DESC = sys.argv[2] if len(sys.argv) > 2 else (
    "line1\nline2\r\u001b]0;pwned\u0007 </style><script>alert('x')</script> ]]> \"q\" 'q' "
    "<img src=http://evil.example/x.png> " + "L" * 10000)


class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({"error": CODE, "error_description": DESC}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *a):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print("PORT", server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
