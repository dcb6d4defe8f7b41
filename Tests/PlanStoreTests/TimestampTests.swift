import Foundation
import PlanStore
import Testing

/// Journal timestamps: ISO 8601 UTC with milliseconds, written without `String(format:)`.
@Suite("timestamps")
struct TimestampTests {
    /// The format the journal has always written, as `String(format:)` gives it.
    static func reference(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), min(999, max(0, milliseconds)))
    }

    @Test("the same text as String(format:) over 5,000 instants from 1970 to 2100, and it parses back")
    func sameAsFormat() {
        var generator = SystemRandomNumberGenerator()
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_764_000_000.999), Date(timeIntervalSince1970: 4_102_444_799.5),
        ]
        for _ in 0..<5_000 { dates.append(Date(timeIntervalSince1970: Double.random(in: 0..<4_102_444_800, using: &generator))) }
        for date in dates {
            let text = Timestamp.string(date)
            #expect(text == Self.reference(date), "\(date.timeIntervalSince1970)")
            #expect(text.count == 24)
            // Milliseconds are truncated, and a Double near 4e9 s holds about 0.5 µs: back within 2 ms.
            #expect(Timestamp.date(text).map { abs($0.timeIntervalSince(date)) < 0.002 } == true, "\(text)")
        }
    }
}
