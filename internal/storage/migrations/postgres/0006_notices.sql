-- Notices: e-mails telling an organisation of its findings (immediately
-- for critical ones, in a daily digest for the rest, and to its escalation
-- contacts when they are overdue). A notice is queued with its rendered
-- body and sent by the worker; the CSV of its events is built when it is
-- sent, from notice_findings ⨝ finding_events ⨝ events.
CREATE TABLE notices (
    id               BIGSERIAL PRIMARY KEY,
    org_id           BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    reference        TEXT NOT NULL UNIQUE,          -- "QLX-N-2026-000123"
    kind             TEXT NOT NULL,                 -- immediate, digest, escalation
    status           TEXT NOT NULL,                 -- queued, sending, sent, failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,            -- queued: not before; sending: the lease ends
    last_error       TEXT NOT NULL DEFAULT '',
    recipients       TEXT NOT NULL,                 -- addresses, comma-separated
    subject          TEXT NOT NULL,
    language         TEXT NOT NULL,
    tlp              TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    highest_severity TEXT NOT NULL,
    findings_count   INTEGER NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ,
    message_id       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notices_due ON notices(status, next_attempt_at);
CREATE INDEX notices_org_sent ON notices(org_id, sent_at);
CREATE INDEX notices_sent ON notices(sent_at);

CREATE TABLE notice_findings (
    notice_id   BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    finding_id  BIGINT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    PRIMARY KEY (notice_id, finding_id)
);
CREATE INDEX notice_findings_finding ON notice_findings(finding_id);
