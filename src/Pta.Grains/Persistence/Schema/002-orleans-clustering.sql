-- 002-orleans-clustering.sql
--
-- Cluster membership for UseAdoNetClustering (silos) and the ADO.NET gateway list
-- provider (clients). Orleans' DeploymentId parameter carries ClusterOptions.ClusterId.
--
-- Membership is optimistic: every silo reads the whole table together with a version
-- number, and a change is accepted only if the version it read is still current.
-- That version lives in a single row per cluster (OrleansMembershipVersionTable), and
-- every successful insert or update of a member row must move it forward in the same
-- transaction. The functions below lock that row first, so two silos racing to change
-- membership are serialised and the loser sees 0 ("not applied") and re-reads.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation. Generation tells restarts on the same endpoint apart.
-- Status holds Orleans' SiloStatus (3 = Active, 6 = Dead). SuspectTimes is Orleans'
-- own "silo,time|silo,time" encoding of the votes against this silo.
-- Millisecond precision on the times: Orleans' text formats do not go finer, and
-- values read back must compare equal to what the per-row cleanup query sends.
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes text           NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Heartbeat. Deliberately does not touch the version row: heartbeats are frequent and
-- must not invalidate the version other silos are about to use for real changes.
CREATE OR REPLACE FUNCTION update_i_am_alive_time(
    deployment_id   varchar,
    address_arg     varchar,
    port_arg        integer,
    generation_arg  integer,
    i_am_alive_time timestamptz)
RETURNS void
LANGUAGE sql
AS $fn$
    UPDATE OrleansMembershipTable
       SET IAmAliveTime = i_am_alive_time
     WHERE DeploymentId = deployment_id
       AND Address = address_arg
       AND Port = port_arg
       AND Generation = generation_arg;
$fn$;

-- Creates the cluster's version row on first start. Returns 1 if this call created it,
-- 0 if it was already there; Orleans only logs the difference.
CREATE OR REPLACE FUNCTION insert_membership_version(
    DeploymentIdArg varchar)
RETURNS TABLE (row_count integer)
LANGUAGE sql
AS $fn$
    WITH created AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (DeploymentIdArg)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer FROM created;
$fn$;

-- A silo announcing itself. Applied (1) only if VersionArg is still the current
-- version and the silo's row does not exist yet; otherwise nothing changes (0).
CREATE OR REPLACE FUNCTION insert_membership(
    DeploymentIdArg varchar,
    AddressArg      varchar,
    PortArg         integer,
    GenerationArg   integer,
    SiloNameArg     varchar,
    HostNameArg     varchar,
    StatusArg       integer,
    ProxyPortArg    integer,
    StartTimeArg    timestamptz,
    IAmAliveTimeArg timestamptz,
    VersionArg      integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $fn$
BEGIN
    -- Lock the version row only while it still carries the version the caller read.
    -- A concurrent writer holding the lock makes us wait; once it commits, PostgreSQL
    -- re-checks the WHERE clause against the new row, finds the version moved on, and
    -- we report "not applied" without having changed anything.
    PERFORM 1
       FROM OrleansMembershipVersionTable
      WHERE DeploymentId = DeploymentIdArg
        AND Version = VersionArg
        FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (DeploymentIdArg, AddressArg, PortArg, GenerationArg, SiloNameArg, HostNameArg,
         StatusArg, ProxyPortArg, StartTimeArg, IAmAliveTimeArg)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    IF NOT FOUND THEN
        -- The row is already there: the caller's view is stale, and since we changed
        -- nothing yet the version must not move either.
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;

    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = DeploymentIdArg;

    RETURN QUERY SELECT 1;
END
$fn$;

-- Status changes and suspicion votes. Same compare-and-swap rule as insert_membership.
CREATE OR REPLACE FUNCTION update_membership(
    DeploymentIdArg varchar,
    AddressArg      varchar,
    PortArg         integer,
    GenerationArg   integer,
    StatusArg       integer,
    SuspectTimesArg text,
    IAmAliveTimeArg timestamptz,
    VersionArg      integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
       FROM OrleansMembershipVersionTable
      WHERE DeploymentId = DeploymentIdArg
        AND Version = VersionArg
        FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;

    UPDATE OrleansMembershipTable
       SET Status = StatusArg,
           SuspectTimes = SuspectTimesArg,
           IAmAliveTime = IAmAliveTimeArg
     WHERE DeploymentId = DeploymentIdArg
       AND Address = AddressArg
       AND Port = PortArg
       AND Generation = GenerationArg;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;

    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = DeploymentIdArg;

    RETURN QUERY SELECT 1;
END
$fn$;

-- Result columns of the two membership reads, by name:
--   DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
--   SuspectTimes, StartTime, IAmAliveTime, Version
-- Both start from the version row and LEFT JOIN the members, so an empty cluster still
-- yields one row (all member columns NULL) carrying the version; Orleans takes the
-- version from the first row and treats a NULL StartTime as "no member here".
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpdateIAmAlivetimeKey',
    $q$
    SELECT update_i_am_alive_time(@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime);
    $q$
),
(
    'InsertMembershipVersionKey',
    $q$
    SELECT row_count FROM insert_membership_version(@DeploymentId);
    $q$
),
(
    'InsertMembershipKey',
    $q$
    SELECT row_count
      FROM insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                             @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
    $q$
),
(
    'UpdateMembershipKey',
    $q$
    SELECT row_count
      FROM update_membership(@DeploymentId, @Address, @Port, @Generation,
                             @Status, @SuspectTimes, @IAmAliveTime, @Version);
    $q$
),
(
    'MembershipReadRowKey',
    $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
           m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
      FROM OrleansMembershipVersionTable AS v
      LEFT JOIN OrleansMembershipTable AS m
             ON m.DeploymentId = v.DeploymentId
            AND m.Address = @Address
            AND m.Port = @Port
            AND m.Generation = @Generation
     WHERE v.DeploymentId = @DeploymentId;
    $q$
),
(
    'MembershipReadAllKey',
    $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
           m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
      FROM OrleansMembershipVersionTable AS v
      LEFT JOIN OrleansMembershipTable AS m
             ON m.DeploymentId = v.DeploymentId
     WHERE v.DeploymentId = @DeploymentId;
    $q$
),
(
    -- Used by clients to find gateways; Orleans passes @Status = 3 (Active).
    'GatewaysQueryKey',
    $q$
    SELECT Address, ProxyPort, Generation
      FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId
       AND Status = @Status
       AND ProxyPort > 0;
    $q$
),
(
    -- Wipes a whole cluster (tests and tooling). Members first because of the foreign key.
    'DeleteMembershipTableEntriesKey',
    $q$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
    $q$
),
(
    -- Bulk clean-up of silos that stopped heart-beating before @IAmAliveTime and are not
    -- Active. Still mandatory for the 10.x provider, but only used when the per-row key
    -- below is missing.
    'CleanupDefunctSiloEntriesKey',
    $q$
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId
       AND IAmAliveTime < @IAmAliveTime
       AND Status <> 3;
    $q$
),
(
    -- Per-row clean-up preferred by the 10.x provider when present (it is optional and
    -- absent from Orleans' own PostgreSQL script). Orleans reads all members, picks Dead
    -- ones (Status 6) idle since the cutoff without recent votes, and passes back the
    -- values it saw. The row is deleted only if none of them changed in the meantime.
    -- coalesce: a row without votes may be stored as NULL and echoed back as '' or NULL.
    'CleanupDefunctSiloEntryKey',
    $q$
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId
       AND Address = @Address
       AND Port = @Port
       AND Generation = @Generation
       AND Status = 6
       AND StartTime = @StartTime
       AND IAmAliveTime = @IAmAliveTime
       AND coalesce(SuspectTimes, '') = coalesce(@SuspectTimes, '');
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
