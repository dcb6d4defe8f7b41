#if canImport(Glibc)
    import Glibc
#endif

/// Cuts a byte stream into lines: at each `\n`, and at `maxBytes` when a line runs on
/// without one (backing off to a UTF-8 character boundary when it can). Decoding is
/// lossy: invalid UTF-8 becomes U+FFFD, never a crash.
struct LineSplitter {
    let maxBytes: Int
    private var pending: [UInt8] = []

    init(maxBytes: Int) {
        self.maxBytes = max(4, maxBytes)
    }

    /// Feeds a chunk and calls `emit` for every complete line in it.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, emit: (String) -> Void) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var start = 0
        while start < chunk.count {
            guard let hit = memchr(base + start, 0x0A, chunk.count - start) else { break }
            let end = base.distance(to: UnsafeRawPointer(hit))
            let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
            if pending.isEmpty && piece.count <= maxBytes {
                emit(String(decoding: piece, as: UTF8.self))
            } else {
                pending.append(contentsOf: piece)
                emitOversized(emit: emit)
                emit(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
            }
            start = end + 1
        }
        if start < chunk.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
            emitOversized(emit: emit)
        }
    }

    /// Emits what is left at end of stream, if anything.
    mutating func finish(emit: (String) -> Void) {
        emitOversized(emit: emit)
        if !pending.isEmpty {
            emit(String(decoding: pending, as: UTF8.self))
            pending.removeAll()
        }
    }

    /// While `pending` is longer than `maxBytes`, emits pieces of (at most) that size.
    private mutating func emitOversized(emit: (String) -> Void) {
        var consumed = 0
        while pending.count - consumed > maxBytes {
            var cut = consumed + maxBytes
            // Do not split a multi-byte character: back off over continuation bytes.
            var backoff = 0
            while backoff < 3 && (pending[cut] & 0xC0) == 0x80 { cut -= 1; backoff += 1 }
            if (pending[cut] & 0xC0) == 0x80 { cut = consumed + maxBytes }
            emit(String(decoding: pending[consumed..<cut], as: UTF8.self))
            consumed = cut
        }
        if consumed > 0 { pending.removeFirst(consumed) }
    }
}

/// The last `capacity` lines, oldest first.
struct TailBuffer {
    let capacity: Int
    private var storage: [String] = []
    private var head = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        storage.reserveCapacity(min(self.capacity, 1024))
    }

    mutating func append(_ line: String) {
        guard capacity > 0 else { return }
        if storage.count < capacity {
            storage.append(line)
        } else {
            storage[head] = line
            head = (head + 1) % capacity
        }
    }

    var lines: [String] { Array(storage[head...] + storage[..<head]) }
}
