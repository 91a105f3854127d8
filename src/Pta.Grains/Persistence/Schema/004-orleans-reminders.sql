-- 004-orleans-reminders.sql
--
-- Durable reminders for UseAdoNetReminderService. One row per (service, grain, name).
--
--   ServiceId  ClusterOptions.ServiceId
--   GrainId    the grain id's string form, e.g. "delivery/0123abcd..."; wider than
--              Orleans' own script (150) so long string keys fit
--   GrainHash  the grain's uniform hash, a uint stored as int (it may be negative).
--              Each silo owns a range of the hash ring and loads only its range.
--   StartTime  first due time; Period is in milliseconds
--   Version    the reminder's ETag: 0 on insert, +1 on every re-registration

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(512)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName
        PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- The range reads filter on ServiceId and GrainHash only; the primary key cannot help.
CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

-- Register or re-register; returns the reminder's new version.
CREATE OR REPLACE FUNCTION upsert_reminder_row(
    ServiceIdArg    varchar,
    GrainIdArg      varchar,
    ReminderNameArg varchar,
    StartTimeArg    timestamptz,
    PeriodArg       bigint,
    GrainHashArg    integer)
RETURNS TABLE (version integer)
LANGUAGE sql
AS $fn$
    INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (ServiceIdArg, GrainIdArg, ReminderNameArg, StartTimeArg, PeriodArg, GrainHashArg, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
       SET StartTime = EXCLUDED.StartTime,
           Period = EXCLUDED.Period,
           GrainHash = EXCLUDED.GrainHash,
           Version = r.Version + 1
    RETURNING r.Version;
$fn$;

-- Unregister, but only the version the caller knows about: 1 if removed, 0 if the
-- reminder was re-registered (or already removed) in the meantime.
CREATE OR REPLACE FUNCTION delete_reminder_row(
    ServiceIdArg    varchar,
    GrainIdArg      varchar,
    ReminderNameArg varchar,
    VersionArg      integer)
RETURNS TABLE (row_count integer)
LANGUAGE sql
AS $fn$
    WITH removed AS (
        DELETE FROM OrleansRemindersTable
         WHERE ServiceId = ServiceIdArg
           AND GrainId = GrainIdArg
           AND ReminderName = ReminderNameArg
           AND Version = VersionArg
        RETURNING 1
    )
    SELECT count(*)::integer FROM removed;
$fn$;

-- Every read returns GrainId, ReminderName, StartTime, Period, Version (by name).
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey',
    $q$
    SELECT version AS Version
      FROM upsert_reminder_row(@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash);
    $q$
),
(
    'ReadReminderRowsKey',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainId = @GrainId;
    $q$
),
(
    'ReadReminderRowKey',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainId = @GrainId
       AND ReminderName = @ReminderName;
    $q$
),
(
    -- Range (@BeginHash, @EndHash] that does not wrap around in signed int order.
    'ReadRangeRows1Key',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainHash > @BeginHash
       AND GrainHash <= @EndHash;
    $q$
),
(
    -- Range that wraps around: everything above @BeginHash plus everything up to
    -- @EndHash. With @BeginHash = @EndHash this is the whole ring (single silo).
    'ReadRangeRows2Key',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
    $q$
),
(
    'DeleteReminderRowKey',
    $q$
    SELECT row_count
      FROM delete_reminder_row(@ServiceId, @GrainId, @ReminderName, @Version);
    $q$
),
(
    -- Removes every reminder of the service (tests and tooling).
    'DeleteReminderRowsKey',
    $q$
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
