/// Whether a table a command reads exists and has the columns it expects, asked portably (a query
/// that returns no row), so a wrong mapping is found before any step runs and said in words.
public enum TableShape {
    /// The columns of `columns` that `table` lacks; nil when the table does not exist. Run outside a
    /// transaction: on PostgreSQL a failing probe would abort it.
    public static func missingColumns(_ columns: [String], in table: String, database: any Database) throws -> [String]? {
        guard try database.tableExists(table) else { return nil }
        if (try? database.query("SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE 1 = 0")) != nil { return [] }
        return columns.filter { (try? database.query("SELECT \($0) FROM \(table) WHERE 1 = 0")) == nil }
    }

    /// The database's complaint about `condition` on `table`, or nil when it runs.
    public static func conditionProblem(_ condition: String, in table: String, database: any Database) -> String? {
        do {
            _ = try database.query("SELECT 1 AS found FROM \(table) WHERE (\(condition)) AND 1 = 0")
            return nil
        } catch let error as DatabaseError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}
