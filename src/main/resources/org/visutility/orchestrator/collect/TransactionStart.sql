-- The transaction's now(): what the snapshots COPYed in it get as ingested_at (the column's default),
-- and their settled_at when they are final when recorded, as InsertSnapshots writes now().
SELECT now()
