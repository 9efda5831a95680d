-- Readiness asks when a team was last notified: the newest notified_at, from this index
-- instead of a scan of every request.
CREATE INDEX requests_by_notified ON requests (notified_at);
