-- Where reading resumes after downtime or a reconnect: for each Discord channel or thread the
-- bot catches up on, the id of the last message handled there. Snowflakes grow with time, so
-- the numbers compare in message order; a mark only ever moves forward.
CREATE TABLE read_marks (
    channel       BIGINT PRIMARY KEY,
    last_message  BIGINT NOT NULL CHECK (last_message > 0)
);
