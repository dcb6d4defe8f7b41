import Foundation
import Testing

/// The deploy hook's environment and every trace of its output (DESIGN §7, secrets).
extension ApplyCommandTests {
    @Test(
        "the deploy hook sees no secret in its environment, and what it prints of one is *** in the output and the journal",
        arguments: StoreKind.allCases)
    func secretsStaySecret(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        let clientSecret = "cs-7f3a9b2c1d8e"
        let password = "p@ss/w:rd?%x-9"
        let encoded = "p%40ss%2Fw%3Ard%3F%25x-9"
        // On PostgreSQL the store's own URL carries the password, unencoded (the test cluster trusts
        // local connections, so any password is accepted); on SQLite B24PLAN_DATABASE_URL carries it
        // encoded: --database names the store, yet b24plan still knows that password as a secret.
        let store =
            kind == .postgres ? ws.databaseURL.replacingOccurrences(of: "://postgres@", with: "://postgres:\(password)@") : ws.databaseURL
        if kind == .postgres { try #require(store != ws.databaseURL, "the test URL has the form postgres://postgres@…") }
        let environment = [
            "B24_CLIENT_ID": "local.app.1", "B24_CLIENT_SECRET": clientSecret, "PGPASSWORD": password,
            "B24PLAN_DATABASE_URL": kind == .postgres ? store : "postgres://app:\(encoded)@db.invalid/app",
            "APP_DSN": "postgresql://app:\(password)@db.internal/app", "USER": "release-tester",
        ]
        try ws.writeDeployScript(
            """
            env | sort
            echo "client secret: [$B24_CLIENT_SECRET] url: [$B24PLAN_DATABASE_URL] pg: [$PGPASSWORD] dsn: [$APP_DSN]"
            echo "read from a file: \(clientSecret) / \(password) / \(encoded)"
            echo "to stderr: \(password)" >&2
            exit 5
            """)
        try ws.writePlan("1.0.0")
        let output = try CLIRunner.run(["apply", "--yes", Self.plan, "--database", store], in: ws.folder, environment: environment)
        #expect(output.code == 1, "the deploy failed on purpose: \(output.stdout)\n\(output.stderr)")
        let printed = output.stdout + output.stderr
        #expect(printed.contains("client secret: [] url: [] pg: [] dsn: []"), "the variables are not in the hook's environment: \(printed)")
        #expect(printed.contains("read from a file: *** / *** / ***"), "\(printed)")
        #expect(printed.contains("to stderr: ***"), "\(printed)")
        for name in ["B24_CLIENT_SECRET=", "B24PLAN_DATABASE_URL=", "PGPASSWORD=", "APP_DSN="] {
            #expect(!printed.contains(name), "\(name) is not in the hook's environment")
        }
        #expect(printed.contains("B24_CLIENT_ID=local.app.1"), "other variables are passed on: \(printed)")

        // Newlines become " ~ " so that each step is one row of the query tool's output.
        let journal =
            try ws.rows(
                "SELECT step_id, REPLACE(COALESCE(detail, ''), '\n', ' ~ '), REPLACE(COALESCE(output_tail, ''), '\n', ' ~ ') FROM b24plan_steps"
            )
            ?? []
        let deploy = try #require(journal.first { $0.first == "deploy" })
        #expect(deploy.count == 3 && deploy[1].contains("read from a file: *** / *** / ***"), "the error message: \(deploy)")
        #expect(deploy.count == 3 && deploy[2].contains("read from a file: *** / *** / ***"), "output_tail: \(deploy)")
        let status = try CLIRunner.run(["status", Self.plan, "--database", store], in: ws.folder, environment: environment)
        for text in [printed, journal.flatMap { $0 }.joined(separator: "\n"), status.stdout + status.stderr] {
            for secret in [clientSecret, password, encoded, "w:rd", "p@ss"] {
                #expect(!text.contains(secret), "\(secret) leaked: \(text)")
            }
        }
    }
}
