import Testing

@testable import ReleasePlan

struct RolloutPolicyTests {
    @Test(
        "wave lists: shares in (0, 100], growing, ending at 100",
        arguments: [
            ([1, 10, 100], nil), ([100], nil), ([0.5, 100], nil), ([], "at least one"), ([10, 5, 100], "must grow"),
            ([10, 10, 100], "must grow"), ([1, 10], "last wave must be 100"), ([0, 100], "not a share"), ([1, 150], "not a share"),
        ] as [([Double], String?)])
    func waves(waves: [Double], problem: String?) {
        let found = RolloutPolicy.wavesProblem(waves)
        if let problem { #expect(found?.contains(problem) == true, "\(found ?? "nil")") } else { #expect(found == nil) }
    }

    @Test(
        "durations and --waves",
        arguments: [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("0m", nil), ("m", nil), ("5x", nil), ("1.5h", nil)]
            as [(String, Int?)])
    func durations(text: String, seconds: Int?) {
        #expect(RolloutPolicy.parseDuration(text) == seconds)
    }

    @Test func waveLists() {
        #expect(RolloutPolicy.parseWaves("1,10,100") == [1, 10, 100])
        #expect(RolloutPolicy.parseWaves(" 2.5 , 100") == [2.5, 100])
        #expect(RolloutPolicy.parseWaves("1,,100") == nil)
        #expect(RolloutPolicy.parseWaves("one") == nil)
    }

    @Test("buckets: the documented SHA-256 share, stable, in [0, 100)")
    func buckets() {
        // sha256("m00001") starts with 042cea97 (Python's hashlib).
        let expected = Double(UInt32("042cea97", radix: 16)!) / 4_294_967_296 * 100
        #expect(abs(WaveBucket.percentile("m00001") - expected) < 1e-9)
        for index in 1...500 {
            let member = "member-\(index)"
            let position = WaveBucket.percentile(member)
            #expect(position >= 0 && position < 100, "\(member): \(position)")
            #expect(WaveBucket.percentile(member) == position)
        }
    }

    @Test("graph: a canary, waves with gates, estimates of their sizes")
    func graph() throws {
        let previous = Plan(
            app: "acme.x", version: "1.0.0", changelog: ["en": "First release of the app."],
            scopes: [ScopeRequest(code: "crm"), ScopeRequest(code: "placement")])
        var plan = previous
        plan.version = "1.1.0"
        plan.placements = [PlacementBinding(placement: "CRM_DEAL_DETAIL_TAB", handler: "https://app.example/deal")]
        let policy = RolloutPolicy(canary: .memberIDs(["a"]), waves: [10, 100], between: .soak(seconds: 600))
        let compiled = PlanCompiler(installations: (count: 1000, source: "test"), rolloutPolicy: policy).compile(plan, previous: previous)
        #expect(
            compiled.steps.map(\.id) == [
                "deploy", "gate.partner", "gate.moderation", "portals.preflight", "portals.canary", "soak.canary", "portals.wave.1",
                "soak.wave.1", "portals.wave.2",
            ])
        #expect(compiled.step("soak.wave.1")?.soakSeconds == 600)
        #expect(compiled.step("portals.wave.2")?.after == ["soak.wave.1"])
        #expect(compiled.step("portals.wave.2")?.actions.first?.contains("about 900 of 1000") == true)
        #expect(compiled.rolloutPolicy == policy)
        let rollback = PlanCompiler(rolloutPolicy: policy).compileRollback(previous, from: plan)
        #expect(rollback.steps.map(\.kind) == [.portalsReconcile], "a rollback goes to every portal at once")
    }
}
