/// b24plan's own tables (prefixed `b24plan_`), versioned so a newer b24plan can upgrade them.
enum JournalSchema {
    /// Bumped when a migration is appended to `migrations`.
    static let version = 3

    /// Migrations of the journal schema, by version; each runs once, in order.
    static func migrations(_ dialect: SQLDialect) -> [Int: [String]] {
        let id = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return [
            1: [
                """
                CREATE TABLE IF NOT EXISTS b24plan_runs (
                  id \(id),
                  app TEXT NOT NULL,
                  version TEXT NOT NULL,
                  plan_sha256 TEXT NOT NULL,
                  state TEXT NOT NULL,
                  started_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL,
                  finished_at TEXT,
                  UNIQUE (app, version)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_steps (
                  run_id BIGINT NOT NULL,
                  step_id TEXT NOT NULL,
                  state TEXT NOT NULL,
                  started_at TEXT,
                  finished_at TEXT,
                  detail TEXT,
                  output_tail TEXT,
                  PRIMARY KEY (run_id, step_id)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_portal_tasks (
                  run_id BIGINT NOT NULL,
                  step_id TEXT NOT NULL,
                  member_id TEXT NOT NULL,
                  state TEXT NOT NULL,
                  batches BIGINT NOT NULL DEFAULT 0,
                  rows_changed BIGINT NOT NULL DEFAULT 0,
                  attempts BIGINT NOT NULL DEFAULT 0,
                  last_error TEXT,
                  missing_scopes TEXT,
                  lease_owner TEXT,
                  lease_expires_at TEXT,
                  updated_at TEXT NOT NULL,
                  PRIMARY KEY (run_id, step_id, member_id)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_gates (
                  app TEXT NOT NULL,
                  version TEXT NOT NULL,
                  step_id TEXT NOT NULL,
                  passed_by TEXT NOT NULL,
                  passed_at TEXT NOT NULL,
                  PRIMARY KEY (app, version, step_id)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_locks (
                  app TEXT PRIMARY KEY,
                  owner TEXT NOT NULL,
                  expires_at TEXT NOT NULL
                )
                """,
            ],
            // The process a step started (the deploy hook): recorded before it is waited on, so a
            // later apply can tell whether it still runs (DESIGN §7, signals).
            2: [
                "ALTER TABLE b24plan_steps ADD COLUMN pid BIGINT",
                "ALTER TABLE b24plan_steps ADD COLUMN host TEXT",
                "ALTER TABLE b24plan_steps ADD COLUMN process_start TEXT",
            ],
            // Release history (issue 9): what is published, with the plan's bytes so history survives
            // deleted files; every rejection of a gate with its reason (a pass never erases one); rollback runs.
            3: [
                """
                CREATE TABLE IF NOT EXISTS b24plan_releases (
                  app TEXT NOT NULL,
                  version TEXT NOT NULL,
                  state TEXT NOT NULL,
                  update_type TEXT,
                  plan_sha256 TEXT NOT NULL,
                  plan_json TEXT NOT NULL,
                  plan_path TEXT,
                  published_at TEXT NOT NULL,
                  recorded_by TEXT NOT NULL,
                  run_id BIGINT,
                  rolled_back_to TEXT,
                  rolled_back_at TEXT,
                  PRIMARY KEY (app, version)
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS b24plan_gate_rejections (
                  app TEXT NOT NULL,
                  version TEXT NOT NULL,
                  step_id TEXT NOT NULL,
                  rejected_by TEXT NOT NULL,
                  rejected_at TEXT NOT NULL,
                  reason TEXT NOT NULL
                )
                """,
                "ALTER TABLE b24plan_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'release'",
                "ALTER TABLE b24plan_runs ADD COLUMN update_type TEXT",
            ],
        ]
    }
}
