/// `b24plan report --format html`: one self-contained page about a run. Inline CSS and SVG only:
/// no script, no font, image, style sheet or link to fetch. Every value from the store is escaped
/// (`HTMLText`); the same report gives the same bytes (nothing depends on the clock or locale).
public enum RunReportHTMLRenderer {
    public static func render(_ report: RunReport) -> String {
        let title = HTMLText.escape("\(report.app) \(report.version) — run \(report.run)")
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            \(ReportPalette.css)
            </style>
            </head>
            <body>

            """
        out += header(report)
        out += graph(report)
        out += timeline(report)
        out += portals(report)
        out += rate(report)
        out += failures(report)
        out += missingScopes(report)
        out += "</body>\n</html>\n"
        return out
    }

    static func header(_ report: RunReport) -> String {
        var facts: [(String, String)] = [
            ("App", report.app), ("Version", report.version), ("Run", String(report.run)), ("Run state", report.runState),
            ("Kind", report.runKind), ("Update type", report.updateType ?? "not recorded"),
            ("Started", report.startedAt ?? "not recorded"), ("Finished", report.finishedAt ?? "not finished"),
        ]
        if let started = report.startedAt.flatMap(ReportTime.seconds), let finished = report.finishedAt.flatMap(ReportTime.seconds) {
            facts.append(("Duration", ReportTime.duration(finished - started)))
        }
        var out =
            "<header id=\"summary\">\n<h1>\(HTMLText.escape(report.app)) \(HTMLText.escape(report.version))</h1>\n<dl class=\"facts\">\n"
        for (name, value) in facts { out += "<dt>\(name)</dt><dd>\(HTMLText.escape(value))</dd>\n" }
        return out + "</dl>\n</header>\n"
    }

    static func graph(_ report: RunReport) -> String {
        var out = "<section id=\"graph\">\n<h2>Execution graph</h2>\n<p class=\"note\">\(HTMLText.escape(report.graph.note))</p>\n"
        guard !report.graph.steps.isEmpty else { return out + "<p class=\"empty\">The run recorded no step.</p>\n</section>\n" }
        out += legend(["done", "running", "waiting", "halted", "failed", "pending"].map { ($0, ReportPalette.step($0).fill) })
        out += "<figure>\n" + GraphSVG.render(report.graph) + "<figcaption>Steps coloured by their state in the journal; "
        out += "a dashed box is a manual step (a gate).</figcaption>\n</figure>\n"
        return out + "</section>\n"
    }

    static func timeline(_ report: RunReport) -> String {
        var out = "<section id=\"timeline\">\n<h2>Timeline</h2>\n"
        guard let svg = TimelineSVG.render(report.timeline, runStartedAt: report.startedAt, runFinishedAt: report.finishedAt) else {
            return out + "<p class=\"empty\">No step has started and no gate was passed or rejected yet.</p>\n</section>\n"
        }
        out += "<figure>\n" + svg + "<figcaption>Times in UTC. A bar runs from a step's start to its finish (dashed while "
        out += "unfinished); a diamond is a gate passed (green) or rejected (red).</figcaption>\n</figure>\n"
        if !report.timeline.gates.isEmpty {
            out +=
                "<table class=\"gates\">\n<thead><tr><th>Gate</th><th>State</th><th>By</th><th>At (UTC)</th><th>Reason</th></tr></thead>\n<tbody>\n"
            for gate in report.timeline.gates {
                out +=
                    "<tr><td class=\"id\">\(HTMLText.escape(gate.step))</td><td>\(HTMLText.escape(gate.state))</td>"
                    + "<td>\(HTMLText.escape(gate.by))</td><td>\(HTMLText.escape(gate.at))</td><td>\(HTMLText.escape(gate.reason ?? ""))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        return out + "</section>\n"
    }

    static func portals(_ report: RunReport) -> String {
        var out = "<section id=\"portals\">\n<h2>Portals</h2>\n"
        let totals = report.portals.totals
        out += "<table class=\"totals\">\n<thead><tr>"
        out += PortalStateOrder.states.map { "<th class=\"n\">\($0)</th>" }.joined() + "</tr></thead>\n<tbody><tr>"
        out += PortalStateOrder.states.map { "<td class=\"n\">\(totals[$0] ?? 0)</td>" }.joined() + "</tr></tbody>\n</table>\n"
        guard !report.portals.bars.isEmpty else {
            return out + "<p class=\"empty\">The run has no step that reconciles portals.</p>\n</section>\n"
        }
        out += legend(PortalStateOrder.states.map { ($0, ReportPalette.portal($0)) })
        out += "<figure>\n" + PortalBarsSVG.render(report.portals.bars)
        out += "<figcaption>One bar per reconciling step, scaled to the largest; pending counts portals not finished yet"
        out += " (for portals.reconcile also the active installations it has not reached).</figcaption>\n</figure>\n"
        return out + "</section>\n"
    }

    static func rate(_ report: RunReport) -> String {
        var out = "<section id=\"rate\">\n<h2>Requests per second</h2>\n"
        let rate = report.rate
        guard rate.recorded else {
            return out
                + "<p class=\"empty\">This run has no request records: its journal was written by a b24plan older than "
                + "journal schema 4, which did not record requests per second.</p>\n</section>\n"
        }
        guard let peak = rate.peak else {
            return out
                + "<p class=\"empty\">No requests to portals are recorded for this run: no portal step has sent any (or they ran "
                + "under a b24plan that did not record them).</p>\n</section>\n"
        }
        let series = RateSeries.build(rate.points)
        out +=
            "<p>\(rate.totalRequests) requests to portals (\(rate.totalErrors) without an answer or with an error answer) in "
            + "\(rate.points.count) second\(rate.points.count == 1 ? "" : "s") with requests; peak \(peak.requests) requests in the second "
            + "\(ReportTime.dateTime(peak.second)) UTC.</p>\n"
        out += "<figure>\n" + RateChartSVG.render(series) + "<figcaption>Measured by the fleet and journaled per second "
        out += "(b24plan_request_rate); blue: requests per second, red: errors per second"
        out += series.bucketSeconds > 1 ? ", averaged over \(series.bucketSeconds)-second buckets" : ""
        out += "; a dashed line cuts out a pause of more than five minutes.</figcaption>\n</figure>\n"
        out += "<table class=\"rate-steps\">\n<thead><tr><th>Step</th><th class=\"n\">Requests</th><th class=\"n\">Errors</th>"
        out += "<th class=\"n\">Seconds</th><th class=\"n\">Mean per second</th></tr></thead>\n<tbody>\n"
        for step in rate.steps {
            let mean = RateChartSVG.number((Double(step.requests) / Double(max(1, step.seconds)) * 10).rounded() / 10)
            out +=
                "<tr><td class=\"id\">\(HTMLText.escape(step.step))</td><td class=\"n\">\(step.requests)</td><td class=\"n\">\(step.errors)</td>"
                + "<td class=\"n\">\(step.seconds)</td><td class=\"n\">\(mean)</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    static func failures(_ report: RunReport) -> String {
        let failures = report.failures
        var out = "<section id=\"failures\" class=\"long\">\n<h2>Failures by cause</h2>\n"
        guard !failures.groups.isEmpty else {
            return out + "<p class=\"empty\">No portal failed, needs a reinstall or is inactive.</p>\n</section>\n"
        }
        out +=
            "<p>\(failures.portals) portal\(failures.portals == 1 ? "" : "s") failed, need\(failures.portals == 1 ? "s" : "") a reinstall "
            + "or \(failures.portals == 1 ? "is" : "are") inactive, in \(failures.groups.count + failures.hiddenGroups) group"
            + "\(failures.groups.count + failures.hiddenGroups == 1 ? "" : "s") by cause.</p>\n"
        for group in failures.groups {
            out += "<div class=\"group\">\n<h3><code>\(HTMLText.escape(group.cause))</code> — \(HTMLText.escape(group.state)), "
            out += "\(group.count) portal\(group.count == 1 ? "" : "s")</h3>\n"
            out += "<p class=\"note\">e.g. <code>\(HTMLText.escape(String(group.example.prefix(400))))</code></p>\n"
            out += members(group.members, more: group.more)
            out += "</div>\n"
        }
        if failures.hiddenGroups > 0 {
            out +=
                "<p class=\"note\">and \(failures.hiddenGroups) smaller group\(failures.hiddenGroups == 1 ? "" : "s") of "
                + "\(failures.hiddenPortals) portal\(failures.hiddenPortals == 1 ? "" : "s") (b24plan status --portals lists them).</p>\n"
        }
        return out + "</section>\n"
    }

    static func missingScopes(_ report: RunReport) -> String {
        var out = "<section id=\"missing-scopes\" class=\"long\">\n<h2>Missing scopes</h2>\n"
        guard !report.missingScopes.isEmpty else {
            return out + "<p class=\"empty\">No installation is recorded as lacking a scope this release added.</p>\n</section>\n"
        }
        for group in report.missingScopes {
            out += "<div class=\"group\">\n<h3><code>\(HTMLText.escape(group.scope))</code> — lacking on \(group.count) installation"
            out += "\(group.count == 1 ? "" : "s")</h3>\n" + members(group.members, more: group.more) + "</div>\n"
        }
        return out + "</section>\n"
    }

    static func members(_ members: [RunReport.Member], more: Int) -> String {
        var out = "<ul class=\"members\">\n"
        for member in members {
            out += "<li><span class=\"id\">\(HTMLText.escape(member.memberId))</span>"
            out += member.host.map { " <span class=\"host\">(\(HTMLText.escape($0)))</span>" } ?? ""
            out += "</li>\n"
        }
        out += "</ul>\n"
        if more > 0 { out += "<p class=\"note\">and \(more) more</p>\n" }
        return out
    }

    /// Colour keys as small inline SVG squares (no background colours, so they print).
    static func legend(_ entries: [(String, String)]) -> String {
        var out = "<ul class=\"legend\">"
        for (name, colour) in entries {
            out +=
                "<li><svg class=\"swatch\" width=\"12\" height=\"12\" viewBox=\"0 0 12 12\" aria-hidden=\"true\">"
                + "<rect x=\"0.5\" y=\"0.5\" width=\"11\" height=\"11\" fill=\"\(colour)\" stroke=\"#555555\"/></svg>\(name)</li>"
        }
        return out + "</ul>\n"
    }
}
