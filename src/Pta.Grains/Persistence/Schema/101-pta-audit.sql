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

-- Where a request came from (the client address the gateway saw): the broadcast trail records who, when, what and
-- from where (issue 5). Added later, so older databases get the column here.
ALTER TABLE pta_audit_log ADD COLUMN IF NOT EXISTS origin text;
