-- The gateway leader's heartbeat (docs/operations.md, "Several instances on one PostgreSQL").
-- The leader writes this one row every second on the connection that holds the leader lock:
-- that connection's backend pid and the database's clock. A standby that finds the row older
-- than `database.leader_hang_after` while that pid still holds the lock ends that connection
-- (the leader's process hangs), which frees the lock. Only the database's clock is compared.
-- SQLite has no counterpart: there the one process is always the leader.
CREATE TABLE leader_heartbeat (
    id           SMALLINT PRIMARY KEY CHECK (id = 1),
    backend_pid  INTEGER NOT NULL,
    beat_at      TIMESTAMPTZ NOT NULL
);
