-- Where the server's write-ahead log ends now (any role may ask): the bench takes it before a
-- stretch of work and reads how many bytes of WAL the server wrote since (WalWrittenSince.sql).
SELECT CAST(pg_current_wal_lsn() AS text)
