"""Who may do what: accounts, roles, sessions and throttled logins (auth), and the append-only
audit log of person-level records (audit)."""
