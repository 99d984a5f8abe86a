-- The allowed values of a column move from table CHECK constraints to domains; the rules are
-- the same. Why: PostgreSQL re-reads and re-plans a table's CHECK constraints from their stored
-- text in every statement that writes the table, while a domain's constraint is read once per
-- connection and kept (the type cache). Opening an incident writes five tables; this took
-- about 12 % of the server's CPU time per open (docs/storage.md, Benchmark). Checks over two columns
-- (an incident's state and outcome, a ledger row's kind and delta) stay on their tables.

CREATE DOMAIN account_role AS TEXT CONSTRAINT account_role_values CHECK (VALUE IN ('customer', 'engineer', 'manager'));
CREATE DOMAIN sign_in_kind AS TEXT CONSTRAINT sign_in_kind_values CHECK (VALUE IN ('personal', 'work'));
CREATE DOMAIN unit_count AS BIGINT CONSTRAINT unit_count_not_negative CHECK (VALUE >= 0);
CREATE DOMAIN severity_code AS TEXT CONSTRAINT severity_code_values CHECK (VALUE IN ('A', 'B', 'C'));
CREATE DOMAIN coverage_code AS TEXT CONSTRAINT coverage_code_values CHECK (VALUE IN ('24x7', 'business'));
CREATE DOMAIN incident_state AS TEXT CONSTRAINT incident_state_values CHECK (VALUE IN ('open', 'acknowledged', 'closed'));
CREATE DOMAIN incident_outcome AS TEXT
    CONSTRAINT incident_outcome_values CHECK (VALUE IN ('resolved', 'unresolved', 'out-of-scope', 'customer-closed'));
CREATE DOMAIN refund_decision AS TEXT CONSTRAINT refund_decision_values CHECK (VALUE IN ('refund', 'keep'));
CREATE DOMAIN ledger_kind AS TEXT CONSTRAINT ledger_kind_values CHECK (VALUE IN ('grant', 'consume', 'refund', 'transfer', 'expire'));
CREATE DOMAIN outbox_state AS TEXT CONSTRAINT outbox_state_values CHECK (VALUE IN ('pending', 'claimed', 'sent', 'failed', 'cancelled'));
CREATE DOMAIN outbox_nonce AS TEXT CONSTRAINT outbox_nonce_length CHECK (length(VALUE) BETWEEN 1 AND 25);

ALTER TABLE accounts
    DROP CONSTRAINT accounts_role_check,
    DROP CONSTRAINT accounts_sign_in_check,
    ALTER COLUMN role TYPE account_role,
    ALTER COLUMN sign_in TYPE sign_in_kind;

ALTER TABLE entitlements
    DROP CONSTRAINT entitlements_units_granted_check,
    DROP CONSTRAINT entitlements_units_left_check,
    ALTER COLUMN units_granted TYPE unit_count,
    ALTER COLUMN units_left TYPE unit_count;

ALTER TABLE incidents
    DROP CONSTRAINT incidents_severity_check,
    DROP CONSTRAINT incidents_coverage_check,
    DROP CONSTRAINT incidents_state_check,
    DROP CONSTRAINT incidents_outcome_check,
    DROP CONSTRAINT incidents_refund_check,
    ALTER COLUMN severity TYPE severity_code,
    ALTER COLUMN coverage TYPE coverage_code,
    ALTER COLUMN state TYPE incident_state,
    ALTER COLUMN outcome TYPE incident_outcome,
    ALTER COLUMN refund TYPE refund_decision;

ALTER TABLE ledger
    DROP CONSTRAINT ledger_kind_check,
    ALTER COLUMN kind TYPE ledger_kind;

ALTER TABLE outbox
    DROP CONSTRAINT outbox_state_check,
    DROP CONSTRAINT outbox_nonce_check,
    ALTER COLUMN state TYPE outbox_state,
    ALTER COLUMN nonce TYPE outbox_nonce;
