import Foundation
import Testing

@testable import ReleasePlan

/// The batch reads (on several threads) exactly what reading each file through the resolver gives.
struct MigrationFileBatchTests {
    @Test func batchAnswersAsTheResolverDoesFileByFile() throws {
        let tree = try MigrationFileResolverTests.Tree()
        defer { tree.tearDown() }
        var files: [String] = []
        for number in 1...150 {
            let digits = String(number)
            let name = "migrations/" + String(repeating: "0", count: 4 - digits.count) + digits + "_step.sql"
            try tree.write("plans/app/" + name, "SELECT \(number);\n")
            files.append(name)
        }
        try tree.link("plans/app/migrations/linked.sql", to: "0001_step.sql")
        try tree.link("plans/app/migrations/passwd.sql", to: "/etc/passwd")
        files.insert(contentsOf: ["migrations/missing.sql", "../../outside.sql", "/etc/passwd"], at: 70)
        files += ["migrations/linked.sql", "migrations/passwd.sql", "../shared/0002.sql", "migrations/0007_step.sql"]
        let batch = MigrationFileBatch.read(files, with: tree.resolver)
        #expect(batch.files.count + batch.errors.count == files.count)
        for (index, file) in files.enumerated() {
            do {
                let expected = try tree.resolver.read(file)
                #expect(batch.files[index]?.path == expected.path)
                #expect(batch.files[index]?.bytes == expected.bytes)
                #expect(batch.digests[index] == SHA256.hex(expected.bytes))
            } catch {
                #expect(batch.errors[index] == error)
                #expect(batch.files[index] == nil && batch.digests[index] == nil)
            }
        }
        #expect(batch.errors.count == 4)
    }
}
