import Foundation
import Synchronization

/// A thread of its own for blocking database work, so that no SQLite commit or libpq round trip
/// ever runs on Swift concurrency's cooperative pool (two threads on a two-core machine) while
/// requests are in flight (STYLE.md 16).
///
/// Work runs in the order it was submitted, one item at a time, which also serialises use of a
/// connection that is not re-entrant. Errors come back as values (`Result`), never by tearing
/// down the caller's task group.
///
/// ```swift
/// let thread = DatabaseThread(name: "b24plan.store")
/// let rows = await thread.run { try database.query("SELECT 1") }   // Result<[SQLRow], Error>
/// thread.stop()
/// ```
public final class DatabaseThread: Sendable {
    private struct State: ~Copyable {
        var queue: [@Sendable () -> Void] = []
        /// How many items at the head of `queue` are urgent (kept in their own order).
        var urgentCount = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let wakeUp = NSCondition()
    public let name: String

    public init(name: String = "b24plan.database") {
        self.name = name
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread and returns its result or error. `urgent` work goes ahead of
    /// everything queued (a rotated token's write: the shorter its wait, the smaller the window in
    /// which a killed process loses a token).
    public func run<T: Sendable>(urgent: Bool = false, _ body: @escaping @Sendable () throws -> T) async -> Result<T, Error> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Error>, Never>) in
            let accepted = submit(urgent: urgent) {
                continuation.resume(returning: Result { try body() })
            }
            if !accepted { continuation.resume(returning: .failure(DatabaseError(message: "the database thread has stopped"))) }
        }
    }

    /// Runs `body` on the thread and throws its error.
    public func perform<T: Sendable>(urgent: Bool = false, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await run(urgent: urgent, body).get()
    }

    /// Runs `body` on the thread and waits for it on the calling (non-async) thread.
    public func runAndWait<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> Result<T, Error> {
        let done = DispatchSemaphore(value: 0)
        let box = Mutex<Result<T, Error>?>(nil)
        let accepted = submit {
            let result = Result { try body() }
            box.withLock { $0 = result }
            done.signal()
        }
        guard accepted else { return .failure(DatabaseError(message: "the database thread has stopped")) }
        done.wait()
        return box.withLock { $0! }
    }

    /// Finishes the queued work, then ends the thread. Later submissions fail.
    public func stop() {
        state.withLock { $0.stopped = true }
        wakeUp.lock()
        wakeUp.broadcast()
        wakeUp.unlock()
    }

    private func submit(urgent: Bool = false, _ work: @escaping @Sendable () -> Void) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            if urgent {
                state.queue.insert(work, at: state.urgentCount)
                state.urgentCount += 1
            } else {
                state.queue.append(work)
            }
            return true
        }
        if accepted {
            wakeUp.lock()
            wakeUp.signal()
            wakeUp.unlock()
        }
        return accepted
    }

    private func loop() {
        while true {
            wakeUp.lock()
            var next: (@Sendable () -> Void)?
            var finished = false
            while true {
                (next, finished) = state.withLock { state in
                    if !state.queue.isEmpty {
                        state.urgentCount = max(0, state.urgentCount - 1)
                        return (state.queue.removeFirst(), false)
                    }
                    return (nil, state.stopped)
                }
                if next != nil || finished { break }
                wakeUp.wait()
            }
            wakeUp.unlock()
            guard let work = next else { return }
            work()
        }
    }
}
