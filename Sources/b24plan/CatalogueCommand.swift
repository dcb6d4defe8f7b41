import ReleasePlan

/// `b24plan catalogue`: what b24plan knows about Bitrix24 (scopes, placements, events), each entry
/// with its status in the REST docs and the docs page it comes from.
struct CatalogueCommand: Command {
    let name = "catalogue"
    let summary = "List the scopes, placements and events b24plan knows, with their docs pages"
    let usage = "b24plan catalogue [scopes|placements|events] [--status documented|deprecated|removed] [--format text|json]"
    let discussion = """
        Lint checks plans against this catalogue. Each entry names the page of the Bitrix24 REST docs
        (bitrix24/b24restdocs, under api-reference/) it comes from, and its status there: documented,
        deprecated (B24P214) or removed (B24P218: still accepted, but a portal may reject it).
        Placements show how they are bound (placement.bind, or landing.repo.bind for the Sites
        placements) and the options the portal keeps; events show how they are delivered (event.bind,
        or im.v2.Event.get / imbot.v2.Bot.register, which B24P219 refuses). Patterns stand for families:
        CRM_DYNAMIC_<id>_DETAIL_TAB, LANDING_BLOCK_<CODE>, ONCRMDYNAMICITEMADD_<entityTypeId>.
        """
    let options: [OptionSpec] = [
        .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text)."),
        .value("status", "STATUS", allowed: ["documented", "deprecated", "removed"], "Only entries with this status."),
    ]

    private static let kinds = ["scopes", "placements", "events"]

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count <= 1 else {
            throw UsageError(message: "catalogue takes at most one of scopes, placements, events")
        }
        let kind = arguments.positionals.first?.lowercased()
        if let kind, !Self.kinds.contains(kind) {
            throw UsageError(
                message: "unknown part '\(kind)'\(Suggestion.phrase(for: kind, in: Self.kinds)); use scopes, placements or events")
        }
        var listing = Bitrix24CatalogueListing.all
        if let status = arguments.value("status").flatMap(Bitrix24DocsStatus.init(rawValue:)) {
            listing.scopes.removeAll { $0.status != status }
            listing.placements.removeAll { $0.status != status }
            listing.events.removeAll { $0.status != status }
        }
        if kind != nil && kind != "scopes" { listing.scopes = [] }
        if kind != nil && kind != "placements" { listing.placements = [] }
        if kind != nil && kind != "events" { listing.events = [] }
        if format(arguments) == "json" {
            console.write(try JSONOutput.encode(listing))
            return .success
        }
        let style = TextStyle(enabled: console.colorOut)
        let revision = listing.checkedAgainst
        var text = "Checked against \(revision.repository) \(revision.commit.prefix(12)) (\(revision.date)); pages under api-reference/.\n"
        if kind == nil || kind == "scopes" {
            text += "\n" + style.bold("Scopes (\(listing.scopes.count))") + "\n"
            text += table(listing.scopes.map { [$0.code, $0.status.rawValue, $0.source] })
        }
        if kind == nil || kind == "placements" {
            text += "\n" + style.bold("Placements (\(listing.placements.count))") + "\n"
            text += table(
                listing.placements.map { entry in
                    let kept = entry.keptOptions.isEmpty ? "" : "keeps " + entry.keptOptions.joined(separator: ",")
                    return [entry.code, scopesText(entry.scopes), entry.bind, entry.status.rawValue, entry.source, kept]
                })
        }
        if kind == nil || kind == "events" {
            text += "\n" + style.bold("Events (\(listing.events.count))") + "\n"
            text += table(
                listing.events.map { [$0.name, scopesText($0.scopes), $0.delivery, $0.status.rawValue, $0.source] })
        }
        console.write(text)
        return .success
    }

    private func scopesText(_ scopes: [String]) -> String {
        scopes.isEmpty ? "-" : scopes.joined(separator: "|")
    }

    /// Left-aligned columns, two spaces apart, indented by two; trailing blanks trimmed.
    private func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "  (none)\n" }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            var line = "  "
            for (column, cell) in row.enumerated() {
                line += column == row.count - 1 ? cell : cell.padded(widths[column] + 2)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }.joined()
    }
}
