-- Intake: what comes with a report beyond its text. Screenshots from the
-- public form are kept like evidence (the bytes once per SHA-256 in
-- evidence_blobs) and listed on the report for staff. A report made from
-- a mail keeps the mail's Message-ID, unique, so the same mail never
-- makes two reports, and the URLs and sender found in it, which triage
-- turns into the incident's observables.
CREATE TABLE incident_report_files (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES incident_reports(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL REFERENCES evidence_blobs(sha256),
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    media_type  TEXT NOT NULL,
    added_at    TIMESTAMP NOT NULL,
    UNIQUE (report_id, sha256)
);

CREATE TABLE incident_report_mails (
    report_id   INTEGER PRIMARY KEY REFERENCES incident_reports(id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL UNIQUE,
    sender      TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE incident_report_observables (
    report_id   INTEGER NOT NULL REFERENCES incident_reports(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (report_id, kind, value)
) WITHOUT ROWID;

-- Mail to people rather than organisations: the reporter (received, and
-- each change of the report's public status) and an incident's assignee.
-- A row says what happened and to whom; notify renders it when it is
-- sent. mail_key makes each mail happen once ("report:12:handled"). data may
-- hold a tracking code, so it is emptied once the mail is sent or failed.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    mail_key        TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    language        TEXT NOT NULL,
    data            TEXT NOT NULL,
    status          TEXT NOT NULL,             -- queued, sending, sent, failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    message_id      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
