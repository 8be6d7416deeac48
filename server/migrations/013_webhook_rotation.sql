-- Rotating a region's webhook secret: the secret it replaced is kept until `previous_until`, and
-- deliveries are signed with both until then (Standard Webhooks: several `v1,` signatures).
ALTER TABLE region_webhook ADD COLUMN previous_secret TEXT;
ALTER TABLE region_webhook ADD COLUMN previous_until TEXT;
