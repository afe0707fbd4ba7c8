-- Constituency registry, users, credentials and the audit log.
CREATE TABLE orgs (
    id          BIGSERIAL PRIMARY KEY,
    short_name  TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    sector      TEXT NOT NULL,
    parent_id   BIGINT REFERENCES orgs(id) ON DELETE SET NULL,
    cii         BOOLEAN NOT NULL DEFAULT FALSE,
    language    TEXT NOT NULL,
    tlp         TEXT NOT NULL,
    tlp_rank    INTEGER NOT NULL,
    search_key  TEXT NOT NULL DEFAULT '',  -- short and full name folded for search (see search.go)
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);

CREATE TABLE resources (
    id          BIGSERIAL PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    criticality TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, kind, value)
);
CREATE INDEX resources_value ON resources(value);

CREATE TABLE contacts (
    id        BIGSERIAL PRIMARY KEY,
    org_id    BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    email     TEXT NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    role      TEXT NOT NULL,
    language  TEXT NOT NULL,
    pgp_key   TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, email)
);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL,
    language       TEXT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash  TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    last_login_at  TIMESTAMPTZ
);

CREATE TABLE user_orgs (
    user_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id   BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, org_id)
);
CREATE INDEX user_orgs_org ON user_orgs(org_id);

CREATE TABLE tokens (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE sessions (
    hash          TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    actor        TEXT NOT NULL,
    actor_id     BIGINT,
    role         TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL DEFAULT '',
    org_id       BIGINT,
    before_json  TEXT,
    after_json   TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);

-- The audit log is append-only: the database itself refuses edits.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
