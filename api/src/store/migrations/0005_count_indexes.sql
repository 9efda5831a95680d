-- The queue's counts per status read only these indexes, not the requests themselves
-- (100,000 requests: a few milliseconds instead of a scan of every row).
CREATE INDEX requests_counts_by_team ON requests (team, is_open, case_status);
CREATE INDEX requests_counts ON requests (is_open, case_status, team);
