-- Benchmark only: the statement that drops a role the benchmark created for its scratch database
-- (the name quoted as an identifier by format's %I).
SELECT format('DROP ROLE IF EXISTS %I', :role)
