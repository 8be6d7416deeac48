-- Sealed reports: the region key list the scheme signed (minisign), every version that was set.
-- The newest version is in force; a region in it receives sealed reports (schema_version 2) only.
CREATE TABLE region_key_list (
    version   INTEGER PRIMARY KEY,
    issued_at TEXT NOT NULL,
    -- The signed bytes exactly as set (UTF-8 JSON) and the text of the .minisig file.
    list      TEXT NOT NULL,
    signature TEXT NOT NULL,
    set_at    TEXT NOT NULL
) STRICT;

-- The regions of each version, for the one look-up a submission makes.
CREATE TABLE region_key_region (
    vt_region TEXT NOT NULL,
    version   INTEGER NOT NULL REFERENCES region_key_list(version),
    PRIMARY KEY (vt_region, version)
) STRICT;
