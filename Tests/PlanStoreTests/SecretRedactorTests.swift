import Foundation
import Testing

@testable import PlanStore

@Suite("SecretRedactor")
struct SecretRedactorTests {
    @Test("every occurrence of every secret becomes ***, the longest first")
    func redacts() {
        let redactor = SecretRedactor(["s3cret", "s3cret-and-more", "pw"])
        #expect(redactor.secrets == ["s3cret-and-more", "s3cret"], "too short values are not looked for")
        #expect(redactor.redact("a s3cret-and-more b s3cret c s3crets3cret") == "a *** b *** c ******")
        #expect(redactor.redact("password pw stays") == "password pw stays")
        #expect(redactor.redact("") == "")
        #expect(SecretRedactor().redact("nothing to hide") == "nothing to hide")
    }

    @Test("matching is by UTF-8 bytes, also next to combining marks and in multi-byte text")
    func bytes() {
        let redactor = SecretRedactor(["пароль1", "abcd"])
        #expect(redactor.redact("x пароль1 y") == "x *** y")
        #expect(redactor.redact("abcd\u{301}") == "***\u{301}")
    }

    @Test("a secret is also hidden where JSON output escapes it")
    func json() throws {
        let secret = "pa\"ss\\word"
        let redactor = SecretRedactor([secret])
        let encoded = String(decoding: try JSONEncoder().encode(["p": secret]), as: UTF8.self)
        #expect(redactor.redact(encoded) == "{\"p\":\"***\"}")
        #expect(redactor.redact("raw: \(secret)") == "raw: ***")
    }

    @Test("a child's environment loses the secret variables and any value holding a secret")
    func environment() {
        let redactor = SecretRedactor(["client-secret-1", "p@ss/w:rd"])
        let scrubbed = redactor.scrubbed([
            "PATH": "/usr/bin", "B24_CLIENT_SECRET": "client-secret-1", "B24PLAN_DATABASE_URL": "sqlite:x.db", "PGPASSWORD": "x",
            "APP_DSN": "postgres://app:p@ss/w:rd@db/app", "COPY": "client-secret-1", "B24_CLIENT_ID": "local.1",
        ])
        #expect(scrubbed == ["PATH": "/usr/bin", "B24_CLIENT_ID": "local.1"])
    }
}
