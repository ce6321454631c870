package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visutility.orchestrator.config.SqlCollectorSetting;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One run of a SQL collector: pull the rows newer than its watermark from the warehouse, validate
 * them, and write them with the advanced watermark in one transaction. A crash or failure anywhere
 * before that commit leaves both untouched, so the next run pulls the same window again; what was
 * committed is never pulled as new twice (and would count as duplicates if it were).
 */
public final class SqlCollector {
    private static final Logger LOG = LoggerFactory.getLogger(SqlCollector.class);
    /** MDC key carrying the collector's name in its log lines. */
    public static final String MDC_KEY = "collector";
    /** How many rows the warehouse driver fetches at a time. */
    static final int FETCH_SIZE = 1000;
    /** The longest a pull query may run. */
    static final Duration QUERY_TIMEOUT = Duration.ofMinutes(10);
    /** How many invalid rows a failed run lists in its log and its last_error. */
    static final int MAX_LOGGED_VIOLATIONS = 20;

    /** What a run did. */
    public record Outcome(boolean ok, int rows, IngestResult result, Instant watermark, String error) {
    }

    private final SnapshotIngest ingest;
    private final CollectorWatermarks watermarks;

    public SqlCollector(SnapshotIngest ingest, Jdbi orchestratorDb) {
        this.ingest = ingest;
        this.watermarks = new CollectorWatermarks(orchestratorDb);
    }

    /** Runs the collector once; never throws: a failure is logged with the collector's name and recorded. */
    public Outcome run(SqlCollectorSetting collector) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, collector.name())) {
            try {
                Instant since = since(collector);
                Pull pull = new Pull(collector, since);
                IngestResult result = ingest.ingest(IngestChannel.SQL, collector.name(), pull, RevisionRules.of(collector),
                        (tx, r) -> watermarks.advance(tx, collector.name(), pull.watermark, r.batchId(), pull.rows));
                if (pull.rows == 0) watermarks.advance(collector.name(), null, 0);
                Instant now = watermarks.current(collector.name()).orElse(null);
                LOG.info("SQL collector {}: {} row(s) since {}: {} inserted, {} revised, {} duplicate; watermark {}", collector.name(),
                        pull.rows, since, result.inserted(), result.revised(), result.duplicate(), now == null ? "not set yet" : now);
                return new Outcome(true, pull.rows, result, now, null);
            } catch (InvalidSnapshotsException e) {
                return failed(collector, e, describe(e));
            } catch (SnapshotConflictException e) {
                List<String> lines = e.conflicts().stream().limit(MAX_LOGGED_VIOLATIONS).map(c -> IngestReports.line(c, "row")).toList();
                return failed(collector, e, e.getMessage() + ": " + String.join("; ", lines));
            } catch (RuntimeException e) {
                return failed(collector, e, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    /** The watermark, but never before the earliest observed_at accepted: older rows would only be rejected. */
    private Instant since(SqlCollectorSetting collector) {
        Instant earliest = ingest.validator().earliest();
        return watermarks.current(collector.name()).filter(w -> w.isAfter(earliest)).orElse(earliest);
    }

    private Outcome failed(SqlCollectorSetting collector, Exception e, String error) {
        LOG.error("SQL collector {} failed; nothing of this run was written and it runs again at its next time ({}): {}",
                collector.name(), collector.cron(), error);
        LOG.debug("SQL collector {} failure", collector.name(), e);
        try {
            watermarks.recordFailure(collector.name(), error);
        } catch (RuntimeException recordFailed) {
            LOG.warn("SQL collector {}: could not record the failure: {}", collector.name(), recordFailed.getMessage());
        }
        return new Outcome(false, 0, null, null, error);
    }

    private static String describe(InvalidSnapshotsException e) {
        List<String> lines = new ArrayList<>();
        for (Violation v : e.violations()) {
            if (lines.size() == MAX_LOGGED_VIOLATIONS) break;
            lines.add(IngestReports.line(v, "row"));
        }
        return e.invalidItems() + " invalid row(s): " + String.join("; ", lines);
    }

    /** Streams the warehouse's new rows into the staging table, validating each; remembers the highest watermark. */
    private final class Pull implements SnapshotSource {
        private final SqlCollectorSetting collector;
        private final Instant since;
        int rows;
        Instant watermark;

        Pull(SqlCollectorSetting collector, Instant since) {
            this.collector = collector;
            this.since = since;
        }

        @Override
        public void feedTo(SnapshotSink sink) {
            Properties props = new Properties();
            collector.user().ifPresent(u -> props.setProperty("user", u));
            collector.password().ifPresent(p -> props.setProperty("password", p));
            Jdbi warehouse = Jdbi.create(collector.url(), props);
            try (Handle h = warehouse.open()) {
                h.getConnection().setReadOnly(true);
                // a transaction lets drivers such as PostgreSQL's stream the rows with a cursor
                h.useTransaction(tx -> tx.createQuery(collector.query())
                        .bind("since", since.atOffset(ZoneOffset.UTC))
                        .setFetchSize(FETCH_SIZE)
                        .setQueryTimeout((int) QUERY_TIMEOUT.toSeconds())
                        .scanResultSet((supplier, ctx) -> {
                            read(supplier.get(), sink);
                            return null;
                        }));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("the warehouse connection failed: " + e.getMessage(), e);
            }
        }

        private void read(ResultSet rs, SnapshotSink sink) throws java.sql.SQLException {
            ResultSetSnapshotReader reader = new ResultSetSnapshotReader(rs.getMetaData(), collector.name());
            SnapshotBatchValidator validator = ingest.validator();
            List<Violation> reported = new ArrayList<>();
            List<Violation> scratch = new ArrayList<>();
            int invalid = 0;
            while (rs.next()) {
                rows++;
                Snapshot s = validator.validate(rows, reader.read(rs), scratch);
                if (s == null) {
                    invalid++;
                    if (reported.size() < SnapshotFileImport.MAX_REPORTED_VIOLATIONS) reported.addAll(scratch);
                    scratch.clear();
                    continue;
                }
                Instant w = reader.watermark(rs, s);
                if (watermark == null || w.isAfter(watermark)) watermark = w;
                if (invalid == 0) sink.add(rows, s);
            }
            if (invalid > 0) throw new InvalidSnapshotsException(reported, invalid);
        }
    }
}
