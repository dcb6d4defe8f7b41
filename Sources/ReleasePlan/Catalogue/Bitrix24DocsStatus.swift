/// Where the official Bitrix24 REST documentation stands on a catalogue entry (checked against the
/// revision named in this folder's README).
public enum Bitrix24DocsStatus: String, Sendable, Equatable, Codable {
    /// The docs describe it today.
    case documented
    /// The docs still list it but say it should not be used (the scopes `tasks`, `tasks_extended`,
    /// `tasksmobile`; B24P214).
    case deprecated
    /// The docs no longer describe it (or only b24phpsdk does): a portal may reject it (B24P218).
    case removed
}
