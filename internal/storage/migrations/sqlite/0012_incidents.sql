-- Incidents (internal/incident): cases worked from report to closure,
-- with their affected organisations (tenancy), journal, tasks,
-- observables (correlated by an index on kind and value) and the reports
-- that came in. References are QLX-YYYY-NNNNNN, numbered per year from
-- incident_refs inside the creating transaction.
CREATE TABLE incident_refs (
    year INTEGER PRIMARY KEY,
    n    INTEGER NOT NULL
);

CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    ref             TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    taxonomy        TEXT NOT NULL,
    type            TEXT NOT NULL,
    identifier      TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL DEFAULT '',
    severity        TEXT NOT NULL,             -- in force: assessed or overridden
    severity_rank   INTEGER NOT NULL,          -- 3 (critical) … 0 (low)
    severity_reason TEXT NOT NULL DEFAULT '',  -- the override's reason; '' = the assessment's level
    criteria        TEXT NOT NULL,             -- JSON of incident.Criteria
    score           INTEGER NOT NULL,
    assessed_rank   INTEGER NOT NULL,
    status          TEXT NOT NULL,
    tlp             TEXT NOT NULL,
    tlp_rank        INTEGER NOT NULL,          -- 0 clear … 4 red: partners see up to their limit
    pap             TEXT NOT NULL,
    tags            TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    owner_team      TEXT NOT NULL,
    assignee        TEXT NOT NULL DEFAULT '',
    due_at          TIMESTAMP,
    reason          TEXT NOT NULL DEFAULT '',
    duplicate_of    INTEGER REFERENCES incidents(id) ON DELETE SET NULL,
    created_at      TIMESTAMP NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    triaged_at      TIMESTAMP,
    contained_at    TIMESTAMP,
    resolved_at     TIMESTAMP,
    closed_at       TIMESTAMP
);
CREATE INDEX incidents_status ON incidents(status, id);
CREATE INDEX incidents_created ON incidents(created_at);
CREATE INDEX incidents_assignee ON incidents(assignee, status);

-- The organisations an incident affects: an agency user sees the
-- incidents of its organisations.
CREATE TABLE incident_orgs (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, org_id)
) WITHOUT ROWID;
CREATE INDEX incident_orgs_org ON incident_orgs(org_id, incident_id);

-- The journal: every change, note, status move, with who and when.
CREATE TABLE incident_journal (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    at          TIMESTAMP NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_journal_incident ON incident_journal(incident_id, id);

CREATE TABLE incident_tasks (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    assignee    TEXT NOT NULL DEFAULT '',
    due_at      TIMESTAMP,
    playbook    TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    done_at     TIMESTAMP
);
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, position);

-- Observables, normalised (incident.Normalise): the (kind, value) index
-- answers "in how many other incidents is this phone number" without
-- reading the incidents.
CREATE TABLE incident_observables (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    tlp         TEXT NOT NULL,
    tlp_rank    INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (incident_id, kind, value)
);
CREATE INDEX incident_observables_value ON incident_observables(kind, value, incident_id);

-- Reports as they came in. The tracking code is the reporter's only
-- credential, so only its SHA-256 is kept.
CREATE TABLE incident_reports (
    id             INTEGER PRIMARY KEY,
    tracking_hash  TEXT NOT NULL UNIQUE,
    received_at    TIMESTAMP NOT NULL,
    reporter_type  TEXT NOT NULL,
    channel        TEXT NOT NULL,
    category       TEXT NOT NULL,
    description    TEXT NOT NULL,
    url            TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL,
    org_id         INTEGER REFERENCES orgs(id) ON DELETE SET NULL,
    reporter_name  TEXT NOT NULL DEFAULT '',
    reporter_email TEXT NOT NULL DEFAULT '',
    submitted_by   TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    incident_id    INTEGER REFERENCES incidents(id) ON DELETE SET NULL,
    reject_reason  TEXT NOT NULL DEFAULT '',
    triaged_at     TIMESTAMP,
    triaged_by     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_reports_status ON incident_reports(status, id);
CREATE INDEX incident_reports_incident ON incident_reports(incident_id);

-- Evidence: files kept once per content (their SHA-256), attached to
-- incidents by name, with the chain of custody (who added, viewed,
-- exported). The database holds the bytes: at most 25 MiB a file, and it
-- is then backed up and replicated with everything else.
CREATE TABLE evidence_blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    data   BLOB NOT NULL
);

CREATE TABLE incident_evidence (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL REFERENCES evidence_blobs(sha256),
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    media_type  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    added_at    TIMESTAMP NOT NULL,
    added_by    TEXT NOT NULL,
    UNIQUE (incident_id, sha256)
);

CREATE TABLE evidence_custody (
    id          INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES incident_evidence(id) ON DELETE CASCADE,
    at          TIMESTAMP NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX evidence_custody_evidence ON evidence_custody(evidence_id, id);

-- Take-down requests to hosting providers, registrars, app stores,
-- social networks and mobile operators: draft → sent → acknowledged →
-- done / refused; remind_at is when an unanswered one is overdue.
CREATE TABLE incident_takedowns (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    provider    TEXT NOT NULL,
    contact     TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL,
    language    TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    sent_at     TIMESTAMP,
    done_at     TIMESTAMP,
    remind_at   TIMESTAMP
);
CREATE INDEX incident_takedowns_incident ON incident_takedowns(incident_id, id);
CREATE INDEX incident_takedowns_remind ON incident_takedowns(remind_at);
