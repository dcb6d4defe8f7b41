import Foundation

/// UTC timestamps as ISO 8601 text with milliseconds (`2026-11-25T18:04:05.123Z`): sortable as
/// strings, the same on SQLite and PostgreSQL.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), min(999, max(0, milliseconds)))
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
