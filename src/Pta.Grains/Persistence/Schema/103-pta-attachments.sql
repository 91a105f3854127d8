-- Files broadcasts link to (images, PDF), served to guardians at /files/{id}. The id is 128 random bits: the
-- link is the only key a guardian's phone has. Immutable once written. Idempotent.
CREATE TABLE IF NOT EXISTS pta_attachment (
    id           text        PRIMARY KEY, -- at-<32 hex>
    owner        text        NOT NULL,    -- school:<id> or board:<id>; only its broadcasts may link the file
    file_name    text        NOT NULL,
    content_type text        NOT NULL,    -- found by content sniffing
    byte_length  bigint      NOT NULL,
    uploaded_by  text        NOT NULL,    -- a credential key id
    uploaded_at  timestamptz NOT NULL,
    content      bytea       NOT NULL
);

CREATE INDEX IF NOT EXISTS pta_attachment_owner ON pta_attachment (owner, uploaded_at);

-- JPEG, PNG, WebP and PDF are compressed already: keep the bytes out of line without a futile second compression.
ALTER TABLE pta_attachment ALTER COLUMN content SET STORAGE EXTERNAL;
