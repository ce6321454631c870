-- What a commit costs depends on these, and what a read costs on shared_buffers (the server's own
-- page cache): reported with every figure taken on the database.
SELECT current_setting('server_version') AS server_version, current_setting('fsync') AS fsync,
       current_setting('synchronous_commit') AS synchronous_commit, current_setting('shared_buffers') AS shared_buffers
