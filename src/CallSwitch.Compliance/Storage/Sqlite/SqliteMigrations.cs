namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>
/// The schema, as the ordered list of steps that build it. Never edit a step that has shipped:
/// add the next one (a hash chain over audit_log will be step 2 or later).
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "calls, recordings with pauses and purposes, append-only audit log", """
            CREATE TABLE calls (
                call_id             TEXT    NOT NULL PRIMARY KEY,
                direction           TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
                agent_id            TEXT,
                campaign_id         TEXT,
                prospect_number     TEXT,
                started_at_us       INTEGER NOT NULL,
                answered_at_us      INTEGER,
                ended_at_us         INTEGER,
                end_reason          TEXT,
                announcement_played INTEGER NOT NULL CHECK (announcement_played IN (0, 1)),
                announcement_at_us  INTEGER,
                announcement_sha256 TEXT,
                recorded            INTEGER NOT NULL CHECK (recorded IN (0, 1)),
                CHECK (announcement_played = (announcement_at_us IS NOT NULL)),
                CHECK (announcement_played = (announcement_sha256 IS NOT NULL))
            );
            CREATE INDEX ix_calls_prospect_number ON calls (prospect_number, started_at_us);
            CREATE INDEX ix_calls_campaign ON calls (campaign_id, started_at_us);
            CREATE INDEX ix_calls_agent ON calls (agent_id, started_at_us);
            CREATE INDEX ix_calls_started ON calls (started_at_us);

            CREATE TABLE recordings (
                recording_id        TEXT    NOT NULL PRIMARY KEY,
                call_id             TEXT    NOT NULL REFERENCES calls (call_id),
                campaign_id         TEXT    NOT NULL,
                agent_id            TEXT    NOT NULL,
                prospect_number     TEXT,
                started_at_us       INTEGER NOT NULL,
                ended_at_us         INTEGER,
                duration_us         INTEGER,
                rule_id             TEXT    NOT NULL,
                announcement_played INTEGER NOT NULL CHECK (announcement_played IN (0, 1)),
                announcement_at_us  INTEGER,
                announcement_sha256 TEXT,
                opposed_by          TEXT    CHECK (opposed_by IN ('agent', 'prospect')),
                opposed_at_us       INTEGER,
                legal_basis         TEXT    NOT NULL,
                retention_until_us  INTEGER NOT NULL,
                legal_hold          INTEGER NOT NULL CHECK (legal_hold IN (0, 1)),
                key_id              TEXT,
                file_path           TEXT,
                file_size           INTEGER,
                ciphertext_sha256   TEXT,
                status              TEXT    NOT NULL CHECK (status IN ('in-progress', 'complete', 'incomplete')),
                dropped_packets     INTEGER NOT NULL DEFAULT 0,
                erased_at_us        INTEGER,
                erased_reason       TEXT,
                erased_by           TEXT,
                CHECK (announcement_played = (announcement_at_us IS NOT NULL)),
                CHECK (announcement_played = (announcement_sha256 IS NOT NULL)),
                CHECK ((opposed_by IS NULL) = (opposed_at_us IS NULL)),
                -- A tombstone keeps no way to the audio nor to the person: no key, no file, no number.
                CHECK (erased_at_us IS NULL OR (key_id IS NULL AND file_path IS NULL AND prospect_number IS NULL
                                                AND erased_reason IS NOT NULL AND erased_by IS NOT NULL)),
                CHECK (erased_at_us IS NOT NULL OR prospect_number IS NOT NULL),
                -- Refused recordings keep only the record of the refusal.
                CHECK (opposed_by IS NULL OR (key_id IS NULL AND file_path IS NULL))
            );
            CREATE INDEX ix_recordings_prospect_number ON recordings (prospect_number, started_at_us);
            CREATE INDEX ix_recordings_campaign ON recordings (campaign_id, started_at_us);
            CREATE INDEX ix_recordings_agent ON recordings (agent_id, started_at_us);
            CREATE INDEX ix_recordings_started ON recordings (started_at_us, recording_id);
            CREATE INDEX ix_recordings_call ON recordings (call_id);
            CREATE INDEX ix_recordings_retention ON recordings (retention_until_us) WHERE erased_at_us IS NULL;
            CREATE INDEX ix_recordings_in_progress ON recordings (started_at_us) WHERE status = 'in-progress';

            -- Tombstones are kept for ever: they are the proof of erasure.
            CREATE TRIGGER recordings_no_delete BEFORE DELETE ON recordings
            BEGIN SELECT RAISE(ABORT, 'recordings are erased to tombstones, never deleted'); END;

            CREATE TABLE recording_pauses (
                recording_id TEXT    NOT NULL REFERENCES recordings (recording_id),
                ordinal      INTEGER NOT NULL,
                start_us     INTEGER NOT NULL,
                end_us       INTEGER,
                PRIMARY KEY (recording_id, ordinal)
            );

            CREATE TABLE recording_purposes (
                recording_id TEXT    NOT NULL REFERENCES recordings (recording_id),
                ordinal      INTEGER NOT NULL,
                purpose      TEXT    NOT NULL,
                PRIMARY KEY (recording_id, ordinal)
            );

            -- sequence numbers entries in commit order (one writer); a later step adds the hash chain over them.
            CREATE TABLE audit_log (
                sequence     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                at_us        INTEGER NOT NULL,
                actor        TEXT    NOT NULL,
                action       TEXT    NOT NULL,
                recording_id TEXT    REFERENCES recordings (recording_id),
                purpose      TEXT    NOT NULL,
                detail       TEXT
            );
            CREATE INDEX ix_audit_recording ON audit_log (recording_id, sequence);
            CREATE INDEX ix_audit_actor ON audit_log (actor, at_us);

            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """),

        // Numbered 4: steps 2 and 3 come from work merged alongside (supervision is the third).
        new(4, "barge spans: where a supervisor's voice is on a recording's left channel", """
            CREATE TABLE recording_barges (
                recording_id TEXT    NOT NULL REFERENCES recordings (recording_id),
                ordinal      INTEGER NOT NULL,
                start_us     INTEGER NOT NULL,
                end_us       INTEGER,
                PRIMARY KEY (recording_id, ordinal)
            );
            """),
    ];

    /// <summary>The newest schema version this code knows.</summary>
    public static int Latest => All[^1].Version;
}
