/// `diff --format markdown`: the diff as a pull-request comment — a summary table, the changes, a
/// Mermaid graph of the steps, and the details folded away.
public enum DiffMarkdownRenderer {
    public static func render(_ plan: CompiledPlan, diagnostics: [Diagnostic]) -> String {
        var out =
            "### b24plan: `\(escape(plan.app))` \(escape(plan.from ?? "(initial)")) → \(escape(plan.to)) — **\(plan.updateType.rawValue)**\n\n"
        out += "| | |\n|---|---|\n"
        out += "| Update type | **\(plan.updateType.rawValue)** |\n"
        if plan.isPreRelease {
            out += "| Pre-release | \(escape(ChangeDescription.preRelease(plan.to))) |\n"
        }
        if plan.from != nil {
            out +=
                "| Version bump | requires **\(plan.requiredBump?.rawValue ?? "patch")**, declares \(plan.declaredBump?.rawValue ?? "none (free versioning)") |\n"
        }
        if let row = plan.moderation {
            out += "| Moderation | \(row.minDays)–\(row.maxDays) days (\(row.row) update) |\n"
            out += "| Time to users | \(row.minWeeks)–\(row.maxWeeks) weeks |\n"
        } else {
            out += "| Moderation | first publication |\n"
        }
        if let rollout = plan.rollout {
            out += "| Rollout | \(escape(rollout.summary)) |\n"
        }
        out += "\n#### Changes\n\n"
        if plan.changes.isEmpty {
            out += "No changes.\n"
        } else {
            out += "| | kind | item | requires |\n|---|---|---|---|\n"
            for change in plan.changes {
                var item = "`" + escape(ChangeDescription.item(change)) + "`"
                for field in ChangeDescription.fieldChanges(change) { item += "<br>" + escape(field) }
                let requires = plan.from == nil ? "" : change.requires.rawValue
                out += "| \(change.action.symbol) | \(ChangeDescription.kindLabel(change.kind)) | \(item) | \(requires) |\n"
            }
        }
        out += "\n#### Steps\n\n```mermaid\n" + GraphRenderer.mermaid(plan.steps) + "```\n\n"
        out += "<details><summary>What each step does</summary>\n\n"
        for (index, step) in plan.steps.enumerated() {
            out += "\(index + 1). **\(escape(step.id))**\(step.manual ? " (manual)" : "")\n"
            for action in step.actions { out += "   - \(escape(action))\n" }
        }
        out += "\n</details>\n\n<details><summary>Partner account values</summary>\n\n"
        out += "| field | value |\n|---|---|\n| version | \(escape(plan.partnerAccount.version)) |\n"
        for (language, text) in plan.partnerAccount.changelog.sorted(by: { $0.key < $1.key }) {
            out += "| changelog (\(escape(language))) | \(escape(text)) |\n"
        }
        out += "| minimum Bitrix24 | \(escape(plan.partnerAccount.minimumBitrix24Version ?? "(not set)")) |\n"
        out += "| scopes | \(escape(plan.partnerAccount.scopes.joined(separator: ", "))) |\n\n</details>\n"
        if !diagnostics.isEmpty {
            out += "\n<details><summary>\(diagnostics.count) lint finding\(diagnostics.count == 1 ? "" : "s")</summary>\n\n"
            for diagnostic in diagnostics {
                out +=
                    "- `\(escape(diagnostic.file)):\(diagnostic.line):\(diagnostic.column)` \(diagnostic.severity.rawValue) "
                    + "[\(diagnostic.rule)]: \(escape(diagnostic.message))\n"
            }
            out += "\n</details>\n"
        }
        return out
    }

    /// Escapes what would break a table cell or render as markup: a line break becomes `<br>`, other
    /// control characters are escaped (`String.escapingControlCharacters`).
    static func escape(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("<", with: "&lt;").replacing("\r\n", with: "<br>").replacing("\n", with: "<br>")
            .escapingControlCharacters
    }
}
