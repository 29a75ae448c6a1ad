namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>
/// The schema, as the ordered list of steps that build it. Never edit a step that has shipped:
/// add the next one.
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
        new(2, "erasure in steps, tombstones' number digest, signed deletion receipts, legal holds, retention lease and runs", """
            -- Set before the key is destroyed: from then on the recording is no longer playable, and
            -- the next run finishes an erasure a crash interrupted.
            ALTER TABLE recordings ADD COLUMN erasing_at_us INTEGER;
            -- HMAC of the prospect's number under a key derived from the master key: a tombstone
            -- answers "was this number recorded, and when erased?" without keeping the number.
            ALTER TABLE recordings ADD COLUMN prospect_number_hmac TEXT;
            CREATE INDEX ix_recordings_number_hmac ON recordings (prospect_number_hmac) WHERE prospect_number_hmac IS NOT NULL;
            CREATE INDEX ix_recordings_erasing ON recordings (erasing_at_us) WHERE erasing_at_us IS NOT NULL AND erased_at_us IS NULL;

            CREATE TABLE deletion_receipts (
                recording_id   TEXT    NOT NULL PRIMARY KEY REFERENCES recordings (recording_id),
                issued_at_us   INTEGER NOT NULL,
                signing_key_id TEXT    NOT NULL,
                document       BLOB    NOT NULL,
                signature      BLOB    NOT NULL
            );
            CREATE TRIGGER deletion_receipts_no_update BEFORE UPDATE ON deletion_receipts
            BEGIN SELECT RAISE(ABORT, 'deletion receipts are never changed'); END;
            CREATE TRIGGER deletion_receipts_no_delete BEFORE DELETE ON deletion_receipts
            BEGIN SELECT RAISE(ABORT, 'deletion receipts are never deleted'); END;

            -- A hold covers one recording, a call, a number (by its HMAC, also future recordings),
            -- a campaign or the recordings started in [from, until). Released holds are kept.
            CREATE TABLE legal_holds (
                hold_id        TEXT    NOT NULL PRIMARY KEY,
                scope          TEXT    NOT NULL CHECK (scope IN ('recording', 'call', 'number', 'campaign', 'period')),
                recording_id   TEXT,
                call_id        TEXT,
                number_hmac    TEXT,
                campaign_id    TEXT,
                from_us        INTEGER,
                until_us       INTEGER,
                reason         TEXT    NOT NULL,
                requested_by   TEXT    NOT NULL,
                placed_by      TEXT    NOT NULL,
                placed_at_us   INTEGER NOT NULL,
                expires_at_us  INTEGER,
                released_at_us INTEGER,
                released_by    TEXT,
                release_reason TEXT,
                CHECK ((scope = 'recording') = (recording_id IS NOT NULL)),
                CHECK ((scope = 'call') = (call_id IS NOT NULL)),
                CHECK ((scope = 'number') = (number_hmac IS NOT NULL)),
                CHECK ((scope = 'campaign') = (campaign_id IS NOT NULL)),
                CHECK ((scope = 'period') = (from_us IS NOT NULL AND until_us IS NOT NULL)),
                CHECK ((released_at_us IS NULL) = (released_by IS NULL))
            );
            CREATE INDEX ix_legal_holds_active ON legal_holds (scope) WHERE released_at_us IS NULL;

            -- One row per named lease: the sidecar that holds it (until it expires) is the only one purging.
            CREATE TABLE retention_lease (
                name           TEXT    NOT NULL PRIMARY KEY,
                holder         TEXT    NOT NULL,
                acquired_at_us INTEGER NOT NULL,
                expires_at_us  INTEGER NOT NULL
            );

            CREATE TABLE retention_runs (
                run_id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                started_at_us INTEGER NOT NULL,
                ended_at_us   INTEGER NOT NULL,
                as_of_us      INTEGER NOT NULL,
                purged        INTEGER NOT NULL,
                held          INTEGER NOT NULL,
                failed        INTEGER NOT NULL
            );
            """),
        new(3, "users and their roles by scope", """
            -- Users are disabled, never deleted: the audit log names them for ever.
            CREATE TABLE users (
                name          TEXT    NOT NULL PRIMARY KEY,
                extension     TEXT    UNIQUE,
                password_hash TEXT    NOT NULL,
                disabled      INTEGER NOT NULL CHECK (disabled IN (0, 1)),
                created_at_us INTEGER NOT NULL,
                changed_at_us INTEGER NOT NULL
            );
            CREATE TRIGGER users_no_delete BEFORE DELETE ON users
            BEGIN SELECT RAISE(ABORT, 'users are disabled, never deleted'); END;

            CREATE TABLE user_roles (
                user_name  TEXT NOT NULL REFERENCES users (name),
                role       TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'quality', 'manager', 'dpo', 'admin')),
                scope_kind TEXT NOT NULL CHECK (scope_kind IN ('all', 'team', 'campaign')),
                scope_name TEXT NOT NULL,
                PRIMARY KEY (user_name, role, scope_kind, scope_name),
                CHECK ((scope_kind = 'all') = (scope_name = ''))
            );
            """),
        new(4, "hash chain over the audit log", """
            -- Each entry's hash covers its content and its predecessor's hash (AuditChain); entries
            -- written before this step stay unchained, and audit_chain says where the chain starts.
            ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
            ALTER TABLE audit_log ADD COLUMN hash TEXT;
            CREATE TABLE audit_chain (chain_from INTEGER NOT NULL);
            INSERT INTO audit_chain (chain_from) SELECT COALESCE(MAX(sequence), 0) + 1 FROM audit_log;
            CREATE TRIGGER audit_chain_no_insert BEFORE INSERT ON audit_chain
            BEGIN SELECT RAISE(ABORT, 'the audit chain start is fixed'); END;
            CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
            BEGIN SELECT RAISE(ABORT, 'the audit chain start is fixed'); END;
            CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
            BEGIN SELECT RAISE(ABORT, 'the audit chain start is fixed'); END;
            CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
            BEGIN SELECT RAISE(ABORT, 'audit entries are hash-chained'); END;
            """),

        new(5, "barge spans: where a supervisor's voice is on a recording's left channel", """
            CREATE TABLE recording_barges (
                recording_id TEXT    NOT NULL REFERENCES recordings (recording_id),
                ordinal      INTEGER NOT NULL,
                start_us     INTEGER NOT NULL,
                end_us       INTEGER,
                PRIMARY KEY (recording_id, ordinal)
            );
            """),

        new(6, "data-subject requests, the do-not-call list, calls' number digest, look-ups by number", """
            -- A request keeps the number in clear only while it needs it (open; a restriction in force);
            -- afterwards its keyed hash and masked form say whose it was.
            CREATE TABLE subject_requests (
                request_id    INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                kind          TEXT    NOT NULL CHECK (kind IN ('access', 'erasure', 'restriction', 'objection')),
                number        TEXT,
                number_hmac   TEXT    NOT NULL,
                number_masked TEXT    NOT NULL,
                campaign_id   TEXT,
                reference     TEXT,
                received_at_us INTEGER NOT NULL,
                due_at_us     INTEGER NOT NULL,
                opened_at_us  INTEGER NOT NULL,
                opened_by     TEXT    NOT NULL,
                status        TEXT    NOT NULL CHECK (status IN ('open', 'done', 'rejected')),
                closed_at_us  INTEGER,
                closed_by     TEXT,
                outcome       TEXT,
                lifted_at_us  INTEGER,
                lifted_by     TEXT,
                CHECK ((status = 'open') = (closed_at_us IS NULL)),
                CHECK ((closed_at_us IS NULL) = (closed_by IS NULL)),
                CHECK ((lifted_at_us IS NULL) = (lifted_by IS NULL)),
                CHECK (campaign_id IS NULL OR kind = 'objection')
            );
            CREATE INDEX ix_subject_requests_status ON subject_requests (status, due_at_us);
            CREATE INDEX ix_subject_requests_number ON subject_requests (number) WHERE number IS NOT NULL;
            CREATE TRIGGER subject_requests_no_delete BEFORE DELETE ON subject_requests
            BEGIN SELECT RAISE(ABORT, 'data-subject requests are kept: they are the proof of the answer'); END;

            -- campaign_id '' is every campaign.
            CREATE TABLE do_not_call (
                number      TEXT    NOT NULL,
                campaign_id TEXT    NOT NULL,
                added_at_us INTEGER NOT NULL,
                added_by    TEXT    NOT NULL,
                source      TEXT    NOT NULL,
                PRIMARY KEY (number, campaign_id)
            );

            -- Bumped by every change of the list: the switch's cache reads one row to know whether to reload.
            CREATE TABLE do_not_call_version (version INTEGER NOT NULL);
            INSERT INTO do_not_call_version (version) VALUES (0);
            CREATE TRIGGER do_not_call_added AFTER INSERT ON do_not_call
            BEGIN UPDATE do_not_call_version SET version = version + 1; END;
            CREATE TRIGGER do_not_call_removed AFTER DELETE ON do_not_call
            BEGIN UPDATE do_not_call_version SET version = version + 1; END;

            -- An erasure request replaces a call's number by its keyed hash.
            ALTER TABLE calls ADD COLUMN prospect_number_hmac TEXT;
            CREATE INDEX ix_calls_number_hmac ON calls (prospect_number_hmac) WHERE prospect_number_hmac IS NOT NULL;

            -- What was done within a request: its audit entries carry it in their purpose.
            CREATE INDEX ix_audit_purpose ON audit_log (purpose);
            """),

        new(7, "private calls stored without the number; anonymised training extracts", """
            -- The database itself refuses a number on a private call.
            ALTER TABLE calls ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1) AND (private = 0 OR prospect_number IS NULL));

            -- Anonymised training extracts: the agent's channel only, their own key and deadline,
            -- and by design no column for the call, the recording or the number.
            CREATE TABLE training_extracts (
                extract_id         TEXT    NOT NULL PRIMARY KEY,
                campaign_id        TEXT    NOT NULL,
                agent_id           TEXT    NOT NULL,
                created_at_us      INTEGER NOT NULL,
                created_by         TEXT    NOT NULL,
                retention_until_us INTEGER NOT NULL CHECK (retention_until_us > created_at_us),
                key_id             TEXT    NOT NULL,
                file_path          TEXT    NOT NULL,
                duration_ms        INTEGER NOT NULL CHECK (duration_ms >= 0)
            );
            """),

        new(8, "annotations of recordings at a time position (the web console)", """
            CREATE TABLE recording_annotations (
                annotation_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                recording_id  TEXT    NOT NULL REFERENCES recordings (recording_id),
                position_us   INTEGER NOT NULL CHECK (position_us >= 0),
                author        TEXT    NOT NULL,
                text          TEXT    NOT NULL,
                created_at_us INTEGER NOT NULL
            );
            CREATE INDEX ix_recording_annotations ON recording_annotations (recording_id, position_us);
            """),

        new(9, "failed sign-ins per name: the web console's lockouts survive a restart", """
            CREATE TABLE sign_in_failures (
                name               TEXT    NOT NULL PRIMARY KEY,
                failures           INTEGER NOT NULL CHECK (failures >= 0),
                last_failure_at_us INTEGER NOT NULL,
                locked_until_us    INTEGER
            );
            CREATE INDEX ix_sign_in_failures_last ON sign_in_failures (last_failure_at_us);
            """),
    ];

    /// <summary>The newest schema version this code knows.</summary>
    public static int Latest => All[^1].Version;
}
