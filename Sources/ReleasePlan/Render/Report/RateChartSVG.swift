/// The `rate` section's drawing: requests per second as a filled step area with its outline (each
/// second, or bucket, flat over the time it covers), errors per second as a red line, on the measured seconds (`RateSeries`: pauses over five minutes are cut
/// out and marked with a dashed line, long runs averaged per bucket). The y axis starts at 0.
enum RateChartSVG {
    static let width = 1000
    static let height = 280
    static let left = 64
    static let right = 984
    static let top = 16
    static let bottom = 236
    static let breakWidth = 14

    static func render(_ series: RateSeries) -> String {
        let buckets = series.segments.map(\.requests.count).reduce(0, +)
        let breaks = max(0, series.segments.count - 1) * breakWidth
        let step = Double(right - left - breaks) / Double(max(1, buckets))
        let top = niceCeiling(series.peak)
        func y(_ value: Double) -> Int { bottom - Int((value / top * Double(bottom - Self.top)).rounded()) }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rate\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"requests per second\">\n"
        out += "<title>Requests per second to the portals (measured)</title>\n"
        out += "<g class=\"axis\" stroke=\"#d0d0d0\" stroke-width=\"1\">\n"
        for tick in 0...4 {
            let value = top * Double(tick) / 4
            out += "<line x1=\"\(left)\" y1=\"\(y(value))\" x2=\"\(right)\" y2=\"\(y(value))\"/>"
            out +=
                "<text x=\"\(left - 6)\" y=\"\(y(value) + 4)\" text-anchor=\"end\" fill=\"#4a4a4a\" stroke=\"none\">\(number(value))</text>\n"
        }
        out +=
            "<text x=\"14\" y=\"\(Self.top + (bottom - Self.top) / 2)\" transform=\"rotate(-90 14 \(Self.top + (bottom - Self.top) / 2))\" "
            + "text-anchor=\"middle\" fill=\"#4a4a4a\" stroke=\"none\">requests/s</text>\n</g>\n"
        var x = Double(left)
        for (index, segment) in series.segments.enumerated() {
            if index > 0 {
                let middle = Int((x + Double(breakWidth) / 2).rounded())
                out +=
                    "<line class=\"break\" x1=\"\(middle)\" y1=\"\(Self.top)\" x2=\"\(middle)\" y2=\"\(bottom)\" stroke=\"#888888\" "
                    + "stroke-dasharray=\"3 3\"><title>no requests for \(ReportTime.duration(Double(segment.first - series.segments[index - 1].last)))"
                    + "</title></line>\n"
                x += Double(breakWidth)
            }
            // Steps, not a slope: each bucket is flat over the seconds it covers.
            let edges = (0...segment.requests.count).map { Int((x + Double($0) * step).rounded()) }
            let (startX, endX) = (edges[0], edges[edges.count - 1])
            func outline(_ values: [Double]) -> String {
                values.indices.map { "L\(edges[$0]) \(y(values[$0])) L\(edges[$0 + 1]) \(y(values[$0]))" }.joined(separator: " ")
            }
            let line = outline(segment.requests)
            out +=
                "<path class=\"area\" d=\"M\(startX) \(bottom) \(line) L\(endX) \(bottom) Z\" fill=\"#9cc3e6\" fill-opacity=\"0.7\" stroke=\"none\"/>\n"
            out +=
                "<path class=\"line\" d=\"M\(startX) \(y(segment.requests[0])) \(line)\" fill=\"none\" stroke=\"#1565c0\" "
                + "stroke-width=\"1.6\"/>\n"
            if segment.errors.contains(where: { $0 > 0 }) {
                out +=
                    "<path class=\"errors\" d=\"M\(startX) \(y(segment.errors[0])) \(outline(segment.errors))\" fill=\"none\" "
                    + "stroke=\"#d32f2f\" stroke-width=\"1.4\"/>\n"
            }
            let label = index == 0 ? ReportTime.dateTime(segment.first) : ReportTime.time(segment.first)
            out +=
                "<text x=\"\(startX)\" y=\"\(bottom + 16)\" fill=\"#4a4a4a\">\(label)</text>"
                + "<line x1=\"\(startX)\" y1=\"\(bottom)\" x2=\"\(startX)\" y2=\"\(bottom + 5)\" stroke=\"#4a4a4a\"/>\n"
            if index == series.segments.count - 1 {
                out +=
                    "<text x=\"\(endX)\" y=\"\(bottom + 32)\" text-anchor=\"end\" fill=\"#4a4a4a\">\(ReportTime.time(segment.last)) UTC</text>\n"
            }
            x += Double(segment.requests.count) * step
        }
        out += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"#555555\" stroke-width=\"1\"/>\n"
        out += "</svg>\n"
        return out
    }

    /// 1, 2 or 5 times a power of ten, at least `value` (and at least 1).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 1 else { return 1 }
        var power = 1.0
        while power * 10 < value { power *= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= value { return factor * power }
        return 10 * power
    }

    /// A tick value: whole numbers as such, else one decimal.
    static func number(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
