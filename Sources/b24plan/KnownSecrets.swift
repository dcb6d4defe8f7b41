import PlanStore

/// The secrets b24plan knows (DESIGN §7, secrets): the OAuth client secret and the database
/// password, in every form it is given — from the environment, `--database`, or the config.
enum KnownSecrets {
    /// A redactor for everything a command prints, built before it runs.
    static func redactor(environment: [String: String], arguments: ParsedArguments) -> SecretRedactor {
        var urls = [arguments.value("database"), environment["B24PLAN_DATABASE_URL"]]
        urls.append((try? StoreOptions.config(arguments))?.database)
        return redactor(environment: environment, urls: urls.compactMap { $0.flatMap { try? DatabaseURL($0) } })
    }

    /// A redactor for the client secret, `PGPASSWORD` and the passwords of `urls`.
    static func redactor(environment: [String: String], urls: [DatabaseURL]) -> SecretRedactor {
        var secrets = [environment["B24_CLIENT_SECRET"], environment["PGPASSWORD"]].compactMap { $0 }
        for url in urls + [environment["B24PLAN_DATABASE_URL"].flatMap { try? DatabaseURL($0) }].compactMap({ $0 }) {
            secrets += url.secrets
        }
        return SecretRedactor(secrets)
    }
}
