/// One REST event that `event.bind` accepts, as the catalogue knows it.
public struct Bitrix24Event: Sendable, Equatable {
    /// The uppercased event name, e.g. `ONCRMDEALUPDATE` or `ONCRMDYNAMICITEMADD_128`
    /// (Bitrix24 compares event names case-insensitively).
    public let name: String
    /// The scope the token must hold for `event.bind` to find the event; `nil` for the global
    /// application events (`ONAPPINSTALL`, `ONAPPUPDATE`, …) that every app can bind.
    public let scope: String?

    /// Creates an event description.
    /// - Parameters:
    ///   - name: the uppercased event name.
    ///   - scope: the scope it needs, or `nil` for a global event.
    public init(name: String, scope: String?) {
        self.name = name
        self.scope = scope
    }
}
