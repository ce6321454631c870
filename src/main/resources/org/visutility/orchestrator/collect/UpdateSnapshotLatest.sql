-- Keeps orchestrator.snapshot_latest up to date with a batch, in the batch's transaction, after its
-- snapshots (and revisions) are written: the newest staged key of each model version and segment
-- (observed_at, then source in byte order) goes to orchestrator.keep_snapshot_latest, which
-- FinishNewSnapshotsBatch calls too; it returns how many kept rows it inserted or replaced.
SELECT orchestrator.keep_snapshot_latest(
           coalesce(array_agg(st.model_version_id ORDER BY st.model_version_id, st.segment), '{}'),
           coalesce(array_agg(st.segment ORDER BY st.model_version_id, st.segment), '{}'),
           coalesce(array_agg(st.observed_at ORDER BY st.model_version_id, st.segment), '{}'),
           coalesce(array_agg(st.source ORDER BY st.model_version_id, st.segment), '{}'))
  FROM (SELECT DISTINCT ON (v.id, s.segment) v.id AS model_version_id, s.segment, s.observed_at, s.source
          FROM pg_temp.snapshot_staging s
          JOIN orchestrator.model m ON m.name = s.model
          JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
         ORDER BY v.id, s.segment, s.observed_at DESC, s.source COLLATE "C" DESC) st
