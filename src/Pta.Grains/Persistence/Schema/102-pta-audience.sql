-- The frozen audience of each broadcast, one row per recipient, written with binary COPY before the
-- broadcast is acknowledged and read back per shard. No primary key: COPY appends, and the submitting
-- transaction deletes a broadcast's rows before it writes them again.
CREATE TABLE IF NOT EXISTS pta_broadcast_recipient (
    broadcast_id  text    NOT NULL,
    shard_index   integer NOT NULL,
    position      integer NOT NULL,
    recipient_key text    NOT NULL,
    address       bytea   NOT NULL -- sealed (AtRestProtector): A7 01 <key id> <nonce> <ciphertext> <tag>
);

CREATE INDEX IF NOT EXISTS pta_broadcast_recipient_shard
    ON pta_broadcast_recipient (broadcast_id, shard_index);

-- Databases from before addresses were sealed have a text column. Its values become their UTF-8 bytes (readers
-- take a value without the A7 01 header as plaintext) until `Pta.Silo reseal` seals them. Runs once: the type
-- check makes it a no-op afterwards. The rewrite takes the table's lock for as long as it runs, so upgrade with
-- the silos stopped (docs/operations.md).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'pta_broadcast_recipient'
                 AND column_name = 'address' AND data_type = 'text') THEN
        ALTER TABLE pta_broadcast_recipient ALTER COLUMN address TYPE bytea USING convert_to(address, 'UTF8');
    END IF;
END
$$;
