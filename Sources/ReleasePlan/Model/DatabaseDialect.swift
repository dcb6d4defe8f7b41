/// The SQL dialect of the app's database, as a plan's `database` key names it (DESIGN §3).
///
/// The SQL rules read migrations in this dialect; a plan without `database` keeps the
/// PostgreSQL-flavoured rules (`Plan.database == nil`). Named apart from `PlanStore.SQLDialect`,
/// which is what a store connection speaks.
public enum DatabaseDialect: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case postgresql, mysql, sqlite

    /// True for PostgreSQL, and for a plan that names no dialect (today's rules).
    public static func isPostgreSQL(_ dialect: DatabaseDialect?) -> Bool {
        dialect == nil || dialect == .postgresql
    }
}
