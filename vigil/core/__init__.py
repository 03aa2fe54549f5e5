"""Organisation, people, roles, store scope, the audit log and the shared UI shell."""
