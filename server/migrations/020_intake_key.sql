-- An intake worker's key: the region's identity file encrypted with a passphrase the worker chose
-- (age v1, one scrypt stanza), exactly the bytes the worker's browser sent. The server cannot
-- open it. One per user; disabling the user deletes it.
CREATE TABLE intake_key (
    user_id   INTEGER PRIMARY KEY REFERENCES user(id),
    wrapped   BLOB NOT NULL,
    stored_at TEXT NOT NULL
) STRICT;
