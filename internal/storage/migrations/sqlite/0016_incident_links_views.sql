-- Triage and the incident page (issue 6): links from an incident to
-- another incident, an event or a finding; the incident list's saved
-- views; and when a take-down request was last chased, so the reminder
-- loop writes one reminder per interval however many nodes run it.
CREATE TABLE incident_links (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,              -- incident, event, finding
    target_id   INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (incident_id, target_kind, target_id)
);
CREATE INDEX incident_links_target ON incident_links(target_kind, target_id);

-- A user's named filter of the incident list, kept as the URL query it
-- came from: applying it runs through the list with the user's own scope,
-- so a view holds no data, only a question.
CREATE TABLE incident_views (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, name)
);

ALTER TABLE incident_takedowns ADD COLUMN reminded_at TIMESTAMP;
