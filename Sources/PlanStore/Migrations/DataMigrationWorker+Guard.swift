/// The worker's use of its `StatementGuard`: bounding each batch, and going on after a stop.
extension DataMigrationWorker {
    /// Bounds the next batch's statements by what is left of the runner's `transactionCeiling`
    /// after `elapsed` seconds of the transaction and its commit (the last one's time, at most a
    /// quarter of the ceiling); lifts the bound while the guard rests.
    func boundStatements(elapsed: Double) throws {
        guard let statementGuard else { return }
        if unguardedLeft > 0 {
            try statementGuard.lift()
            return
        }
        let ceiling = runner.transactionCeiling
        try statementGuard.bound(ceiling - elapsed - min(closingSeconds, ceiling / 4))
    }

    /// After a transaction the guard rolled back (`error`): the batch size shrinks when the stop
    /// was a batch's, and `portals` run again from what they had committed, before any new one.
    /// Nothing is marked failed.
    func stopped(_ error: any Error, portals: [Portal]) {
        if let stop = error as? StatementGuard.Stopped { sizer.recordStopped(after: stop.seconds) }
        runner.stopped()
        tripsInARow += 1
        if tripsInARow >= Self.tripsBeforeLifting {
            tripsInARow = 0
            unguardedLeft = Self.unguardedTransactions
        }
        runAgain(portals)
    }

    /// Puts `portals` of a rolled-back transaction first in line, to go on from what they had
    /// committed.
    func runAgain(_ portals: [Portal]) {
        pending =
            portals.map { portal in
                var again = portal
                again.working = portal.committed
                return again
            } + pending
    }

    /// The first portal the guard sent back, if any.
    func takePending() -> Portal? { pending.isEmpty ? nil : pending.removeFirst() }
}

extension StatementGuard {
    /// A batch's statement stopped by the guard after `seconds`, with the server's error.
    struct Stopped: Error, CustomStringConvertible {
        var seconds: Double
        var error: DatabaseError

        var description: String { "stopped by the statement guard after \(Int(seconds * 1000)) ms: \(error.message)" }
    }
}
