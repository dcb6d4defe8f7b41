import Foundation

/// UTC timestamps as ISO 8601 text with milliseconds (`2026-11-25T18:04:05.123Z`): sortable as
/// strings, the same on SQLite and PostgreSQL.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // Digits written by hand: String(format:) goes through Foundation's locale machinery, and
        // this runs for every journal row the fleet writes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        bytes.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        bytes.append(UInt8(ascii: "."))
        digits(min(999, max(0, milliseconds)), 3)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses what `string(_:)` writes; nil for anything else.
    public static func date(_ text: String) -> Date? {
        let scanner = text.split(whereSeparator: { "-T:.Z".contains($0) }).compactMap { Int($0) }
        guard scanner.count == 7 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(scanner[0] - 1900)
        parts.tm_mon = Int32(scanner[1] - 1)
        parts.tm_mday = Int32(scanner[2])
        parts.tm_hour = Int32(scanner[3])
        parts.tm_min = Int32(scanner[4])
        parts.tm_sec = Int32(scanner[5])
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(scanner[6]) / 1000)
    }
}
