-- The audit trail (seed 003: access logs kept 1-2 years; purges must stay provable).
-- Rows name ids, never personal data. Idempotent.
CREATE TABLE IF NOT EXISTS pta_audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at timestamptz NOT NULL,
    actor       text        NOT NULL, -- a credential key id, or 'system'
    action      text        NOT NULL, -- e.g. roster.read, guardian.purged
    subject     text        NOT NULL, -- a school, guardian or broadcast id
    detail      text
);

CREATE INDEX IF NOT EXISTS pta_audit_log_subject ON pta_audit_log (subject, id);
