-- Index only the incidents that have a parent or a thread: an incident has neither when it is
-- opened, so opening one writes two index entries fewer (an open's cost is the pages it writes).
-- Lookups by `parent = ?` and `discord_thread_id = ?` imply IS NOT NULL and still use these.
DROP INDEX incidents_by_parent;
CREATE INDEX incidents_by_parent ON incidents (parent) WHERE parent IS NOT NULL;
DROP INDEX incidents_by_thread;
CREATE INDEX incidents_by_thread ON incidents (discord_thread_id) WHERE discord_thread_id IS NOT NULL;
