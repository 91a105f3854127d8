-- Pta's own tables. Idempotent: safe to run at every start and from several silos at once
-- (DatabaseSchema holds an advisory lock around all scripts).

-- The delivery ledger: one row per attempt outcome, appended with binary COPY by the shards.
-- Append-only because COPY cannot upsert; readers take the newest row per recipient.
CREATE TABLE IF NOT EXISTS pta_delivery_outcome (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    broadcast_id  text        NOT NULL,
    shard_index   integer     NOT NULL,
    recipient_key text        NOT NULL,
    status        smallint    NOT NULL, -- 0 sent, 1 deferred, 2 failed, 3 invalid address
    attempts      integer     NOT NULL,
    reply         text,
    recorded_at   timestamptz NOT NULL
);

-- Every shard start asks for its own sent recipients (broadcast_id, shard_index): with only (broadcast_id, …) each of a
-- city's 2,000 shard starts scanned the whole broadcast's rows, and PostgreSQL's share of the CPU grew with every
-- shard (measured: from 20% to 47% of a core over a million-recipient run). One index serves both that and per-broadcast reads.
CREATE INDEX IF NOT EXISTS pta_delivery_outcome_shard
    ON pta_delivery_outcome (broadcast_id, shard_index, recipient_key);
DROP INDEX IF EXISTS pta_delivery_outcome_broadcast;
