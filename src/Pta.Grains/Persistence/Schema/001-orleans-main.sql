-- 001-orleans-main.sql
--
-- The Orleans ADO.NET providers (clustering, grain storage, reminders) carry no SQL of
-- their own. When a provider starts it runs
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- and from then on executes only the texts it found there. It binds parameters by name
-- (@DeploymentId, @GrainIdHash, ...) and reads result columns by name, so the contract
-- between this schema and Orleans is: the query keys, the parameter names and the
-- result column names. Everything behind a query text (tables, functions, indexes) is
-- ours to shape.
--
-- Conventions for every script in this folder:
--
--   * Idempotent. Pta.Grains.Persistence.DatabaseSchema runs all scripts on every silo
--     start, in file-name order, in a single transaction held under an advisory lock.
--     So: CREATE ... IF NOT EXISTS, CREATE OR REPLACE FUNCTION, and query rows upserted
--     with ON CONFLICT (QueryKey) DO UPDATE, so that a newer build's text replaces the
--     old one instead of being silently skipped. CREATE OR REPLACE cannot change a
--     function's result columns; such a change needs an explicit DROP FUNCTION first.
--   * Unquoted identifiers. PostgreSQL folds them to lower case; Npgsql looks result
--     columns up case-insensitively, so Orleans asking for "PayloadBinary" finds
--     payloadbinary.
--   * timestamptz for every point in time. Orleans hands over DateTime values of
--     Kind Utc, and Npgsql only writes those to timestamp with time zone.
--   * Query texts are dollar-quoted ($q$ ... $q$) so they need no doubled quotes, and
--     they contain no '@' other than real parameters, because Npgsql rewrites every
--     @name it finds into a positional parameter.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    -- text rather than a bounded varchar: a query is as long as it needs to be.
    QueryText text        NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
