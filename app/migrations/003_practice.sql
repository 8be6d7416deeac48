-- Oefenmodus: which outbox lines are rehearsals (shown as "Oefening", never "call Veilig Thuis"),
-- and the practice history per staff profile. No personal data: the scenario's code, when, how
-- long, how many right and how many differed, and the staff profile's name (NULL: none picked).
ALTER TABLE outbox ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));

CREATE TABLE practice_runs (
    id             INTEGER PRIMARY KEY,
    scenario       TEXT NOT NULL,
    finished_at    TEXT NOT NULL,
    seconds_taken  INTEGER NOT NULL CHECK (seconds_taken >= 0),
    right_count    INTEGER NOT NULL CHECK (right_count >= 0),
    differed_count INTEGER NOT NULL CHECK (differed_count >= 0),
    staff          TEXT
) STRICT;
