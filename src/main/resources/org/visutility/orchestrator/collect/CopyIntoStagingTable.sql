COPY pg_temp.snapshot_staging (position, model, version, observed_at, segment, source, sample_count, metrics, is_final) FROM STDIN
