import Foundation
import Testing

/// Held-out tests of issue 14: a faster transport must put on the wire exactly what Bitrix24
/// expects (a JSON body with `auth`; batch commands as `method?PHP-query` percent-encoded), keep
/// connections alive, and store rotated tokens before any request uses them. A recording proxy
/// (Python standard library) sits between b24plan and the fake farm and, at the moment each REST
/// request arrives, looks its `auth` token up in the installations table.
@Suite("held-out: what goes on the wire (issue 14)", .serialized)
struct PerformanceHeldOutWireTests {
    static let proxyScript = #"""
        import http.client, http.server, json, sqlite3, sys, threading, time, socketserver
        farm_port = int(sys.argv[1]); log_path = sys.argv[2]; db_path = sys.argv[3]
        lock = threading.Lock(); log = open(log_path, "a", buffering=1); local = threading.local()
        def token_stored(token):
            if not token: return None
            con = sqlite3.connect(db_path, timeout=30)
            try: return con.execute("SELECT COUNT(*) FROM portals WHERE access_token = ?", (token,)).fetchone()[0] > 0
            finally: con.close()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *a): pass
            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip().split(b";")[0], 16)
                        if size == 0:
                            self.rfile.readline(); return data
                        data += self.rfile.read(size); self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))
            def relay(self):
                data = self.body()
                record = {"conn": "%s:%d" % self.client_address, "method": self.command, "path": self.path,
                          "contentType": self.headers.get("Content-Type", ""), "body": data.decode("utf-8", "replace"), "t": time.time()}
                if "/rest/" in self.path:
                    auth = None
                    try: auth = json.loads(data).get("auth")
                    except Exception: pass
                    record["auth"] = auth; record["tokenStored"] = token_stored(auth)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "transfer-encoding", "content-length", "host", "expect")}
                headers["Content-Length"] = str(len(data))
                for attempt in range(2):
                    conn = getattr(local, "conn", None)
                    if conn is None: conn = local.conn = http.client.HTTPConnection("127.0.0.1", farm_port, timeout=60)
                    try:
                        conn.request(self.command, self.path, body=data, headers=headers)
                        response = conn.getresponse(); answer = response.read(); break
                    except Exception:
                        conn.close(); local.conn = None
                        if attempt: raise
                answer = answer.replace(b"127.0.0.1:%d" % farm_port, b"127.0.0.1:%d" % server.server_address[1])
                record["status"] = response.status
                with lock: log.write(json.dumps(record) + "\n")
                self.send_response(response.status)
                for k, v in response.getheaders():
                    if k.lower() in ("content-type", "location", "retry-after"): self.send_header(k, v)
                self.send_header("Content-Length", str(len(answer))); self.end_headers(); self.wfile.write(answer)
            do_GET = relay; do_POST = relay
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True; allow_reuse_address = True; request_queue_size = 512
        server = Server(("127.0.0.1", 0), Handler)
        print("PORT %d" % server.server_address[1], flush=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read(); server.shutdown()
        """#

    /// The proxy as a child process (stopped by closing its stdin).
    final class Proxy {
        let process = Process()
        let input = Pipe()
        let port: Int
        let log: URL

        init(farmPort: Int, folder: URL, database: URL) throws {
            let script = folder.appendingPathComponent("proxy.py")
            try Self.script.write(to: script, atomically: true, encoding: .utf8)
            log = folder.appendingPathComponent("wire.jsonl")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, String(farmPort), log.path, database.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            process.standardInput = input
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw PortalFarm.FarmError(message: "the proxy did not start: \(line)")
            }
            self.port = port
        }

        static var script: String { PerformanceHeldOutWireTests.proxyScript }

        /// Points the installations table and the token URL of the folder's config at the proxy.
        func divert(database: URL, folder: URL, farmPort: Int) throws {
            _ = try CLIRunner.sqliteRows(
                database, "UPDATE portals SET client_endpoint = replace(client_endpoint, '127.0.0.1:\(farmPort)/', '127.0.0.1:\(port)/')")
            try "{ \"oauth\": { \"tokenUrl\": \"http://127.0.0.1:\(port)/oauth/token/\" } }\n".write(
                to: folder.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
        }

        func records() throws -> [[String: Any]] {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    static let nastyTitle = "Deals & Tasks = 100% [beta] +1 ✓ 😀 Сделки ~_.-"
    static let nastyTitleRu = "Сделки & задачи = [β] a+b 😀 %41"
    static let nastyHandler = "https://app.acme.example/iframe/deal?x=1&y=%2B"
    static let nastyChangelog = "Wire check: a & b = c [x] + 100% ✓ 😀 Сделки, spaces  and +plus; ok"

    static let plans: [String: String] = [
        "1.0.0": """
        { "app": "acme.wire", "version": "1.0.0", "changelog": { "en": "The first release of the wire test application." },
          "scopes": ["crm", "placement"],
          "placements": [ { "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/iframe/deal", "title": "DealSync" } ],
          "events": [ { "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/hooks/deal" } ] }
        """,
        "1.1.0": """
        { "app": "acme.wire", "version": "1.1.0", "changelog": { "en": "\(nastyChangelog)" },
          "scopes": ["crm", "placement"], "notice": { "option": "release_notice" },
          "placements": [ { "placement": "CRM_DEAL_DETAIL_TAB", "handler": "\(nastyHandler)", "title": "\(nastyTitle)",
            "description": "a+b c%20d [x]=y&z", "langAll": { "en": { "title": "\(nastyTitle)" }, "ru": { "title": "\(nastyTitleRu)" } } } ],
          "events": [ { "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/hooks/deal?a=1&b=[2]" } ] }
        """,
    ]

    /// PHP's urldecode: `+` is a space, `%XX` a byte.
    static func phpDecode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "<not UTF-8: \(text)>"
    }

    @Test(
        "batch commands are method?query with every reserved or non-ASCII character percent-encoded; bodies are JSON with auth; connections are reused"
    )
    func wireFormat() throws {
        let ws = try FarmWorkspace(app: "acme.wire", plans: Self.plans, portals: 24, scopes: "crm,placement")
        defer { ws.close() }
        let database = ws.folder.appendingPathComponent("state.db")
        let proxy = try Proxy(farmPort: ws.farm.port, folder: ws.folder, database: database)
        defer { proxy.stop() }
        try proxy.divert(database: database, folder: ws.folder, farmPort: ws.farm.port)
        let lint = try ws.run(["lint", ws.plan("1.1.0")])
        try #require(lint.code == 0, "the test plan lints: \(lint.stdout)\(lint.stderr)")
        let release = try ws.release("1.1.0", ["--parallel", "4"])
        #expect(release.code == 0, "\(release.stdout.suffix(1500))\(release.stderr.suffix(1500))")

        let rest = try proxy.records().filter { ($0["path"] as? String ?? "").contains("/rest/") }
        #expect(rest.count >= 48, "two requests or more per portal went through the proxy: \(rest.count)")
        let unreservedOrTriplet = #"^([A-Za-z0-9._~-]|%[0-9A-Fa-f]{2}|\+)*$"#
        var commands = 0
        var decodedValues: [String] = []
        var problems: [String] = []
        for record in rest {
            let body = record["body"] as? String ?? ""
            #expect((record["contentType"] as? String ?? "").lowercased().contains("application/json"), "\(record)")
            guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
                problems.append("not a JSON object: \(body.prefix(200))")
                continue
            }
            if (json["auth"] as? String ?? "").isEmpty { problems.append("no auth: \(body.prefix(200))") }
            guard (record["path"] as? String ?? "").hasSuffix("/batch") || (record["path"] as? String ?? "").contains("/batch?") else {
                continue
            }
            let cmd = json["cmd"] as? [String: Any] ?? [:]
            if cmd.isEmpty { problems.append("batch without cmd: \(body.prefix(200))") }
            for (_, value) in cmd {
                guard let command = value as? String else {
                    problems.append("cmd value not a string: \(value)")
                    continue
                }
                commands += 1
                let parts = command.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
                if parts[0].range(of: #"^[a-z0-9_.]+$"#, options: [.regularExpression, .caseInsensitive]) == nil {
                    problems.append("method part: \(command)")
                }
                guard parts.count == 2 else { continue }
                for pair in parts[1].split(separator: "&", omittingEmptySubsequences: false) {
                    let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    // A key may keep PHP's structural brackets (`options[release_notice][version]`,
                    // as PHP's parse_str reads them); every segment between them, and every value,
                    // is unreserved characters and %XX triplets only.
                    let segments = kv[0].replacingOccurrences(of: #"\[([^\[\]]*)\]"#, with: "&$1", options: .regularExpression)
                        .split(separator: "&", omittingEmptySubsequences: false)
                    for piece in segments + kv.dropFirst() where piece.range(of: unreservedOrTriplet, options: .regularExpression) == nil {
                        problems.append("not percent-encoded: \(piece) in \(command.prefix(300))")
                    }
                    if kv.count == 2 { decodedValues.append(Self.phpDecode(kv[1])) }
                    if kv.count == 2 && kv[1].contains("+") && !Self.phpDecode(kv[1]).contains(" ") {
                        problems.append("a + that is not a space: \(kv[1])")
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(8))")
        #expect(commands > 0)
        // The values decode, PHP-style, to exactly the plan's strings.
        for expected in [
            Self.nastyTitle, Self.nastyTitleRu, Self.nastyHandler, "a+b c%20d [x]=y&z", "https://app.acme.example/hooks/deal?a=1&b=[2]",
        ] {
            #expect(decodedValues.contains(expected), "no command value decodes to \(expected)")
        }
        #expect(
            decodedValues.contains { $0.contains(Self.nastyChangelog) }
                || rest.contains { ($0["body"] as? String ?? "").contains("Wire check") },
            "the notice's changelog went out intact")

        // And the farm, which parses them as PHP does, stored exactly those strings.
        for index in 1...24 {
            let member = String(format: "m%05d", index)
            let portal = try ws.farm.portal(member)
            let placements = portal["placements"] as? [[String: Any]] ?? []
            let bound = placements.first { $0["handler"] as? String == Self.nastyHandler }
            let langAll = bound?["langAll"] as? [String: [String: Any]] ?? [:]
            #expect(langAll["en"]?["TITLE"] as? String == Self.nastyTitle, "\(member): \(placements)")
            #expect(langAll["ru"]?["TITLE"] as? String == Self.nastyTitleRu, "\(member): \(placements)")
            let events = portal["events"] as? [[String: Any]] ?? []
            #expect(events.contains { $0["handler"] as? String == "https://app.acme.example/hooks/deal?a=1&b=[2]" }, "\(member): \(events)")
        }

        // Keep-alive: the requests share connections.
        let connections = Set(rest.compactMap { $0["conn"] as? String })
        #expect(connections.count * 3 <= rest.count, "\(rest.count) REST requests over \(connections.count) connections")
        print("held-out wire: \(rest.count) REST requests, \(commands) batch commands, \(connections.count) connections")
    }

    @Test(
        "access tokens of 1 s: every REST request carries a token the installations table held when it arrived; kill -9 never strands a used token"
    )
    func rotatedTokensStoredBeforeUse() throws {
        let portals = 60
        let setup = try FleetTests.Setup(portals: portals, faults: "slow=\(portals)", generate: ["--access-ttl", "1"])
        defer { setup.close() }
        let proxy = try Proxy(farmPort: setup.farm.port, folder: setup.folder, database: setup.database)
        defer { proxy.stop() }
        try proxy.divert(database: setup.database, folder: setup.folder, farmPort: setup.farm.port)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<4 {
            let (process, _) = try FaultTests.start(setup, ["apply", "--yes", "--parallel", "8", "plans/acme.dealsync/2.0.0.json"])
            usleep(UInt32.random(in: 700_000...3_000_000, using: &generator))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            // Every portal whose newest access token was used on the wire has its refresh token
            // (rotated with it) stored: the farm accepts the stored one.
            let tokens = try setup.farm.control("/_farm/tokens")
            let used = Set(try proxy.records().compactMap { $0["auth"] as? String })
            let check = try FaultTests.check(setup)
            for (member, value) in tokens {
                let access = (value as? [String: Any])?["access_token"] as? String ?? ""
                if used.contains(access) {
                    #expect(
                        !check.lost.contains(member),
                        "round \(round): \(member) used its newest token, but the stored refresh token is dead")
                }
            }
        }
        let final = try setup.run(["apply", "--yes", "--parallel", "8", "plans/acme.dealsync/2.0.0.json"])
        #expect(final.code == 0, "\(final.stdout.suffix(1500))\(final.stderr.suffix(1500))")
        let rest = try proxy.records().filter { $0["tokenStored"] != nil }
        let unstored = rest.filter { ($0["tokenStored"] as? Bool) == false }
        #expect(
            unstored.isEmpty,
            "\(unstored.count) of \(rest.count) REST requests used a token not (yet) in the installations table: \(unstored.prefix(3).map { $0["path"] ?? "" })"
        )
        let refreshes = try setup.farm.stats()["refreshes_total"] as? Int ?? 0
        #expect(refreshes >= portals / 2, "tokens were rotated: \(refreshes)")
        print("held-out tokens: \(rest.count) REST requests checked, \(refreshes) refreshes")
    }
}
