-- A one-row table in a bench's scratch database (never the orchestrator's own), for the commit floor.
CREATE TABLE IF NOT EXISTS bench_commit_floor (id int PRIMARY KEY, written_at timestamptz NOT NULL);
INSERT INTO bench_commit_floor VALUES (1, now()) ON CONFLICT (id) DO NOTHING
