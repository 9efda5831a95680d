-- The staff workspace: the handling of each request (with a version for optimistic
-- locking and the columns its queue filters on), the hash-chained audit trail, local
-- accounts, the staff directory, sessions and failed sign-ins.
ALTER TABLE requests ADD COLUMN case_state TEXT;
ALTER TABLE requests ADD COLUMN case_status TEXT NOT NULL DEFAULT 'new';
ALTER TABLE requests ADD COLUMN is_open INTEGER NOT NULL DEFAULT 1;
ALTER TABLE requests ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN asker TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN age_band TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN topics TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN municipality TEXT;
ALTER TABLE requests ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN first_contact_at INTEGER;
ALTER TABLE requests ADD COLUMN audit_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN audit_hash TEXT NOT NULL
    DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';

-- Requests stored before this migration: their filter columns from the stored payload
-- (the draft JSON), their deadline as it was promised then (4 or 48 hours).
UPDATE requests SET
    sort_key = (CASE queue WHEN 'urgent' THEN '0' ELSE '1' END) || '#'
        || printf('%012d', received_at) || '#' || id,
    asker = json_extract(payload, '$.asker'),
    age_band = COALESCE(json_extract(payload, '$.age_band'), '18_plus'),
    topics = ',' || COALESCE((SELECT group_concat(value, ',') FROM json_each(payload, '$.topics')), '') || ',',
    municipality = json_extract(payload, '$.municipality'),
    due_at = received_at + (CASE queue WHEN 'urgent' THEN 4 ELSE 48 END) * 3600;

DROP INDEX IF EXISTS requests_by_queue;
CREATE INDEX requests_by_team_queue ON requests (team, is_open, sort_key);
CREATE INDEX requests_by_queue ON requests (is_open, sort_key);

CREATE TABLE audit_events (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    entry      TEXT NOT NULL,
    PRIMARY KEY (request_id, seq)
) STRICT;
-- Append-only: an event is never changed (it goes only with its request, at retention).
CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TABLE accounts (
    email   TEXT PRIMARY KEY,
    account TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id     TEXT PRIMARY KEY,
    member TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   TEXT NOT NULL,
    session    TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_staff ON sessions (staff_id);

CREATE TABLE sign_in_failures (
    key        TEXT NOT NULL,
    at         INTEGER NOT NULL,
    keep_until INTEGER NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
