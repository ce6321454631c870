-- Opens a batch COPYed straight in (NewSnapshotsCopy) in one round trip, for its first chunk: the
-- ingest_batch row (its size is set when it closes: a streamed file's is not known yet) with the
-- transaction's now() (the snapshots' ingested_at, the column's default, and their settled_at when
-- final when recorded, as InsertSnapshots writes now()); the ids and status of the chunk's (model,
-- version) pairs, as ResolveVersionIds finds them (a pair without a registered version is left out);
-- and :count snapshot ids drawn as ReserveSnapshotIds draws them (the sequence looked up once), as
-- runs of consecutive ids: one run, told by the ids' span, unless other sessions drew ids meanwhile.
WITH batch AS (
    INSERT INTO orchestrator.ingest_batch (channel, origin, snapshot_count, item_kind)
    VALUES (:channel, :origin, 0, :itemKind)
    RETURNING id
), pairs AS (
    SELECT p.model, p.version, m.id AS model_id, v.id AS version_id, v.status
      FROM unnest(CAST(:models AS text[]), CAST(:versions AS text[])) AS p (model, version)
      JOIN orchestrator.model m ON m.name = p.model
      JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = p.version
), seq AS MATERIALIZED (
    SELECT CAST(pg_get_serial_sequence('orchestrator.metric_snapshot', 'id') AS regclass) AS id
), drawn AS MATERIALIZED (
    SELECT nextval(seq.id) AS id FROM seq CROSS JOIN generate_series(1, :count)
), span AS (
    SELECT min(d.id) AS first_id, max(d.id) AS last_id, count(*) AS ids FROM drawn d
), runs AS (
    SELECT s.first_id, s.ids FROM span s WHERE s.last_id - s.first_id + 1 = s.ids
    UNION ALL
    -- only when the span has holes: the runs numbered and grouped (a sort of every id drawn)
    SELECT min(r.id), count(*)
      FROM (SELECT d.id, d.id - row_number() OVER (ORDER BY d.id) AS run FROM drawn d) r
     WHERE (SELECT s.last_id - s.first_id + 1 <> s.ids FROM span s)
     GROUP BY r.run
)
SELECT b.id AS batch_id, now() AS started_at,
       p.models, p.versions, p.model_ids, p.version_ids, p.statuses,
       r.first_ids, r.run_lengths
  FROM batch b
 CROSS JOIN (SELECT array_agg(model) AS models, array_agg(version) AS versions, array_agg(model_id) AS model_ids,
                    array_agg(version_id) AS version_ids, array_agg(status::text) AS statuses
               FROM pairs) p
 CROSS JOIN (SELECT array_agg(first_id ORDER BY first_id) AS first_ids, array_agg(ids ORDER BY first_id) AS run_lengths
               FROM runs) r
