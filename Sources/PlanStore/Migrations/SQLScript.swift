import ReleasePlan

/// A migration file cut into statements with the SQL tokenizer, so each statement runs on its own
/// (a failure names its line) and `:member_id` / `:batch_size` become bound parameters.
public struct SQLScript: Sendable {
    /// One statement of the file.
    public struct Statement: Sendable, Equatable {
        /// The statement as written (comments inside kept).
        public var sql: String
        /// 1-based line of its first token in the file.
        public var line: Int
        /// Named parameters in order of appearance (lower-cased, without the colon).
        public var parameterNames: [String]
    }

    public var path: String
    public var statements: [Statement]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        let lines = LineTable(bytes)
        let tokens = SQLTokenizer.tokenize(bytes)
        statements = SQLStatement.split(tokens, in: bytes).map { statement in
            var sql = ""
            var names: [String] = []
            var cursor = statement.startOffset
            for token in statement.tokens where token.kind == .namedParameter {
                sql += String(decoding: bytes[cursor..<token.range.lowerBound], as: UTF8.self) + "?"
                names.append(String(token.text(in: bytes).dropFirst()).lowercased())
                cursor = token.range.upperBound
            }
            sql += String(decoding: bytes[cursor..<statement.endOffset], as: UTF8.self)
            return Statement(sql: sql, line: lines.location(of: statement.startOffset).line, parameterNames: names)
        }
    }

    /// The values for a statement's named parameters, or an error naming an unknown one.
    public static func bind(_ statement: Statement, values: [String: SQLValue], file: String) throws -> [SQLValue] {
        try statement.parameterNames.map { name in
            guard let value = values[name] else {
                let known = values.keys.sorted().map { ":" + $0 }.joined(separator: " and ")
                throw MigrationError(
                    file: file, line: statement.line,
                    message: "unknown parameter :\(name) (this migration gets \(known.isEmpty ? "no parameters" : known))")
            }
            return value
        }
    }
}

/// A migration that failed: the file and line of the statement, and the database's message.
public struct MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
