/// The journal's timestamps (`2026-11-25T18:04:05.123Z`, UTC) as seconds and back, for the report's
/// time axes: pure arithmetic on the proleptic Gregorian calendar, no locale or time zone.
public enum ReportTime {
    /// Unix time in seconds (with the milliseconds) of a journal timestamp; nil for anything else.
    public static func seconds(_ text: String) -> Double? {
        let parts = text.split(whereSeparator: { "-T:.Z".contains($0) }).map { Int($0) }
        guard parts.count == 7 || parts.count == 6, parts.allSatisfy({ $0 != nil }) else { return nil }
        let n = parts.map { $0! }
        guard (1...12).contains(n[1]), (1...31).contains(n[2]), n[3] < 24, n[4] < 60, n[5] < 61 else { return nil }
        let days = daysFromCivil(year: n[0], month: n[1], day: n[2])
        let milliseconds = n.count == 7 ? Double(n[6]) / 1000 : 0
        return Double(days * 86_400 + n[3] * 3_600 + n[4] * 60 + n[5]) + milliseconds
    }

    /// `2026-11-25 18:04:05` (UTC) of a Unix time in whole seconds.
    public static func dateTime(_ second: Int) -> String {
        date(second) + " " + time(second)
    }

    /// `2026-11-25` (UTC).
    public static func date(_ second: Int) -> String {
        let (year, month, day) = civil(fromDays: floorDivide(second, 86_400))
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// `18:04:05` (UTC).
    public static func time(_ second: Int) -> String {
        let inDay = second - floorDivide(second, 86_400) * 86_400
        return pad(inDay / 3_600, 2) + ":" + pad(inDay / 60 % 60, 2) + ":" + pad(inDay % 60, 2)
    }

    /// `18:04:05.123` (UTC) of a Unix time with fractions.
    public static func preciseTime(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        let milliseconds = min(999, Int(((seconds - Double(whole)) * 1000).rounded()))
        return time(whole) + "." + pad(milliseconds, 3)
    }

    /// A duration as people say it: `45 s`, `12 min 5 s`, `3 h 20 min`, `2 d 4 h`.
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return seconds < 10 && seconds != seconds.rounded() ? trimmed(seconds) + " s" : "\(total) s" }
        if total < 3_600 { return "\(total / 60) min" + (total % 60 == 0 ? "" : " \(total % 60) s") }
        if total < 86_400 { return "\(total / 3_600) h" + (total % 3_600 / 60 == 0 ? "" : " \(total % 3_600 / 60) min") }
        return "\(total / 86_400) d" + (total % 86_400 / 3_600 == 0 ? "" : " \(total % 86_400 / 3_600) h")
    }

    private static func trimmed(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// (year, month, day) of days since 1970-01-01 (`civil_from_days`).
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
