import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The process-wide record of SIGINT / SIGTERM (DESIGN §7, signals).
///
/// `b24plan` installs the handlers once (``install(onSecond:)``); long work polls
/// ``signal`` at its safe points: the portal fleet stops starting portals, a running deploy hook
/// has the signal forwarded and is waited for, and the command records every state before it
/// exits 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once.
public final class Interruption: Sendable {
    public static let shared = Interruption()

    private let received = Atomic<Int32>(0)
    private let count = Atomic<Int>(0)

    public init() {}

    /// The first signal received (SIGINT or SIGTERM), or nil.
    public var signal: Int32? {
        let value = received.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    public var isRequested: Bool { signal != nil }

    /// Records `signal` as if it had arrived (tests, and the handlers).
    /// Returns how many signals have now been received.
    @discardableResult
    public func request(_ signal: Int32) -> Int {
        _ = received.compareExchange(expected: 0, desired: signal, ordering: .acquiringAndReleasing)
        return count.add(1, ordering: .acquiringAndReleasing).newValue
    }

    /// The exit code for the received signal: 130 for SIGINT, 143 for SIGTERM.
    public var exitCode: Int32? { signal.map { 128 + $0 } }

    /// A handler is a dispatch source on its own queue, so the work it does is ordinary code.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Installs SIGINT and SIGTERM handlers for the whole process: the first signal is recorded,
    /// `onFirst` is told (to say what happens now), the second calls `onSecond` (which should exit at once).
    public func install(onFirst: @escaping @Sendable (Int32) -> Void = { _ in }, onSecond: @escaping @Sendable (Int32) -> Void) {
        // A process started from a thread with these signals blocked would never see them.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        let queue = DispatchQueue(label: "b24plan.signals")
        for number in [SIGINT, SIGTERM] {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { @Sendable [self] in
                if self.request(number) > 1 { onSecond(number) } else { onFirst(number) }
            }
            source.resume()
            Self.sources.append(source)
        }
    }
}
