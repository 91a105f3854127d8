-- Read confirmations (受信確認): one row per (broadcast, household), the first click kept. Written by the gateways
-- in group commits (one multi-row INSERT ... ON CONFLICT DO NOTHING per batch); read by reports, exports and
-- follow-ups. Rows name ids only: the household is a guardian id, the recipient key the address slot that clicked.
-- Idempotent.
CREATE TABLE IF NOT EXISTS pta_confirmation (
    broadcast_id  text        NOT NULL,
    household     text        NOT NULL,
    recipient_key text        NOT NULL,
    confirmed_at  timestamptz NOT NULL,
    PRIMARY KEY (broadcast_id, household)
);
