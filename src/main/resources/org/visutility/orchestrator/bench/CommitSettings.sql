-- What a commit costs depends on these: reported with every figure taken on the database.
SELECT current_setting('server_version') AS server_version, current_setting('fsync') AS fsync,
       current_setting('synchronous_commit') AS synchronous_commit
