#if canImport(Glibc)
    import Glibc
#endif

/// The raw result of a successful spawn: the child's pid and the parent's read ends.
struct SpawnedChild {
    var pid: pid_t
    var stdoutFD: Int32
    var stderrFD: Int32
}

/// GNU extensions that Swift's `Glibc` module does not import (it is built without
/// `_GNU_SOURCE`), looked up once at run time. All exist in glibc ≥ 2.34.
enum GNUExtensions {
    typealias AddChdir =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>,
            UnsafePointer<CChar>
        ) -> Int32
    typealias AddCloseFrom =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>,
            Int32
        ) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29).
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34).
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    /// `pipe2` (glibc 2.9).
    static let pipe2: Pipe2? = symbol("pipe2")

    private static func symbol<F>(_ name: String) -> F? {
        // A null handle is RTLD_DEFAULT on glibc: search the global scope.
        guard let raw = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(raw, to: F.self)
    }
}

/// A pipe whose both ends are close-on-exec, so that no other child inherits them.
func makeCloexecPipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    let rc: Int32
    if let pipe2 = GNUExtensions.pipe2 {
        rc = pipe2(&fds, O_CLOEXEC)
    } else {
        rc = pipe(&fds)
        if rc == 0 {
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
    }
    if rc != 0 { throw ChildProcessError.system(label: "pipe", call: "pipe2", errno: errno) }
    return (fds[0], fds[1])
}

extension ChildProcess {
    /// Spawns the child with a clean signal state and its output on two fresh pipes.
    func spawn() throws -> SpawnedChild {
        guard let executable = arguments.first, !executable.isEmpty else {
            throw ChildProcessError.emptyCommand(label: label)
        }
        if let dir = workingDirectory, !isDirectory(dir) {
            throw ChildProcessError.noSuchDirectory(label: label, directory: dir)
        }

        var argv = arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }

        // Working directory first, so a relative executable resolves inside it.
        if let dir = workingDirectory {
            if let addChdir = GNUExtensions.addChdir {
                try check(addChdir(&actions, dir), "posix_spawn_file_actions_addchdir_np")
            } else {
                argv = ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", dir] + argv
            }
        }

        let out = try makeCloexecPipe()
        let err: (read: Int32, write: Int32)
        do { err = try makeCloexecPipe() } catch {
            close(out.read); close(out.write)
            throw error
        }
        var parentKeeps = true
        defer {
            close(out.write); close(err.write)
            if !parentKeeps { close(out.read); close(err.read) }
        }

        do {
            switch standardInput {
            case .null:
                try check(
                    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0),
                    "posix_spawn_file_actions_addopen")
            case .fileDescriptor(let fd):
                try check(posix_spawn_file_actions_adddup2(&actions, fd, 0), "posix_spawn_file_actions_adddup2")
            }
            try check(posix_spawn_file_actions_adddup2(&actions, out.write, 1), "posix_spawn_file_actions_adddup2")
            try check(posix_spawn_file_actions_adddup2(&actions, err.write, 2), "posix_spawn_file_actions_adddup2")
            if let addCloseFrom = GNUExtensions.addCloseFrom {
                // Whatever the parent leaked without O_CLOEXEC stays out of the child.
                try check(addCloseFrom(&actions, 3), "posix_spawn_file_actions_addclosefrom_np")
            }

            // The parent's mask may block SIGTERM (a Task's thread, a test): start empty.
            var emptyMask = sigset_t()
            sigemptyset(&emptyMask)
            try check(posix_spawnattr_setsigmask(&attr, &emptyMask), "posix_spawnattr_setsigmask")
            // Ignored signals survive exec: reset every catchable one to its default action.
            var defaults = sigset_t()
            sigemptyset(&defaults)
            for sig in 1..<Int32(32) where sig != SIGKILL && sig != SIGSTOP { sigaddset(&defaults, sig) }
            try check(posix_spawnattr_setsigdefault(&attr, &defaults), "posix_spawnattr_setsigdefault")
            var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
            if newProcessGroup {
                flags |= Int32(POSIX_SPAWN_SETPGROUP)
                try check(posix_spawnattr_setpgroup(&attr, 0), "posix_spawnattr_setpgroup")
            }
            try check(posix_spawnattr_setflags(&attr, Int16(flags)), "posix_spawnattr_setflags")
        } catch {
            parentKeeps = false
            throw error
        }

        let cArgv = argv.map { strdup($0) } + [nil]
        defer { cArgv.forEach { free($0) } }
        let cEnv: [UnsafeMutablePointer<CChar>?]? = environment.map { env in
            env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { cEnv?.forEach { free($0) } }

        var pid: pid_t = 0
        let rc: Int32
        if let cEnv {
            rc = posix_spawnp(&pid, cArgv[0]!, &actions, &attr, cArgv, cEnv)
        } else {
            rc = posix_spawnp(&pid, cArgv[0]!, &actions, &attr, cArgv, environ)
        }
        guard rc == 0 else {
            parentKeeps = false
            throw classify(spawnError: rc, executable: executable)
        }
        return SpawnedChild(pid: pid, stdoutFD: out.read, stderrFD: err.read)
    }

    private func check(_ rc: Int32, _ call: String) throws {
        if rc != 0 { throw ChildProcessError.system(label: label, call: call, errno: rc) }
    }

    /// Turns a `posix_spawnp` error into a message that names the executable.
    private func classify(spawnError code: Int32, executable: String) -> ChildProcessError {
        switch code {
        case ENOENT:
            // ENOENT for a file that exists means its #! interpreter is missing.
            if executable.contains("/") {
                var path = executable
                if !path.hasPrefix("/"), let dir = workingDirectory { path = dir + "/" + path }
                if access(path, F_OK) == 0 { return .missingInterpreter(label: label, executable: executable) }
            }
            return .noSuchFile(label: label, executable: executable)
        case EACCES, EPERM, EISDIR:
            return .notExecutable(label: label, executable: executable)
        case ENOEXEC:
            return .badFormat(label: label, executable: executable)
        default:
            return .system(label: label, call: "posix_spawnp \(executable)", errno: code)
        }
    }
}

/// `true` when `path` names a directory (following symlinks).
private func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}
