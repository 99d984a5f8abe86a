-- intakebot schema v1 (SQLite). Timestamps: TEXT RFC3339 in UTC, written by sqlx
-- ("2026-11-23T21:05:44.123+00:00"); they sort lexically. Dates: TEXT YYYY-MM-DD.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL
);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,  -- Discord user id
    organisation  TEXT NOT NULL REFERENCES organisations(id),
    role          TEXT NOT NULL CHECK (role IN ('customer', 'engineer', 'manager')),
    sign_in       TEXT NOT NULL CHECK (sign_in IN ('personal', 'work'))
);

CREATE TABLE entitlements (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan          TEXT NOT NULL,
    organisation  TEXT NOT NULL REFERENCES organisations(id),
    owner         TEXT NOT NULL REFERENCES accounts(id),
    units_granted INTEGER NOT NULL CHECK (units_granted >= 0),
    units_left    INTEGER NOT NULL CHECK (units_left >= 0),
    purchased_on  TEXT NOT NULL,
    expires_on    TEXT,
    order_number  TEXT NOT NULL
);
CREATE INDEX entitlements_by_org ON entitlements (organisation);

CREATE TABLE incidents (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,  -- the number in INC-000123
    source_id           TEXT NOT NULL UNIQUE,
    organisation        TEXT NOT NULL REFERENCES organisations(id),
    requester           TEXT NOT NULL REFERENCES accounts(id),
    entitlement         INTEGER NOT NULL REFERENCES entitlements(id),
    parent              INTEGER REFERENCES incidents(id),
    product             TEXT NOT NULL,
    version             TEXT NOT NULL,
    severity            TEXT NOT NULL CHECK (severity IN ('A', 'B', 'C')),
    coverage            TEXT NOT NULL CHECK (coverage IN ('24x7', 'business')),
    title               TEXT NOT NULL,
    problem             TEXT NOT NULL,
    language            TEXT NOT NULL,
    flags               TEXT NOT NULL DEFAULT '',
    state               TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed')),
    outcome             TEXT CHECK (outcome IN ('resolved', 'unresolved', 'out-of-scope', 'customer-closed')),
    refund              TEXT CHECK (refund IN ('refund', 'keep')),
    opened_at           TEXT NOT NULL,
    first_response_due  TEXT NOT NULL,
    acknowledged_at     TEXT,
    acknowledged_by     TEXT,
    first_response_met  INTEGER,
    closed_at           TEXT,
    discord_channel_id  TEXT,
    discord_thread_id   TEXT,
    discord_message_id  TEXT,
    CHECK ((state = 'closed') = (outcome IS NOT NULL))
);
CREATE INDEX incidents_by_org_state ON incidents (organisation, state);
CREATE INDEX incidents_by_parent ON incidents (parent);

CREATE TABLE incident_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident    INTEGER NOT NULL REFERENCES incidents(id),
    at          TEXT NOT NULL,
    author      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    rules       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_events_by_incident ON incident_events (incident);

-- Append-only: rows are inserted, never updated or deleted (triggers below).
CREATE TABLE ledger (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    entitlement  INTEGER NOT NULL REFERENCES entitlements(id),
    kind         TEXT NOT NULL CHECK (kind IN ('grant', 'consume', 'refund', 'transfer', 'expire')),
    delta        INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    incident     INTEGER REFERENCES incidents(id),
    reason       TEXT NOT NULL,
    at           TEXT NOT NULL,
    CHECK ((kind = 'grant' AND delta >= 0) OR (kind = 'consume' AND delta = -1)
        OR (kind = 'refund' AND delta = 1) OR (kind = 'transfer' AND delta = 0)
        OR (kind = 'expire' AND delta <= 0))
);
CREATE INDEX ledger_by_entitlement ON ledger (entitlement);
-- A unit is consumed once per incident and refunded at most once (P-PLAN-6, P-CLOSE-4).
CREATE UNIQUE INDEX ledger_one_consume_per_incident ON ledger (incident) WHERE kind = 'consume';
CREATE UNIQUE INDEX ledger_one_refund_per_incident ON ledger (incident) WHERE kind = 'refund';

CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident     INTEGER REFERENCES incidents(id),
    kind         TEXT NOT NULL,
    target       TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'claimed', 'sent', 'failed', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_until  TEXT,
    worker       TEXT,
    nonce        TEXT NOT NULL UNIQUE CHECK (length(nonce) BETWEEN 1 AND 25),
    message_id   TEXT,
    last_error   TEXT
);
CREATE INDEX outbox_due ON outbox (state, due_at);
CREATE INDEX outbox_by_incident ON outbox (incident);
