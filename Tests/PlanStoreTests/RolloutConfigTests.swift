import PlanStore
import ReleasePlan
import Testing

/// `rollout` in b24plan.config.json.
struct RolloutConfigTests {
    static func load(_ text: String) throws -> AppConfig {
        try AppConfig.load("b24plan.config.json", required: true, fileSystem: InMemoryFileSystem(["b24plan.config.json": text]))
    }

    static func errors(_ text: String) -> [String] {
        do {
            _ = try load(text)
            return []
        } catch let error as AppConfig.ConfigError {
            return error.diagnostics.map { "\($0.line):\($0.column) \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func fullRollout() throws {
        let config = try Self.load(
            #"{ "rollout": { "canary": { "where": "domain LIKE 'x%'" }, "waves": [1, 10, 100], "halt": { "failedPercent": 2.5, "minPortals": 50 }, "between": "2h" } }"#
        )
        #expect(
            config.rollout
                == RolloutPolicy(
                    canary: .whereClause("domain LIKE 'x%'"), waves: [1, 10, 100], haltFailedPercent: 2.5, haltMinPortals: 50,
                    between: .soak(seconds: 7200)))
        #expect(try Self.load(#"{ "rollout": { "waves": [100] } }"#).rollout == RolloutPolicy(waves: [100]))
        #expect(try Self.load("{}").rollout == nil)
    }

    @Test(
        "every mistake is located",
        arguments: [
            (#"{ "rollout": { "waves": [10, 5, 100] } }"#, "1:25 `rollout.waves`: waves are cumulative shares and must grow"),
            (#"{ "rollout": { "waves": "1,10,100" } }"#, "1:25 `rollout.waves` must be a list of numbers"),
            (#"{ "rollout": { "between": "gate" } }"#, "1:14 `rollout` needs \"waves\""),
            (#"{ "rollout": { "waves": [100], "between": "soon" } }"#, "1:43 `rollout.between` must be \"gate\" or a duration"),
            (
                #"{ "rollout": { "waves": [100], "halt": { "minPortals": 2.5 } } }"#,
                "1:56 `rollout.halt.minPortals` must be a number of portals"
            ),
            (
                #"{ "rollout": { "waves": [100], "canary": { "memberIds": [] } } }"#,
                "1:57 `rollout.canary.memberIds` must be a non-empty list"
            ),
            (#"{ "rollout": { "waves": [100], "wave": 1 } }"#, "1:32 unknown key \"wave\" in the config"),
        ])
    func mistakes(text: String, expected: String) {
        let found = Self.errors(text)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }
}
