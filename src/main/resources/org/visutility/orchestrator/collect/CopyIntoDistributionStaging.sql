COPY pg_temp.distribution_staging (position, model, version, observed_at, segment, source, feature, kind, edges, categories, counts, sample_count) FROM STDIN
