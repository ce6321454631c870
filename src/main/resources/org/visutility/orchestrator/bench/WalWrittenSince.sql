-- Bytes of write-ahead log the server wrote since :position (from WalPosition.sql): every
-- session's, so a figure taken while the bench alone writes is the bench's.
SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), CAST(:position AS pg_lsn))
