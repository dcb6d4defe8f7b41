/// The `timeline` section's drawing: one row per started step, a bar from its start to its finish
/// (to the last recorded moment, dashed, while it is unfinished), and a diamond on a gate's row for
/// every pass (green) and rejection (red). The axis is linear from the first recorded moment of
/// the run to the last; a bar is at least 3 pixels wide so a one-second step stays visible.
enum TimelineSVG {
    static let width = 1000
    static let labelWidth = 200
    static let plotRight = 980
    static let rowHeight = 24
    static let top = 34

    /// nil when no step started and no gate was passed or rejected.
    static func render(_ timeline: RunReport.Timeline, runStartedAt: String?, runFinishedAt: String?) -> String? {
        var rows = timeline.steps.map(\.id)
        for gate in timeline.gates where !rows.contains(gate.step) { rows.append(gate.step) }
        guard !rows.isEmpty else { return nil }
        let moments =
            timeline.steps.flatMap { [$0.startedAt, $0.finishedAt] } + timeline.gates.map { Optional($0.at) } + [
                runStartedAt, runFinishedAt,
            ]
        let seconds = moments.compactMap { $0.flatMap(ReportTime.seconds) }
        guard let first = seconds.min(), let last = seconds.max() else { return nil }
        let span = max(1, last - first)
        func x(_ time: Double) -> Int { labelWidth + Int(((time - first) / span * Double(plotRight - labelWidth)).rounded()) }
        let height = top + rows.count * rowHeight + 8
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"timeline of steps and gates\">\n"
        out += "<title>Steps and gates over time (UTC)</title>\n"
        out += axis(first: first, span: span, height: height, x: x)
        for (row, id) in rows.enumerated() {
            let y = top + row * rowHeight
            out +=
                "<text x=\"\(labelWidth - 8)\" y=\"\(y + 16)\" text-anchor=\"end\" fill=\"#1d1d1d\">\(HTMLText.label(id, limit: 26))</text>\n"
            guard let step = timeline.steps.first(where: { $0.id == id }), let start = step.startedAt.flatMap(ReportTime.seconds)
            else { continue }
            let end = step.finishedAt.flatMap(ReportTime.seconds) ?? last
            let colour = ReportPalette.step(step.state)
            let (left, right) = (x(start), max(x(end), x(start) + 3))
            let dash = step.finishedAt == nil ? " stroke-dasharray=\"4 2\"" : ""
            let times =
                "started " + HTMLText.escape(step.startedAt ?? "") + (step.finishedAt.map { ", finished " + HTMLText.escape($0) } ?? "")
            out +=
                "<rect class=\"bar state-\(HTMLText.classToken(step.state))\" x=\"\(left)\" y=\"\(y + 5)\" width=\"\(right - left)\" height=\"14\" "
                + "fill=\"\(colour.fill)\" stroke=\"\(colour.stroke)\" stroke-width=\"1.2\"\(dash)>"
                + "<title>\(HTMLText.escape(id)): \(HTMLText.escape(step.state)), \(times) (\(ReportTime.duration(end - start)))</title></rect>\n"
        }
        for gate in timeline.gates {
            guard let row = rows.firstIndex(of: gate.step), let at = ReportTime.seconds(gate.at) else { continue }
            let (cx, cy) = (x(at), top + row * rowHeight + 12)
            let fill = gate.state == "rejected" ? "#d32f2f" : "#2e7d32"
            let why = gate.reason.map { ": " + HTMLText.escape($0) } ?? ""
            out +=
                "<path class=\"gate gate-\(HTMLText.classToken(gate.state))\" d=\"M\(cx) \(cy - 7) L\(cx + 7) \(cy) L\(cx) \(cy + 7) L\(cx - 7) \(cy) Z\" "
                + "fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"1\"><title>\(HTMLText.escape(gate.step)) \(HTMLText.escape(gate.state)) "
                + "by \(HTMLText.escape(gate.by)) at \(HTMLText.escape(gate.at))\(why)</title></path>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// Five ticks with UTC times (dates too when the run spans more than a day, milliseconds when
    /// it spans less than 20 seconds), and grid lines.
    private static func axis(first: Double, span: Double, height: Int, x: (Double) -> Int) -> String {
        var out = "<g class=\"axis\" stroke=\"#d0d0d0\" stroke-width=\"1\">\n"
        for tick in 0...4 {
            let time = first + span * Double(tick) / 4
            let second = Int(time.rounded(.down))
            let label =
                span > 86_400 ? ReportTime.dateTime(second) : span < 20 ? ReportTime.preciseTime(time) : ReportTime.time(second)
            let anchor = tick == 0 ? "start" : tick == 4 ? "end" : "middle"
            out += "<line x1=\"\(x(time))\" y1=\"\(top - 6)\" x2=\"\(x(time))\" y2=\"\(height - 4)\"/>"
            out += "<text x=\"\(x(time))\" y=\"\(top - 12)\" text-anchor=\"\(anchor)\" fill=\"#4a4a4a\" stroke=\"none\">\(label)</text>\n"
        }
        return out + "</g>\n"
    }
}
