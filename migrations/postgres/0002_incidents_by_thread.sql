-- Look up an incident by its Discord thread (commands run inside a thread).
CREATE INDEX incidents_by_thread ON incidents (discord_thread_id);
