-- Requests and their routing jobs (the outbox).
--
-- This is the schema the store created before it had migrations, kept with IF NOT EXISTS:
-- databases from then already have these tables at user_version 0, and this migration must
-- leave them and their rows as they are. Later migrations are plain CREATE/ALTER statements.
CREATE TABLE IF NOT EXISTS requests (
    id              TEXT PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    queue           TEXT NOT NULL,
    received_at     INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    status          TEXT NOT NULL,
    team            TEXT,
    routing_reason  TEXT,
    routed_at       INTEGER,
    notified_at     INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS requests_by_queue ON requests (team, status, queue, received_at);
CREATE INDEX IF NOT EXISTS requests_by_expiry ON requests (expires_at);
CREATE TABLE IF NOT EXISTS outbox (
    request_id  TEXT PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    enqueued_at INTEGER NOT NULL
) STRICT;
