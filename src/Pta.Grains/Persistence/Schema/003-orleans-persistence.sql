-- 003-orleans-persistence.sql
--
-- Grain state for AddAdoNetGrainStorage. One row per (service, state name, grain).
--
-- How Orleans fills the key columns:
--   ServiceId              ClusterOptions.ServiceId
--   GrainTypeString        the state name (e.g. [PersistentState("profile")] gives
--                          "profile"), generic arity markers stripped
--   GrainIdN0, GrainIdN1   a Guid key split into two bigints; an integer key goes to
--                          N1 with N0 = 0; both are 0 for string keys
--   GrainIdExtensionString the key extension of compound keys, or the whole key of a
--                          string-keyed grain; NULL when there is none
--   GrainIdHash,
--   GrainTypeHash          hashes computed by Orleans, used to narrow look-ups
--
-- Version is the ETag. A write must name the version it read; a new row starts at 1.
-- Every operation returns the version the row now has. When nothing was written the
-- result is NULL or no row at all, and the provider turns that into an
-- InconsistentStateException.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    -- NULL after ClearStateAsync: the row (and so its version) survives a clear.
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL,
    Version                integer      NOT NULL
);

-- One row per grain state, enforced by the database instead of by a NOT EXISTS probe:
-- if two activations of the same grain (e.g. during a cluster split) both write a
-- state that was never stored, exactly one INSERT wins and the other gets a version
-- conflict, rather than leaving two rows that would break every later read.
-- The string columns enter the key through md5() so the index entry stays small
-- whatever their length; the IS NULL term keeps "no extension" and "empty extension"
-- apart. The two hashes come first so the index also serves every look-up below.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain
    ON OrleansStorage (
        GrainIdHash,
        GrainTypeHash,
        GrainIdN0,
        GrainIdN1,
        ServiceId,
        md5(GrainTypeString),
        (GrainIdExtensionString IS NULL),
        md5(coalesce(GrainIdExtensionString, ''))
    );

-- Insert (no ETag yet) or compare-and-swap update (ETag = version read). Returns the
-- new version, or NULL if the row already existed / the version had moved on.
CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash            integer,
    _grainidn0              bigint,
    _grainidn1              bigint,
    _graintypehash          integer,
    _graintypestring        varchar,
    _grainidextensionstring varchar,
    _serviceid              varchar,
    _grainstateversion      integer,
    _payloadbinary          bytea)
RETURNS TABLE (newgrainstateversion integer)
LANGUAGE plpgsql
AS $fn$
DECLARE
    _written integer;
BEGIN
    IF _grainstateversion IS NULL THEN
        -- ON CONFLICT without a target covers UX_OrleansStorage_Grain, and unlike a
        -- NOT EXISTS check it also holds when two transactions insert at once.
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES
            (_grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring,
             _grainidextensionstring, _serviceid, _payloadbinary, now(), 1)
        ON CONFLICT DO NOTHING
        RETURNING Version INTO _written;
    ELSE
        UPDATE OrleansStorage AS s
           SET PayloadBinary = _payloadbinary,
               ModifiedOn = now(),
               Version = s.Version + 1
         WHERE s.GrainIdHash = _grainidhash
           AND s.GrainTypeHash = _graintypehash
           AND s.GrainIdN0 = _grainidn0
           AND s.GrainIdN1 = _grainidn1
           AND s.GrainTypeString = _graintypestring
           AND s.GrainIdExtensionString IS NOT DISTINCT FROM _grainidextensionstring
           AND s.ServiceId = _serviceid
           AND s.Version = _grainstateversion
        RETURNING s.Version INTO _written;
    END IF;

    RETURN QUERY SELECT _written;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey',
    $q$
    SELECT newgrainstateversion AS NewGrainStateVersion
      FROM writetostorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                          @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
    $q$
),
(
    -- Orleans reads PayloadBinary and Version by name; a NULL payload means "cleared":
    -- the grain gets a fresh state but keeps the version as its ETag.
    'ReadFromStorageKey',
    $q$
    SELECT PayloadBinary, ModifiedOn, Version
      FROM OrleansStorage
     WHERE GrainIdHash = @GrainIdHash
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND ServiceId = @ServiceId;
    $q$
),
(
    -- ClearStateAsync with DeleteStateOnClear = false (the default): keep the row, drop
    -- the payload, bump the version. Orleans reads the first column as the new ETag.
    'ClearStorageKey',
    $q$
    UPDATE OrleansStorage
       SET PayloadBinary = NULL,
           ModifiedOn = now(),
           Version = Version + 1
     WHERE GrainIdHash = @GrainIdHash
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND ServiceId = @ServiceId
       AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
    $q$
),
(
    -- ClearStateAsync with DeleteStateOnClear = true: remove the row. Orleans still
    -- expects a version different from the one it sent, hence Version + 1; it then
    -- resets the grain's ETag to null so the next write inserts afresh.
    'DeleteStorageKey',
    $q$
    DELETE FROM OrleansStorage
     WHERE GrainIdHash = @GrainIdHash
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND ServiceId = @ServiceId
       AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
