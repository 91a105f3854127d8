-- Who may send a delivery shard right now: one row per shard being sent, naming the silo generation and the grain
-- activation that holds it. Orleans may briefly run two activations of one shard (after a silo dies its part of the
-- grain directory is rebuilt, and a call in between can start a second one); only the holder sends. A lease passes to
-- another activation when its holder released it, when the holder's silo is dead in Orleans' membership table (the
-- moment Orleans itself re-activates that silo's grains elsewhere), or when the holder stopped renewing it.
-- Idempotent.
CREATE TABLE IF NOT EXISTS pta_shard_lease (
    broadcast_id text        NOT NULL,
    shard_index  integer     NOT NULL,
    address      text        NOT NULL,
    port         integer     NOT NULL,
    generation   integer     NOT NULL,
    activation   uuid        NOT NULL,
    renewed_at   timestamptz NOT NULL,
    PRIMARY KEY (broadcast_id, shard_index)
);
