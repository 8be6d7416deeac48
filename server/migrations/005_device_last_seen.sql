-- When a device was last seen (`device list`): written at most once an hour per device, where
-- its token is checked, so a request costs no write.
ALTER TABLE device ADD COLUMN last_seen_at TEXT;
