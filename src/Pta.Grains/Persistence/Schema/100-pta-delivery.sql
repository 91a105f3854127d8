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

CREATE INDEX IF NOT EXISTS pta_delivery_outcome_broadcast
    ON pta_delivery_outcome (broadcast_id, recipient_key);
