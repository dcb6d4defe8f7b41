/// The messages of the plan decoder and the lint rules, in one catalogue (STYLE 6). A value from
/// the user's files is shown through `quoted` or `shown` (`MessageValue`), never interpolated raw.
public enum PlanMessages {
    static func quoted(_ value: String) -> String { MessageValue.quoted(value) }
    static func shown(_ value: String) -> String { MessageValue.shown(value) }

    // MARK: Decoding (B24P002–B24P005)

    static func wrongType(path: JSONPath, expected: String, found: String) -> String {
        "`\(path.displayName)` must be \(expected), found \(found)"
    }
    static func unknownKey(_ key: String, what: String) -> String { "unknown key \(quoted(key)) in \(what)" }
    static func missingKey(_ key: String, what: String) -> String { "\(what) is missing the required key \(quoted(key))" }
    /// Added to B24P002 when the unknown key is a misspelling of a required key the object lacks.
    static func requiredKeyMissing(_ key: String) -> String { " (the required key \(quoted(key)) is missing)" }
    static func duplicateKey(_ key: String, what: String, firstLine: Int?) -> String {
        let first = firstLine.map { " (first on line \($0))" } ?? ""
        return "duplicate key \(quoted(key)) in \(what)\(first)"
    }
    static func emptyString(_ path: JSONPath) -> String { "`\(path.displayName)` must not be empty" }
    static func emptyArray(_ path: JSONPath) -> String { "`\(path.displayName)` must not be an empty array" }
    static func tooSmall(_ path: JSONPath, minimum: Int) -> String { "`\(path.displayName)` must be at least \(minimum)" }
    static func notOneOf(_ value: String, path: JSONPath, allowed: [String]) -> String {
        "`\(path.displayName)` must be one of \(allowed.map { "\(quoted($0))" }.joined(separator: ", ")), found \(quoted(value))"
    }
    static func unknownRule(_ rule: String) -> String { "unknown rule code \(quoted(rule))" }
    static func badSuppressionPath(_ path: String) -> String {
        "\(quoted(path)) is not a path of the form placements[2].handler"
    }
    static func numberOutOfRange(_ text: String) -> String {
        "number out of range: \(shown(text)) is beyond what a 64-bit floating-point number holds"
    }
    static let planNotObject = "a release plan must be a JSON object"
}

extension Unicode.Scalar {
    /// `U+001B`: how messages name a code point (4 to 6 uppercase hex digits).
    var codePoint: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension JSONPath {
    /// The path as messages show it (`(root)` for the whole document).
    var displayName: String { components.isEmpty ? "(root)" : description }
}

extension PlanMessages {
    static func previousPlanUnusable(_ path: String, reason: String) -> String {
        "the previous plan \(path) cannot be used: \(reason)"
    }
}

extension PlanMessages {
    static func folderDisagreesWithStore(folder: String, folderVersion: String, storeVersion: String) -> String {
        "the folder's previous plan is \(folder) (\(folderVersion)) but the store's newest published version is \(storeVersion); "
            + "comparing with the store"
    }
    static func folderPlanDiffersFromStore(folder: String, version: String) -> String {
        "the folder's previous plan \(folder) differs from the plan the store published as \(version); comparing with the store"
    }
    static func folderHasNoPrevious(storeVersion: String) -> String {
        "the folder has no previous plan but the store's newest published version is \(storeVersion); comparing with the store"
    }
    static func storeHasNoRelease(folder: String, folderVersion: String, app: String) -> String {
        "the folder's previous plan is \(folder) (\(folderVersion)) but the store has published no version of \(app); "
            + "comparing with nothing (an initial release)"
    }
}

extension PlanMessages {
    static func suppressionWithoutReason(_ rule: String) -> String {
        "the suppression of \(shown(rule)) has no reason: say in \"reason\" why the finding is acceptable"
    }
    static func unusedSuppression(_ rule: String, at path: String) -> String {
        "the suppression of \(shown(rule)) at \(path.isEmpty ? "(root)" : shown(path)) matched nothing; remove it"
    }
}

extension PlanMessages {
    static func badVersion(_ version: String, scheme: Versioning) -> String {
        switch scheme {
        case .semver:
            return "version \(quoted(version)) is not semver MAJOR.MINOR.PATCH (for example 1.3.0); "
                + "set \"versioning\": \"free\" to number versions otherwise"
        case .free:
            return "version \(quoted(version)) is not a dot-separated version (segments must be non-empty and without spaces)"
        }
    }
    static func differentApp(_ app: String, previous: String, path: String) -> String {
        "this plan is for app \(quoted(app)) but the previous plan \(path) is for \(quoted(previous))"
    }
    static func versionNotGreater(_ version: String, previous: String, path: String) -> String {
        "version \(version) is not greater than the published \(previous) (\(path))"
    }
    static func versionOfACopy(_ version: String, path: String) -> String {
        "version \(version) is not greater than the previous plan's: \(path) beside it declares the same app and version; "
            + "bump the version of a copied plan"
    }
    static func sameRelease(app: String, version: String, path: String) -> String {
        "\(path) also declares app \(quoted(app)) version \(version) and comes first; "
            + "each plan in a folder needs its own version (bump this one if it was copied)"
    }
    static func fileNameVersion(_ name: String, declared: String) -> String {
        "the file is named \(name) but declares version \(declared); rename the file or fix the version"
    }
    static func bumpTooSmall(reason: String, required: Bump, next: String, declared: String) -> String {
        let article = required == .patch ? "a" : "a"
        return "\(reason) requires \(article) \(required.rawValue) version (\(next)); the plan declares \(declared)"
    }
    static func bumpNote(previous: String, declared: Bump) -> String {
        "the published version is \(previous); this plan's version is a \(declared.rawValue) bump"
    }
    static let emptyChangelog = "the changelog has no entries: add the text the moderator reads, e.g. \"en\": \"…\""
    static func emptyChangelogEntry(_ language: String) -> String { "the changelog for \(quoted(language)) is empty" }
    static func changelogLanguageDropped(_ language: String) -> String {
        "the changelog has no \(quoted(language)) text; the published release had one"
    }
    static func shortChangelog(_ language: String, length: Int, minimum: Int) -> String {
        "the changelog for \(quoted(language)) has \(length) characters; say what changed in at least \(minimum)"
    }
}

extension PlanMessages {
    static func unknownScope(_ code: String) -> String { "unknown scope \(quoted(code))" }
    static func deprecatedScope(_ code: String, replacement: String?, note: String?) -> String {
        if let replacement { return "scope \(quoted(code)) is deprecated; request \(quoted(replacement)) instead" }
        return "scope \(quoted(code)) is deprecated" + (note.map { ": \($0)" } ?? "")
    }
    static func unusedScope(_ code: String) -> String {
        "scope \(quoted(code)) is requested but no placement, event or required method uses it; "
            + "give a \"purpose\" for the moderator or remove it"
    }
    static let placementScopeMissing =
        "the plan has placements but does not request the scope \"placement\", which placement.bind needs"
    static func scopeUpgradeMissing(_ added: [String]) -> String {
        let list = added.map { "\(quoted($0))" }.joined(separator: ", ")
        return "scope\(added.count == 1 ? "" : "s") \(list) added since the published release, but \"scopeUpgrade\" is not set: "
            + "choose \"reinstall\" or \"incremental\" to say how installed portals get \(added.count == 1 ? "it" : "them")"
    }
}

extension PlanMessages {
    static func unknownPlacement(_ code: String) -> String { "unknown placement \(quoted(code))" }
    static func placementNeedsScope(_ code: String, scope: String) -> String {
        "placement \(code) needs the scope \(quoted(scope)), which the plan does not request"
    }
    static func messengerWithoutIM(_ code: String) -> String {
        "messenger placement \(code) without the scope \"im\": the documentation disagrees whether registering it needs im; request it to be safe"
    }
    static func secondHandler(_ code: String, first: Int) -> String {
        "\(code) allows one handler per app; placements[\(first)] already binds one"
    }
    static func requiredOption(_ option: String, placement: String) -> String {
        "\(placement) needs options.\(option)"
    }
    static func droppedOption(_ option: String, placement: String, kept: [String]) -> String {
        let keeps = kept.isEmpty ? "keeps no options" : "keeps only " + kept.joined(separator: ", ")
        return "option \(quoted(option)) is dropped by the portal: \(placement) \(keeps)"
    }
    static func unknownEvent(_ name: String) -> String { "unknown event \(quoted(name))" }
    static func eventNeedsScope(_ name: String, scope: String) -> String {
        "event \(name) needs the scope \(quoted(scope)), which the plan does not request"
    }
    /// B24P204/B24P205 where the docs disagree: every accepted scope, and what each page says.
    static func needsOneOf(_ what: String, scopes: [String], dispute: String) -> String {
        let list = scopes.map { "\(quoted($0))" }.joined(separator: " or ")
        return "\(what) needs the scope \(list), which the plan does not request (\(dispute); either is accepted)"
    }
    /// B24P003 for an option the docs give as text (`groupId`: "11,12").
    static func textOption(_ option: String, placement: String) -> String {
        "options.\(option) of \(placement) must be a string (e.g. \"11,12\" for the projects 11 and 12); a list or object is "
            + "stored in another shape and makes every reconcile bind the widget again"
    }
    /// B24P217 for `description` / `groupName` on a Sites placement.
    static func sitesIgnoredKey(_ key: String, placement: String) -> String {
        "\(quoted(key)) is not sent: \(placement) is bound with landing.repo.bind, which takes only PLACEMENT, PLACEMENT_HANDLER and TITLE"
    }
    /// B24P218: a code the docs no longer describe, or describe as deprecated.
    static func removedFromDocs(_ kind: String, _ code: String, source: String, note: String?, deprecated: Bool = false) -> String {
        if deprecated {
            return "\(kind) \(code) is deprecated in the Bitrix24 docs (\(source))" + (note.map { ": \($0)" } ?? "")
        }
        let instead = note.map { "; \($0)" } ?? ""
        return "\(kind) \(code) is removed from the Bitrix24 docs (\(source)); the portal may reject it\(instead)"
    }
    /// B24P219: an event that event.bind does not deliver.
    static func notBindable(_ name: String, delivery: Bitrix24EventDelivery, source: String) -> String {
        switch delivery {
        case .polled:
            "event \(shown(name)) is not delivered through event.bind: the app fetches it by polling im.v2.Event.get "
                + "(webhook mode is not supported; \(source))"
        case .botRegistration:
            "event \(shown(name)) is not bound with event.bind: imbot.v2.Bot.register subscribes the bot to it, and binding "
                + "it with event.bind may lead to a mismatch (\(source))"
        case .eventBind:
            "event \(shown(name)) is bound with event.bind"
        }
    }
}

extension PlanMessages {
    static func minimumVersionRaised(from old: String?, to new: String) -> String {
        let from = old.map { "raised from \($0) to \(new)" } ?? "set to \(new)"
        return "minimumBitrix24Version \(from): portals below \(new) will not get this update"
    }
}

extension PlanMessages {
    static func handlerNotURL(_ handler: String) -> String { "handler \(quoted(handler)) is not an absolute https URL" }
    static func handlerNotHTTPS(_ handler: String) -> String {
        "handler \(shown(handler)) must use https (http is accepted only for loopback hosts)"
    }
    static func handlerBackslash(_ handler: String, host: String?) -> String {
        guard let host else { return "handler URL \(shown(handler)) has a backslash, which a browser reads as a slash" }
        return "handler URL \(shown(handler)) has a backslash: a browser reads it as a slash, so it reads the host as \(shown(host))"
    }
    static func handlerUserinfo(_ handler: String) -> String {
        "handler URL \(shown(handler)) has user info (user@ or user:password@) before the host: "
            + "it would reach every portal, and parsers disagree on where the host starts"
    }
    static func handlerControlCharacter(_ handler: String, scalar: Unicode.Scalar) -> String {
        "handler URL \(shown(handler)) has the control character \(scalar.codePoint)"
    }
    static func handlerWhitespace(_ handler: String, scalar: Unicode.Scalar) -> String {
        "handler URL \(shown(handler)) has white space (\(scalar.codePoint)); a browser drops or encodes it"
    }
    static func handlerSlashes(_ handler: String, host: String?) -> String {
        let reading = host.map { "a browser reads the host as \(shown($0))" } ?? "a browser finds no host"
        return "handler URL \(shown(handler)) must have exactly two slashes after the scheme: \(reading), other parsers may not"
    }
    static func handlerHostReadDifferently(_ written: String, read: String) -> String {
        "handler host \(shown(written)) is not written the way a browser reads it: a browser reads the host as \(shown(read)); write that"
    }
    static func handlerHostCharacter(_ written: String, character: Character) -> String {
        "handler host \(shown(written)) has the character \(quoted(String(character))), which no host name has"
    }
    static func handlerHostNotASCII(_ written: String) -> String {
        "handler host \(shown(written)) is not ASCII: a browser calls its punycode (xn--) form; write that form"
    }
    static func handlerHostInvalid(_ written: String, reason: WHATWGHost.Invalid) -> String {
        let why: String
        switch reason {
        case .empty: why = "it is empty"
        case .forbidden(let scalar): why = "a browser refuses the character \(scalar.codePoint) in a host"
        case .ipv4: why = "it ends in a number, so a browser reads it as an IPv4 address, and it is not a valid one"
        case .ipv6: why = "it is not a valid IPv6 address in brackets"
        }
        return "handler host \(shown(written)) is not a valid host: \(why)"
    }
    static func handlerNoHost(_ handler: String) -> String { "handler URL \(shown(handler)) has no host" }
    static func handlerBadPort(_ handler: String, port: String) -> String {
        "handler URL \(shown(handler)) has the port \(quoted(port)), which is not a number from 0 to 65535"
    }
    static func hostNotListed(_ host: String, hosts: [String]) -> String {
        let listed = hosts.prefix(5).map(shown).joined(separator: ", ") + (hosts.count > 5 ? ", and \(hosts.count - 5) more" : "")
        return "handler host \(shown(host)) is not in handlerHosts (\(listed))"
    }
    /// B24P220: a handlerHosts entry written as a URL.
    static func hostNotBare(_ entry: String, host: String?) -> String {
        let instead = host.map { ": write \(quoted($0))" } ?? ""
        return "handlerHosts entry \(quoted(entry)) is not a bare host (no scheme, path, port or white space)\(instead)"
    }
    static func duplicateBinding(_ noun: String, key: BindingKey, first: String) -> String {
        "duplicate \(noun) \(shown(key.code)) with handler \(shown(key.handler)) (first at \(first))"
    }
}

extension PlanMessages {
    static func duplicateMigrationID(_ id: Int, first: Int) -> String {
        "migration id \(id) is used twice (first at migrations[\(first)])"
    }
    static func migrationIDOutOfSequence(_ id: Int, expected: Int) -> String {
        "migration ids must run 1, 2, 3, … without gaps: expected \(expected) here, found \(id)"
    }
    static func migrationFileUnreadable(_ file: String, reason: String) -> String {
        "migration file \(shown(file)) cannot be read: \(reason)"
    }
    static func migrationFileAbsolute(_ file: String, projectRoot: String) -> String {
        "migration file \(shown(file)) is an absolute path: give it relative to the plan file, inside the project \(projectRoot)"
    }
    static func migrationFileOutsideProject(_ file: String, projectRoot: String) -> String {
        "migration file \(shown(file)) is outside the project \(projectRoot): migration files must be inside it"
    }
    static func migrationFileLinksOutsideProject(_ file: String, target: String, projectRoot: String) -> String {
        "migration file \(shown(file)) resolves through a symbolic link to \(shown(target)), outside the project \(projectRoot)"
    }
    static func projectRootUnknown(_ reason: String) -> String {
        "the plan's folder cannot be resolved (\(reason)), so the project it belongs to is unknown"
    }
    static let projectRootNote =
        "the project is the nearest folder above the plan file that holds .git, else the parent of the plan's folder"
    /// What a B24P303 message advises: `lint --fix`, or (for a published migration or a released
    /// plan, which the fixer never writes) restoring the file and adding a new migration.
    enum DigestAdvice: Equatable {
        case fix
        /// The migration is in the previous plan (its id).
        case published(Int)
        /// The plan is released (why: "1.1.0.json follows it").
        case released(String)

        var text: String {
            switch self {
            case .fix: return " (b24plan lint --fix writes it)"
            case .published(let id):
                return "; migration \(id) is published, so its digest stays: restore the file, and add a new migration instead (B24P304)"
            case .released(let reason):
                return "; this plan is released (\(reason)), so its digests stay: restore the file, "
                    + "and add a new migration to the next plan instead"
            }
        }
    }
    static func digestMismatch(_ file: String, digest: String, advice: DigestAdvice = .fix) -> String {
        "sha256 does not match \(shown(file)): the file's digest is \(digest)" + advice.text
    }
    static func digestMissing(_ file: String, digest: String, advice: DigestAdvice = .fix) -> String {
        "migration has no sha256; the digest of \(shown(file)) is \(digest)" + advice.text
    }
    static func notFixed(_ file: String, reason: String) -> String {
        "\(file) is released (\(reason)): lint --fix does not write into it; its sha256 values are history: "
            + "restore the migration files it names, and add a new migration to the next plan instead"
    }
    static func publishedMigrationEdited(_ id: Int, name: String, edits: [String]) -> String {
        "published migration \(id) (\(shown(name))) was edited (\(edits.joined(separator: ", ")) changed); add a new migration instead"
    }
    static func publishedMigrationRenumbered(_ name: String, from: Int, to: Int) -> String {
        "published migration \(shown(name)) was renumbered from \(from) to \(to)"
    }
    static func publishedMigrationRemoved(_ id: Int, name: String) -> String {
        "published migration \(id) (\(shown(name))) was removed; migrations are cumulative since the first release"
    }
}

extension PlanMessages {
    static func destructiveSQL(_ subject: String) -> String {
        "destructive SQL: \(shown(subject)) destroys data the previous release may still read"
    }
    static func incompatibleSQL(_ subject: String) -> String {
        "backward-incompatible SQL: \(shown(subject)) breaks the previous release while it still runs"
    }
    static func indexWithoutConcurrently(_ subject: String) -> String {
        "\(shown(subject)) without CONCURRENTLY locks writes on PostgreSQL while it builds (CONCURRENTLY needs \"transaction\": false)"
    }
    static func concurrentIndexInTransaction(_ subject: String) -> String {
        "\(shown(subject)) cannot run inside a transaction: set \"transaction\": false on this migration"
    }
    static func nonAtomicDDL(_ subject: String) -> String {
        "\(shown(subject)) in one migration: MySQL commits each DDL statement implicitly, so a failure leaves the migration half applied; give each DDL statement its own migration"
    }
    static func alterWithoutOnlineDDL(_ subject: String) -> String {
        "\(shown(subject)) may copy the table and block writes on MySQL while it runs; add ALGORITHM=INSTANT (or INPLACE) and LOCK=NONE, so that MySQL refuses the change instead of locking the table"
    }
    static func unboundedDataChange(_ subject: String) -> String {
        "\(shown(subject)) has no WHERE: it changes every row in one transaction; make the migration perPortal or add a WHERE"
    }
    static func repeatedChangelog(_ language: String, version: String) -> String {
        "the \(language) changelog is the same as the published \(version)'s: moderators reject a version that repeats it; "
            + "say what this version changes"
    }
    static func unknownParameter(_ name: String) -> String {
        "unknown parameter :\(shown(name)): b24plan binds only :member_id and :batch_size"
    }
    static func parameterInSchemaMigration(_ name: String) -> String {
        "parameter :\(shown(name)) in a schema migration, which gets none: only perPortal migrations get :member_id and :batch_size"
    }
    static func perPortalWithoutMemberID(_ file: String) -> String {
        "perPortal migration \(shown(file)) does not use :member_id, so each portal's run would touch every portal's rows"
    }
}

extension PlanMessages {
    static func badMinimumVersion(_ text: String) -> String {
        "`minimumBitrix24Version` must be a Bitrix24 version of numbers and dots (for example 24.300.0), found \(quoted(text))"
    }
    static func publishedMigrationFileEdited(_ id: Int, file: String, digest: String) -> String {
        "published migration \(id) was edited: \(shown(file)) no longer matches its published sha256 (the file's digest is \(digest)); "
            + "restore the file and add a new migration instead"
    }
}

extension PlanMessages {
    /// A SQL finding's message with the place in the migration file in front.
    static func inSQL(_ place: String, _ message: String) -> String { "\(place): \(message)" }
}
