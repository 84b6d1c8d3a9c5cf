-- Token deltas are persisted coalesced: one `token` row holds a run of a
-- turn's consecutive deltas. Its id is the run's first event id and
-- `last_id` its last (NULL on every other row); the ids in between that
-- belong to the run are listed in its data (see kernel/store/events.ts).
ALTER TABLE events ADD COLUMN last_id INTEGER;
