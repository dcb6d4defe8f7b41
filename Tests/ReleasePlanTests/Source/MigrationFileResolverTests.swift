import Foundation
import Testing

@testable import ReleasePlan

/// The resolver on the real file system: `realpath` resolves links, `.git` (a folder or a worktree's
/// file) marks the project. The layout: `ROOT/plans/app/1.0.0.json`, `ROOT/plans/app/migrations/…`.
struct MigrationFileResolverTests {
    /// A scratch tree, removed by `tearDown`.
    struct Tree {
        let root: URL
        let fileSystem = LocalFileSystem()

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("b24plan-resolver-\(UUID().uuidString)")
            try write("plans/app/1.0.0.json", "{}")
            try write("plans/app/migrations/0001.sql", "SELECT 1;\n")
            try write("plans/shared/0002.sql", "SELECT 2;\n")
            try write("outside.sql", "SELECT 3;\n")
        }

        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }

        func link(_ path: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(path).path, withDestinationPath: target)
        }

        func canonical(_ path: String) throws -> String { try fileSystem.canonicalPath(root.appendingPathComponent(path).path) }

        var resolver: MigrationFileResolver {
            MigrationFileResolver(fileSystem: fileSystem, planDirectory: root.appendingPathComponent("plans/app").path)
        }

        func tearDown() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func fileInTheProjectIsReadUnderItsJoinedName() throws {
        let tree = try Tree()
        defer { tree.tearDown() }
        let source = try tree.resolver.read("migrations/0001.sql")
        #expect(source.path == tree.root.appendingPathComponent("plans/app/migrations/0001.sql").path)
        #expect(source.bytes == Array("SELECT 1;\n".utf8))
        #expect(try tree.resolver.read("../shared/0002.sql").bytes == Array("SELECT 2;\n".utf8))
        #expect(tree.resolver.projectRoot == (try tree.canonical("plans")))
    }

    @Test func climbingOutIsRefused() throws {
        let tree = try Tree()
        defer { tree.tearDown() }
        let project = try tree.canonical("plans")
        #expect(throws: MigrationFileError.outsideProject(file: "../../outside.sql", projectRoot: project)) {
            try tree.resolver.read("../../outside.sql")
        }
        #expect(throws: MigrationFileError.outsideProject(file: "../../../../../../../../etc/passwd", projectRoot: project)) {
            try tree.resolver.read("../../../../../../../../etc/passwd")
        }
        #expect(throws: MigrationFileError.absolute(file: "/etc/passwd", projectRoot: project)) {
            try tree.resolver.read("/etc/passwd")
        }
    }

    @Test func symbolicLinksOutOfTheProjectAreRefused() throws {
        let tree = try Tree()
        defer { tree.tearDown() }
        let project = try tree.canonical("plans")
        try tree.link("plans/app/migrations/passwd.sql", to: "/etc/passwd")
        try tree.link("plans/app/migrations/up.sql", to: "../../../outside.sql")
        try tree.link("plans/app/linked", to: tree.root.path)
        try tree.link("plans/app/migrations/inside.sql", to: "../../shared/0002.sql")
        #expect(throws: MigrationFileError.linksOutsideProject(file: "migrations/passwd.sql", target: "/etc/passwd", projectRoot: project))
        {
            try tree.resolver.read("migrations/passwd.sql")
        }
        let outside = try tree.canonical("outside.sql")
        #expect(throws: MigrationFileError.linksOutsideProject(file: "migrations/up.sql", target: outside, projectRoot: project)) {
            try tree.resolver.read("migrations/up.sql")
        }
        #expect(throws: MigrationFileError.linksOutsideProject(file: "linked/outside.sql", target: outside, projectRoot: project)) {
            try tree.resolver.read("linked/outside.sql")
        }
        #expect(try tree.resolver.read("migrations/inside.sql").bytes == Array("SELECT 2;\n".utf8))
    }

    @Test func gitMarksTheProject() throws {
        let tree = try Tree()
        defer { tree.tearDown() }
        try FileManager.default.createDirectory(at: tree.root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        #expect(tree.resolver.projectRoot == (try tree.canonical(".")))
        #expect(try tree.resolver.read("../../outside.sql").bytes == Array("SELECT 3;\n".utf8))
        // A worktree's .git is a file; the nearest one wins.
        try tree.write("plans/app/.git", "gitdir: /elsewhere\n")
        #expect(tree.resolver.projectRoot == (try tree.canonical("plans/app")))
        #expect(throws: MigrationFileError.self) { try tree.resolver.read("../shared/0002.sql") }
    }

    @Test func missingFileIsUnreadable() throws {
        let tree = try Tree()
        defer { tree.tearDown() }
        #expect(throws: MigrationFileError.unreadable(file: "migrations/0009.sql", reason: "no such file")) {
            try tree.resolver.read("migrations/0009.sql")
        }
        try tree.link("plans/app/migrations/dangling.sql", to: "nowhere.sql")
        #expect(throws: MigrationFileError.unreadable(file: "migrations/dangling.sql", reason: "no such file")) {
            try tree.resolver.read("migrations/dangling.sql")
        }
    }

    @Test func unlinkedReadsAnswerOnlyForFilesThatAreNoLinks() throws {
        let tree = try Tree()
        defer { tree.tearDown() }
        let migrations = try tree.canonical("plans/app/migrations")
        try tree.link("plans/app/migrations/inside.sql", to: "0001.sql")
        #expect(mkfifo(migrations + "/fifo.sql", 0o600) == 0)
        #expect(tree.fileSystem.readUnlinked(migrations + "/0001.sql") == .bytes(Array("SELECT 1;\n".utf8)))
        #expect(tree.fileSystem.readUnlinked(migrations + "/inside.sql") == .unavailable)
        #expect(tree.fileSystem.readUnlinked(migrations + "/0009.sql") == .unavailable)
        #expect(
            tree.fileSystem.readUnlinked(migrations + "/fifo.sql")
                == .failed(FileSystemError(path: migrations + "/fifo.sql", reason: "is not a regular file (a FIFO)")))
        #expect(
            tree.fileSystem.readUnlinked(migrations)
                == .failed(FileSystemError(path: migrations, reason: "is a directory")))
        // Through the resolver: the same answers as resolving each path first.
        let files = ["migrations/0001.sql", "migrations/inside.sql", "migrations/fifo.sql", "./migrations/0001.sql", "../app/0002.sql"]
        let folders = tree.resolver.canonicalFolders(of: files)
        #expect(folders.byWrittenFolder == ["migrations": migrations])
        #expect(
            folders.byJoinedFolder == [
                tree.root.appendingPathComponent("plans/app/migrations").path: migrations,
                tree.root.appendingPathComponent("plans/app").path: try tree.canonical("plans/app"),
            ])
        #expect(try tree.resolver.read("migrations/inside.sql", in: folders).bytes == Array("SELECT 1;\n".utf8))
        #expect(try tree.resolver.read("./migrations/0001.sql", in: folders).bytes == Array("SELECT 1;\n".utf8))
        #expect(throws: MigrationFileError.unreadable(file: "migrations/fifo.sql", reason: "is not a regular file (a FIFO)")) {
            try tree.resolver.read("migrations/fifo.sql", in: folders)
        }
    }
}
