-- The server's version, proving the database answers (GET /health).
SELECT current_setting('server_version')
