-- Protected brands (a bank's or a state service's official domains and
-- the names people know it by) and the look-alike domains found for them.
-- A candidate is one registered domain: the unit a take-down is asked
-- for, however many host names below it were seen.
CREATE TABLE brands (
    id          BIGSERIAL PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    domains     TEXT NOT NULL,  -- JSON array of official domains, punycode
    keywords    TEXT NOT NULL,  -- JSON array of names and keywords
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX brands_org ON brands(org_id);

CREATE TABLE lookalike_candidates (
    id          BIGSERIAL PRIMARY KEY,
    brand_id    BIGINT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,  -- the brand's, for the tenancy scope
    registered  TEXT NOT NULL UNIQUE,
    domain      TEXT NOT NULL,  -- the last host name seen, punycode
    unicode     TEXT NOT NULL,
    score       INTEGER NOT NULL,
    reasons     TEXT NOT NULL,  -- JSON array of {code, detail, points}
    status      TEXT NOT NULL DEFAULT 'new',  -- new, confirmed, dismissed
    seen        INTEGER NOT NULL DEFAULT 1,
    first_seen  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL
);
CREATE INDEX lookalike_candidates_org ON lookalike_candidates(org_id, status);
CREATE INDEX lookalike_candidates_recent ON lookalike_candidates(status, last_seen);
