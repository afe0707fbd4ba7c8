-- Findings: one security gap on one resource of one organisation, opened
-- and refreshed by owned events (and monitoring), tracked through the
-- lifecycle of internal/finding until the fix is verified.
CREATE TABLE findings (
    id               BIGSERIAL PRIMARY KEY,
    org_id           BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    resource         TEXT NOT NULL,                -- "192.0.2.10:3389", a host name, a URL
    identifier       TEXT NOT NULL,                -- "accessible-rdp", "infected-system/emotet", "monitor/…"
    taxonomy         TEXT NOT NULL DEFAULT '',
    type             TEXT NOT NULL DEFAULT '',
    source           TEXT NOT NULL DEFAULT '',     -- feed (or "monitor") that last reported it
    severity         TEXT NOT NULL,                -- critical, high, medium, low, info
    severity_rank    INTEGER NOT NULL,             -- 4 (critical) … 0 (info): for ordering and "highest"
    status           TEXT NOT NULL,
    first_seen       TIMESTAMPTZ NOT NULL,
    last_seen        TIMESTAMPTZ NOT NULL,
    seen_count       BIGINT NOT NULL DEFAULT 1,
    due_at           TIMESTAMPTZ,
    assignee         TEXT NOT NULL DEFAULT '',
    notified_at      TIMESTAMPTZ,
    acknowledged_at  TIMESTAMPTZ,
    resolved_at      TIMESTAMPTZ,
    closed_at        TIMESTAMPTZ,
    accepted_until   TIMESTAMPTZ,
    reason           TEXT NOT NULL DEFAULT '',     -- of the last accept, dispute, reopening or severity change
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, resource, identifier)
);
CREATE INDEX findings_status ON findings(status, org_id);
CREATE INDEX findings_first_seen ON findings(first_seen);
CREATE INDEX findings_org_seen ON findings(org_id, last_seen);

-- Every change of status: who, when, from what to what, and why.
CREATE TABLE finding_history (
    id          BIGSERIAL PRIMARY KEY,
    finding_id  BIGINT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX finding_history_finding ON finding_history(finding_id, id);
CREATE INDEX finding_history_at ON finding_history(at);

-- The events behind each finding (for the CSV attached to a notice and
-- the agency's download).
CREATE TABLE finding_events (
    finding_id  BIGINT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    event_id    BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (finding_id, event_id)
);
