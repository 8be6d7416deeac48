-- A second factor for intake and evaluator users (TOTP, RFC 6238), and sessions that work only
-- where they were issued.

-- One TOTP secret per user (base32). `confirmed_at` is NULL while the user is setting it up;
-- `last_step` is the last time step accepted (a step is accepted once). A setup in progress is
-- reached with a short-lived token (stored as SHA-256) and its form's CSRF token.
CREATE TABLE second_factor (
    user_id          INTEGER PRIMARY KEY REFERENCES user(id),
    secret           TEXT NOT NULL,
    confirmed_at     TEXT,
    last_step        INTEGER NOT NULL DEFAULT 0,
    setup_token_hash TEXT UNIQUE,
    setup_csrf       TEXT,
    setup_expires_at TEXT
) STRICT;

-- Single-use recovery codes, stored as SHA-256 (random, 80 bits each).
CREATE TABLE recovery_code (
    user_id   INTEGER NOT NULL REFERENCES user(id),
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- Where a session was issued: `api` (a bearer token) or `page` (the session cookie). Sessions
-- from before this migration were opened with a password alone: they end.
DELETE FROM session;
ALTER TABLE session ADD COLUMN issued_for TEXT NOT NULL DEFAULT 'api' CHECK (issued_for IN ('api', 'page'));
