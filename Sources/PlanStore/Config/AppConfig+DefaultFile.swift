extension AppConfig {
    /// The config `b24plan init` writes when there is none: the defaults, spelled out to edit.
    public static let defaultFileText = """
        {
          "installations": {
            "table": "portals",
            "memberId": "member_id",
            "endpoint": "client_endpoint",
            "accessToken": "access_token",
            "refreshToken": "refresh_token",
            "expiresAt": "expires_at",
            "where": "active = 1",
            "deactivate": "active = 0"
          },
          "migrations": { "table": "schema_migrations" },
          "oauth": { "tokenUrl": "https://oauth.bitrix.info/oauth/token/" }
        }

        """
}
