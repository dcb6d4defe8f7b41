import Foundation

/// Keeps `.b24plan/` (the default state store, which holds the installations' tokens when the app's
/// table lives there) out of git: `init` appends it to the working directory's `.gitignore`.
enum GitIgnoreEntry {
    static let stateFolder = ".b24plan/"

    /// `text` with `entry` appended on a line of its own, or nil when a line already ignores it
    /// (`.b24plan`, `.b24plan/`, `/.b24plan`, `/.b24plan/`, surrounding blanks ignored).
    static func adding(_ entry: String, to text: String) -> String? {
        let bare = entry.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let present = text.split(whereSeparator: \.isNewline).contains { line in
            line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "/")) == bare
        }
        if present { return nil }
        let separator = text.isEmpty || text.hasSuffix("\n") ? "" : "\n"
        return text + separator + entry + "\n"
    }

    /// Appends the entry to `.gitignore` in `folder` (creating the file); whether it wrote.
    static func ensure(in folder: String = FileManager.default.currentDirectoryPath) throws -> Bool {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(".gitignore")
        let text = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
        guard let updated = adding(stateFolder, to: text) else { return false }
        try Data(updated.utf8).write(to: path)
        return true
    }
}
