-- Settings the server keeps for itself, such as a generated key when the
-- configuration does not give one; and the sessions opened by a notice
-- link, which belong to a contact of an organisation rather than to a
-- user (the link_ prefix of the secret tells them apart).
CREATE TABLE settings (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE link_sessions (
    hash        TEXT PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    contact     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX link_sessions_org ON link_sessions(org_id);
