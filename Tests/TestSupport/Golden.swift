import Foundation
import Testing

/// Golden-file comparison for rendered output.
///
/// Expected outputs live in `Tests/Fixtures/golden/<folder>/<name>.txt`. On a mismatch the test
/// fails with a line diff; with `B24PLAN_RECORD_GOLDEN=1` in the environment the file is written
/// instead (and the test passes), so re-recording is one run followed by a review of `git diff`.
public enum Golden {
    /// `Tests/Fixtures/golden`, found from this file's own path (`Tests/TestSupport/`).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/golden", isDirectory: true)

    public static var isRecording: Bool {
        ProcessInfo.processInfo.environment["B24PLAN_RECORD_GOLDEN"] == "1"
    }

    /// Compares `actual` with the golden file `folder/name.txt` (or records it).
    public static func check(
        _ actual: String, named name: String, in folder: String = "lint",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = root.appendingPathComponent(folder).appendingPathComponent(name + ".txt")
        if isRecording {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: url)
            } catch {
                Issue.record("cannot record golden file \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record(
                "missing golden file \(url.path); run with B24PLAN_RECORD_GOLDEN=1 to create it",
                sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != actual {
            let message = "output differs from \(folder)/\(name).txt (- expected, + actual):\n" + lineDiff(expected, actual)
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }

    /// A line diff (longest common subsequence): unchanged lines prefixed "  ", removed "- ",
    /// added "+ ". Trailing whitespace is made visible with `⏎` at each line end.
    public static func lineDiff(_ expected: String, _ actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [String] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                lines.append("  " + old[i] + "⏎")
                i += 1
                j += 1
            } else if j < new.count, i == old.count || table[i][j + 1] >= table[i + 1][j] {
                lines.append("+ " + new[j] + "⏎")
                j += 1
            } else {
                lines.append("- " + old[i] + "⏎")
                i += 1
            }
        }
        return lines.joined(separator: "\n")
    }
}
