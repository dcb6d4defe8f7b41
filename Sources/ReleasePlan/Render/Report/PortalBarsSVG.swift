/// The `portals` section's drawing: one stacked horizontal bar per reconciling step, its parts the
/// portal states in `PortalStateOrder`, bars scaled to the largest step so waves compare; the
/// counts are written beside each bar as text.
enum PortalBarsSVG {
    static let width = 1000
    static let labelWidth = 170
    static let barWidth = 800
    static let rowHeight = 46

    static func render(_ bars: [RunReport.PortalBar]) -> String {
        let largest = max(1, bars.map(\.total).max() ?? 1)
        let height = bars.count * rowHeight + 10
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"portals\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"portal states per step\">\n"
        out += "<title>Portal states per reconciling step</title>\n"
        for (row, bar) in bars.enumerated() {
            let y = 6 + row * rowHeight
            out +=
                "<text x=\"\(labelWidth - 8)\" y=\"\(y + 14)\" text-anchor=\"end\" fill=\"#1d1d1d\">\(HTMLText.label(bar.step, limit: 22))</text>\n"
            let length = Int((Double(bar.total) / Double(largest) * Double(barWidth)).rounded())
            out +=
                "<rect class=\"frame\" x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(max(length, 1))\" height=\"20\" fill=\"none\" "
                + "stroke=\"#555555\" stroke-width=\"1\"/>\n"
            var offset = 0
            var seen = 0
            for state in PortalStateOrder.states {
                let count = bar.counts[state] ?? 0
                guard count > 0 else { continue }
                seen += count
                // Cumulative rounding: the parts always add up to the bar's length.
                let end = Int((Double(seen) / Double(max(bar.total, 1)) * Double(length)).rounded())
                let part = max(1, end - offset)
                out +=
                    "<rect class=\"part state-\(state)\" x=\"\(labelWidth + offset)\" y=\"\(y)\" width=\"\(part)\" height=\"20\" "
                    + "fill=\"\(ReportPalette.portal(state))\"><title>\(HTMLText.escape(bar.step)): \(count) \(state)</title></rect>\n"
                offset = end
            }
            let text =
                bar.total == 0
                ? "not started: no portal recorded yet"
                : "\(bar.total) portals: " + PortalStateOrder.states.map { "\(bar.counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
            out += "<text x=\"\(labelWidth)\" y=\"\(y + 34)\" fill=\"#1d1d1d\">\(text)</text>\n"
        }
        out += "</svg>\n"
        return out
    }
}
