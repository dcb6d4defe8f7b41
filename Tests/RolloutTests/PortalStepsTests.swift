import PlanStore
import Testing

@testable import Rollout

@Suite("portal step progress and counts")
struct PortalStepsTests {
    @Test("progress shows processed/total, counts, remaining, rate and ETA")
    func progressText() {
        var summary = PortalFleet.Summary()
        summary.processed = 120
        summary.counts = [.done: 110, .failed: 2, .needsReinstall: 8]
        let text = PortalSteps.progressText(summary, total: 2000, elapsed: 10)
        let counts = "110 done, 8 needs-reinstall, 0 inactive, 2 failed, 0 pending"
        #expect(text == "120/2000 portals (\(counts)), 1880 remaining, 12.0/s, ETA 2 min 37 s")
    }

    @Test("more processed than the estimate never shows negative remaining")
    func overEstimate() {
        var summary = PortalFleet.Summary()
        summary.processed = 5
        summary.counts = [.done: 5]
        #expect(PortalSteps.progressText(summary, total: 3, elapsed: 1).hasPrefix("5/5 portals"))
        #expect(PortalSteps.progressText(summary, total: 3, elapsed: 1).contains("0 remaining"))
    }
}
