-- Sign-ins through the identity provider that have started and not come back yet: taken
-- (deleted) once by the callback, and forgotten after ten minutes.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    login      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX oidc_logins_by_expiry ON oidc_logins (expires_at);
