/// Everything the catalogue knows, one entry per scope, placement (or placement pattern) and event
/// (or event pattern), with the docs page each comes from: what `b24plan catalogue` prints and what
/// `scripts/check-catalogue` compares with the docs snapshot.
public struct Bitrix24CatalogueListing: Sendable, Encodable {
    public struct Revision: Sendable, Encodable {
        public var repository: String
        public var commit: String
        public var date: String
    }

    public struct Scope: Sendable, Encodable {
        public var code: String
        public var status: Bitrix24DocsStatus
        public var source: String
    }

    public struct Placement: Sendable, Encodable {
        /// A code, or a pattern (`CRM_DYNAMIC_<id>_DETAIL_TAB`, `LANDING_BLOCK_<CODE>`).
        public var code: String
        /// Any one of them is enough besides the bind method's own scope; empty: none.
        public var scopes: [String]
        public var bind: String
        public var unbind: String
        public var keptOptions: [String]
        public var status: Bitrix24DocsStatus
        public var source: String
    }

    public struct Event: Sendable, Encodable {
        /// A name, or a pattern (`ONCRMDYNAMICITEMADD_<entityTypeId>`).
        public var name: String
        public var scopes: [String]
        public var delivery: String
        public var status: Bitrix24DocsStatus
        public var source: String
    }

    public var checkedAgainst: Revision
    public var scopes: [Scope]
    public var placements: [Placement]
    public var events: [Event]

    /// The whole catalogue, sorted by code and name.
    public static var all: Bitrix24CatalogueListing {
        let revision = Bitrix24Catalogue.docsRevision
        let scopes = Bitrix24Catalogue.scopeTable.flatMap { row in
            row.codes.map { Scope(code: $0, status: row.status, source: row.source) }
        }
        var placements: [Bitrix24Placement] = []
        var codes = Set(Bitrix24Catalogue.fixedPlacements.keys).union(Bitrix24Catalogue.allPlacementCodes)
        for suffix in Bitrix24Catalogue.crmSuffixes {
            for entity in Bitrix24Catalogue.crmEntitiesAccepted(bySuffix: suffix) where entity != Bitrix24Catalogue.crmDynamicEntityDisplay
            {
                codes.insert("CRM_\(entity)_\(suffix)")
            }
        }
        placements += codes.compactMap(Bitrix24Catalogue.placement)
        for suffix in Bitrix24Catalogue.crmSuffixes
        where Bitrix24Catalogue.crmEntitiesAccepted(bySuffix: suffix).contains(Bitrix24Catalogue.crmDynamicEntityDisplay) {
            if let example = Bitrix24Catalogue.placement("CRM_DYNAMIC_1_\(suffix)") {
                placements.append(example.renamed("CRM_DYNAMIC_<id>_\(suffix)"))
            }
        }
        if let block = Bitrix24Catalogue.placement(Bitrix24Catalogue.landingBlockPrefix + "X") {
            placements.append(block.renamed(Bitrix24Catalogue.landingBlockPattern))
        }
        var events = Bitrix24Catalogue.eventsByName.values.map { $0 }
        for pattern in Bitrix24Catalogue.eventSuffixPatterns {
            if let example = Bitrix24Catalogue.event(pattern.prefix + "1") {
                events.append(example.renamed(pattern.prefix + "<entityTypeId>"))
            }
        }
        return Bitrix24CatalogueListing(
            checkedAgainst: Revision(repository: revision.repository, commit: revision.commit, date: revision.date),
            scopes: scopes.sorted { $0.code < $1.code },
            placements: placements.sorted { $0.code < $1.code }.map {
                Placement(
                    code: $0.code, scopes: $0.acceptedScopes, bind: $0.binding.bindMethod, unbind: $0.binding.unbindMethod,
                    keptOptions: $0.keptOptions.sorted(), status: $0.status, source: $0.source)
            },
            events: events.sorted { $0.name < $1.name }.map {
                Event(name: $0.name, scopes: $0.acceptedScopes, delivery: $0.delivery.rawValue, status: $0.status, source: $0.source)
            })
    }
}

extension Bitrix24Placement {
    /// The same placement under another code (a pattern for listings).
    func renamed(_ code: String) -> Bitrix24Placement {
        Bitrix24Placement(
            code: code, scope: scope, alsoAccepted: Array(acceptedScopes.dropFirst()), scopeDispute: scopeDispute,
            isMessenger: isMessenger, allowsSingleHandler: allowsSingleHandler, keptOptions: keptOptions,
            requiredOptions: requiredOptions, binding: binding, status: status, source: source, removalNote: removalNote)
    }
}

extension Bitrix24Event {
    /// The same event under another name (a pattern for listings).
    func renamed(_ name: String) -> Bitrix24Event {
        Bitrix24Event(
            name: name, scope: scope, alsoAccepted: Array(acceptedScopes.dropFirst()), scopeDispute: scopeDispute,
            delivery: delivery, status: status, source: source, removalNote: removalNote)
    }
}
