-- Retention counts from closing. Requests stored before this had their deletion date set
-- when they came in, so one that nobody handled would have vanished; every request is
-- still open at this point (closing did not exist yet), so none expires now.
UPDATE requests SET expires_at = 253402300799 WHERE is_open = 1;
