import Foundation
import Testing

@testable import ReleasePlan

/// `report --format html|json` as rendered from a fixed report: the structure (golden files), the
/// escaping of hostile values, empty states, and that nothing is fetched or run.
@Suite("report renderer")
struct RunReportRendererTests {
    static let sectionIDs = ["graph", "timeline", "portals", "rate", "failures", "missing-scopes"]

    @Test("the page of a small run, as a whole and as an outline, and its JSON (golden)")
    func golden() {
        let report = ReportFixtures.small()
        let html = RunReportHTMLRenderer.render(report)
        Golden.check(html, named: "small-page", in: "report")
        Golden.check(HTMLOutline.outline(html), named: "small-outline", in: "report")
        Golden.check(JSONOutput.encode(report), named: "small-json", in: "report")
    }

    @Test("every section has its id and a heading; the same report gives the same bytes")
    func sections() {
        let html = RunReportHTMLRenderer.render(ReportFixtures.small())
        for id in Self.sectionIDs {
            #expect(html.contains("<section id=\"\(id)\""), "\(id)")
        }
        #expect(html.components(separatedBy: "<h2>").count - 1 == Self.sectionIDs.count)
        #expect(html == RunReportHTMLRenderer.render(ReportFixtures.small()))
        #expect(html.contains("@media print"))
    }

    @Test("self-contained: no script, no link, no external resource, no event handler")
    func selfContained() {
        for report in [ReportFixtures.small(), ReportFixtures.empty(rateRecorded: true), Self.hostile()] {
            let html = RunReportHTMLRenderer.render(report).lowercased()
            for forbidden in ["<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "javascript:"] {
                #expect(!html.contains(forbidden), "\(forbidden)")
            }
            // Inside a tag (escaped text has no raw `<`): no source, link or event handler attribute.
            #expect(html.range(of: #"<[a-z][^<>]*\s(src|href|xlink:href|on[a-z]+)="#, options: .regularExpression) == nil)
            // The only url() is the arrowhead marker defined in the page itself.
            let urls = html.components(separatedBy: "url(").dropFirst().map { $0.prefix { $0 != ")" } }
            #expect(urls.allSatisfy { $0 == "#arrowhead" }, "\(urls)")
        }
    }

    /// A run whose every journal value is hostile: markup, quotes, ampersands, control characters.
    static func hostile() -> RunReport {
        let evil = "<script>alert('x')</script>\"&amp;<img src=x onerror=alert(1)>\u{1B}[31m"
        var report = ReportFixtures.small()
        report.app = "acme<b>\(evil)"
        report.version = "1.0.0\"><script>"
        report.updateType = evil
        report.graph.note = evil
        report.graph.steps[1].id = evil
        report.graph.steps[2].after = [evil]
        report.graph.steps[3].state = evil
        report.timeline.steps = report.graph.steps.filter { $0.startedAt != nil }
        report.timeline.gates[1].by = evil
        report.timeline.gates[1].reason = evil
        report.portals.bars[0].step = evil
        report.rate.steps[0].step = evil
        report.failures.groups[0].cause = evil
        report.failures.groups[0].example = evil
        report.failures.groups[0].members[0] = RunReport.Member(memberId: evil, host: evil)
        report.missingScopes[0].scope = evil
        report.missingScopes[0].members[0] = RunReport.Member(memberId: evil, host: nil)
        return report
    }

    @Test("hostile member ids, hosts, errors, names and step ids are escaped everywhere, in HTML and SVG")
    func escaping() {
        let html = RunReportHTMLRenderer.render(Self.hostile())
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("\u{1B}"))
        #expect(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;amp;&lt;img src=x onerror=alert(1)&gt;\\u{1B}[31m"))
        // Every attribute value is closed where it should be: no quote of a value leaks out.
        #expect(!html.contains("\"><script"))
        // The same number of opening and closing tags of each structural element.
        for tag in ["section", "svg", "g", "table", "ul", "figure", "h2", "h3", "title"] {
            let opened = html.components(separatedBy: "<\(tag)>").count + html.components(separatedBy: "<\(tag) ").count - 2
            let closed = html.components(separatedBy: "</\(tag)>").count - 1
            #expect(opened == closed, "\(tag): \(opened) opened, \(closed) closed")
        }
    }

    @Test("empty states: each section says what is missing, a journal older than schema 4 has its own sentence")
    func emptyStates() {
        let old = RunReportHTMLRenderer.render(ReportFixtures.empty(rateRecorded: false))
        #expect(old.contains("older than journal schema 4"))
        let empty = RunReportHTMLRenderer.render(ReportFixtures.empty(rateRecorded: true))
        for sentence in [
            "The run recorded no step.", "No step has started and no gate was passed or rejected yet.",
            "The run has no step that reconciles portals.", "No requests to portals are recorded for this run",
            "No portal failed, needs a reinstall or is inactive.", "No installation is recorded as lacking a scope this release added.",
        ] {
            #expect(empty.contains(sentence), "\(sentence)")
        }
        for id in Self.sectionIDs { #expect(empty.contains("<section id=\"\(id)\""), "\(id)") }
        #expect(!empty.contains("<svg xmlns"), "no chart without data")
    }

    @Test("JSON: lowerCamelCase keys, every section, nulls kept")
    func json() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONOutput.encode(ReportFixtures.empty(rateRecorded: false)).utf8))
                as? [String: Any])
        #expect(
            Set(object.keys)
                == [
                    "app", "version", "run", "runState", "runKind", "updateType", "startedAt", "finishedAt", "graph", "timeline", "portals",
                    "rate", "failures", "missingScopes",
                ])
        #expect(object["updateType"] is NSNull && object["finishedAt"] is NSNull)
        let rate = try #require(object["rate"] as? [String: Any])
        #expect(Set(rate.keys) == ["recorded", "totalRequests", "totalErrors", "peakRequestsPerSecond", "steps", "points"])
        let graph = try #require(object["graph"] as? [String: Any])
        #expect(graph["source"] as? String == "recorded-steps" && graph["edgesKnown"] as? Bool == false)
    }

    @Test("a bar per wave, scaled to the largest; a wave not started says so")
    func portalBars() {
        var report = ReportFixtures.small()
        report.portals.bars.append(RunReport.PortalBar(step: "portals.wave.3", counts: [:]))
        let svg = PortalBarsSVG.render(report.portals.bars)
        #expect(svg.contains("not started: no portal recorded yet"))
        #expect(svg.contains("19 portals: 9 done, 1 needs-reinstall, 2 inactive, 1 failed, 6 pending"))
        // wave.1 has 6 of the largest bar's 19 portals: 6/19 of 800 pixels.
        #expect(svg.contains("width=\"253\" height=\"20\" fill=\"none\""))
        #expect(svg.contains("width=\"800\" height=\"20\" fill=\"none\""))
    }

    @Test("100,000 problem portals and a day of request seconds: grouped, capped, averaged; the page stays small")
    func bounded() {
        let texts = [
            "PORTAL_DELETED: Portal was deleted (HTTP 500)", "token lacks task; skipped placement TASK_VIEW_TAB",
            "app.info says INSTALLED: false (widgets hidden, events not sent)",
        ]
        let problems = (0..<100_000).map { (index: Int) -> FailureGrouping.Problem in
            let redirect = "redirected to http://evil.example/p/portal-\(index)/rest/, not followed: only https"
            let text: String = index % 4 == 3 ? redirect : texts[index % 3]
            return FailureGrouping.Problem(memberID: "m\(100_000 + index)", state: index % 2 == 0 ? "failed" : "inactive", lastError: text)
        }
        var report = ReportFixtures.small()
        report.failures = FailureGrouping.group(problems)
        report.missingScopes = FailureGrouping.missingScopes(problems.map { ($0.memberID, "task") })
        report.rate.points = (0..<86_400).map { (offset: Int) -> RunReport.RatePoint in
            RunReport.RatePoint(second: 1_772_362_800 + offset, requests: offset % 50, errors: offset % 7 == 0 ? 1 : 0)
        }
        #expect(report.failures.portals == 100_000 && report.failures.groups.allSatisfy { $0.members.count <= MemberList.cap })
        #expect(report.failures.groups.map(\.count).reduce(0, +) + report.failures.hiddenPortals == 100_000)
        let html = RunReportHTMLRenderer.render(report)
        #expect(html.utf8.count < 400_000, "\(html.utf8.count) bytes")
        #expect(html.contains("averaged over 144-second buckets"))
        #expect(html.contains("and 99950 more"), "the missing scope lists 50 of 100,000")
    }
}
