-- CAP 1.2 alert intake: what each board's intake did with each alert (POST /api/v1/cap). CAP makes
-- (sender, identifier) unique per alert; the board is in the key because one agency's alert may reach several
-- boards, each with its own broadcasts. Update and Cancel find the broadcasts of the alerts they reference here.
-- Idempotent.
CREATE TABLE IF NOT EXISTS pta_cap_alert (
    board_id      text        NOT NULL,
    sender        text        NOT NULL,
    identifier    text        NOT NULL,
    sent          timestamptz NOT NULL,
    msg_type      text        NOT NULL, -- Alert, Update, Cancel
    action        text        NOT NULL, -- send, draft, update, replace, cancel
    rule          text,                 -- the Pta:Cap rule that matched, if any
    broadcast_ids text[]      NOT NULL, -- bc-… created, changed or cancelled
    recorded_at   timestamptz NOT NULL,
    PRIMARY KEY (board_id, sender, identifier)
);
