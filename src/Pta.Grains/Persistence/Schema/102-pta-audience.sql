-- The frozen audience of each broadcast, one row per recipient, written with binary COPY before the
-- broadcast is acknowledged and read back per shard. No primary key: COPY appends, and the submitting
-- transaction deletes a broadcast's rows before it writes them again.
CREATE TABLE IF NOT EXISTS pta_broadcast_recipient (
    broadcast_id  text    NOT NULL,
    shard_index   integer NOT NULL,
    position      integer NOT NULL,
    recipient_key text    NOT NULL,
    address       text    NOT NULL
);

CREATE INDEX IF NOT EXISTS pta_broadcast_recipient_shard
    ON pta_broadcast_recipient (broadcast_id, shard_index);
