/// b24plan's own tables (prefixed `b24plan_`), versioned so a newer b24plan can upgrade them.
enum JournalSchema {
    /// Bumped when a migration is appended to `migrations`.
    static let version = 4

    /// Migrations of the journal schema, by version; each runs once, in order.
    static func migrations(_ dialect: SQLDialect) -> [Int: [String]] {
        // SQLite and PostgreSQL: `TEXT` for both; MySQL: VARCHAR(191) for text in keys, LONGTEXT elsewhere.
        let id = dialect.autoIncrementPrimaryKey
        let key = dialect.keyTextType
        let text = dialect.textType
        return [
            1: [
                """
                CREATE TABLE IF NOT EXISTS b24plan_runs (
                  id \(id),
                  app \(key) NOT NULL,
                  version \(key) NOT NULL,
                  plan_sha256 \(text) NOT NULL,
                  state \(text) NOT NULL,
                  started_at \(text) NOT NULL,
                  updated_at \(text) NOT NULL,
                  finished_at \(text),
                  UNIQUE (app, version)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_steps (
                  run_id BIGINT NOT NULL,
                  step_id \(key) NOT NULL,
                  state \(text) NOT NULL,
                  started_at \(text),
                  finished_at \(text),
                  detail \(text),
                  output_tail \(text),
                  PRIMARY KEY (run_id, step_id)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_portal_tasks (
                  run_id BIGINT NOT NULL,
                  step_id \(key) NOT NULL,
                  member_id \(key) NOT NULL,
                  state \(text) NOT NULL,
                  batches BIGINT NOT NULL DEFAULT 0,
                  rows_changed BIGINT NOT NULL DEFAULT 0,
                  attempts BIGINT NOT NULL DEFAULT 0,
                  last_error \(text),
                  missing_scopes \(text),
                  lease_owner \(text),
                  lease_expires_at \(text),
                  updated_at \(text) NOT NULL,
                  PRIMARY KEY (run_id, step_id, member_id)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_gates (
                  app \(key) NOT NULL,
                  version \(key) NOT NULL,
                  step_id \(key) NOT NULL,
                  passed_by \(text) NOT NULL,
                  passed_at \(text) NOT NULL,
                  PRIMARY KEY (app, version, step_id)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_locks (
                  app \(key) PRIMARY KEY,
                  owner \(text) NOT NULL,
                  expires_at \(text) NOT NULL
                )
                """,
            ],
            // The process a step started (the deploy hook): recorded before it is waited on, so a
            // later apply can tell whether it still runs (DESIGN §7, signals).
            2: [
                "ALTER TABLE b24plan_steps ADD COLUMN pid BIGINT",
                "ALTER TABLE b24plan_steps ADD COLUMN host \(text)",
                "ALTER TABLE b24plan_steps ADD COLUMN process_start \(text)",
            ],
            // Release history (issue 9): what is published, with the plan's bytes so history survives
            // deleted files; every rejection of a gate with its reason (a pass never erases one); rollback runs.
            3: [
                """
                CREATE TABLE IF NOT EXISTS b24plan_releases (
                  app \(key) NOT NULL,
                  version \(key) NOT NULL,
                  state \(text) NOT NULL,
                  update_type \(text),
                  plan_sha256 \(text) NOT NULL,
                  plan_json \(text) NOT NULL,
                  plan_path \(text),
                  published_at \(text) NOT NULL,
                  recorded_by \(text) NOT NULL,
                  run_id BIGINT,
                  rolled_back_to \(text),
                  rolled_back_at \(text),
                  PRIMARY KEY (app, version)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_gate_rejections (
                  app \(key) NOT NULL,
                  version \(key) NOT NULL,
                  step_id \(key) NOT NULL,
                  rejected_by \(text) NOT NULL,
                  rejected_at \(text) NOT NULL,
                  reason \(text) NOT NULL
                )
                """,
                "ALTER TABLE b24plan_runs ADD COLUMN kind \(key) NOT NULL DEFAULT 'release'",
                "ALTER TABLE b24plan_runs ADD COLUMN update_type \(text)",
            ],
            // Requests per second (issue 13): what a portal step's fleet sent, counted in memory per
            // wall-clock second (`unix_second`, Unix time) and added here with the portal results;
            // several `apply --worker` processes add to the same second. `report` draws it.
            4: [
                """
                CREATE TABLE IF NOT EXISTS b24plan_request_rate (
                  run_id BIGINT NOT NULL,
                  step_id \(key) NOT NULL,
                  unix_second BIGINT NOT NULL,
                  requests BIGINT NOT NULL DEFAULT 0,
                  errors BIGINT NOT NULL DEFAULT 0,
                  PRIMARY KEY (run_id, step_id, unix_second)
                )
                """
            ],
        ]
    }
}
