package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visutility.orchestrator.config.CollectedItems;
import org.visutility.orchestrator.config.InvalidRowPolicy;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.core.Json;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One run of a SQL collector: pull the rows newer than its watermark from the warehouse, validate
 * them, and write them with the advanced watermark in one transaction. A crash or failure anywhere
 * before that commit leaves both untouched, so the next run pulls the same window again; what was
 * committed is never pulled as new twice (and would count as duplicates if it were).
 *
 * <p>A row that breaks a rule fails the whole run ({@code on_invalid_row: reject_run}), or is left
 * out ({@code skip_row}); either way the rows are recorded in orchestrator.collector_rejects (with
 * the failure, or in the run's own transaction) and every outcome in orchestrator.collector_watermark.
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

    /** What a run did; {@code skipped} rows were left out (skip_row). */
    public record Outcome(boolean ok, int rows, IngestResult result, Instant watermark, String error, int skipped) {
    }

    private final SnapshotIngest ingest;
    private final DistributionIngest distributions;
    private final Jdbi orchestratorDb;
    private final CollectorWatermarks watermarks;

    /** A collector of snapshots and histograms ({@code returns: distributions}). */
    public SqlCollector(SnapshotIngest ingest, DistributionIngest distributions, Jdbi orchestratorDb) {
        this.ingest = ingest;
        this.distributions = distributions;
        this.orchestratorDb = orchestratorDb;
        this.watermarks = new CollectorWatermarks(orchestratorDb);
    }

    /** A collector of snapshots only. */
    public SqlCollector(SnapshotIngest ingest, Jdbi orchestratorDb) {
        this(ingest, null, orchestratorDb);
    }

    /** Runs the collector once; never throws: a failure is logged with the collector's name and recorded. */
    public Outcome run(SqlCollectorSetting collector) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, collector.name())) {
            RejectedRows rejected = new RejectedRows();
            try {
                Outcome done = collector.returns() == CollectedItems.DISTRIBUTIONS
                        ? pullAndWriteDistributions(collector, rejected)
                        : pullAndWrite(collector, rejected);
                CollectorMetrics.succeeded(collector.name(), done.result().inserted(), done.skipped());
                return done;
            } catch (InvalidSnapshotsException e) {
                return failed(collector, e, describe(e), rowsThatFailedIt(collector, rejected));
            } catch (SnapshotConflictException e) {
                List<String> lines = e.conflicts().stream().limit(MAX_LOGGED_VIOLATIONS).map(c -> IngestReports.line(c, "row")).toList();
                RejectedRows conflicting = rowsThatFailedIt(collector, rejected);
                for (SnapshotConflictException.Conflict c : e.conflicts()) {
                    conflicting.refused(c.position(), conflictJson(c), "key", IngestReports.CONFLICT_RULE);
                }
                return failed(collector, e, e.getMessage() + ": " + String.join("; ", lines), conflicting);
            } catch (DistributionConflictException e) {
                List<String> lines = e.conflicts().stream().limit(MAX_LOGGED_VIOLATIONS).map(c -> IngestReports.line(c, "row")).toList();
                return failed(collector, e, e.getMessage() + ": " + String.join("; ", lines), rowsThatFailedIt(collector, rejected));
            } catch (RuntimeException e) {
                return failed(collector, e, e.getMessage() == null ? e.toString() : e.getMessage(), new RejectedRows());
            }
        }
    }

    private Outcome pullAndWrite(SqlCollectorSetting collector, RejectedRows rejected) {
        boolean skip = collector.onInvalidRow() == InvalidRowPolicy.SKIP_ROW;
        Instant since = since(collector);
        Pull pull = new Pull(collector, since, skip, rejected);
        boolean[] recorded = {false};
        SnapshotIngest.CommitStep finish = (tx, r) -> {
            watermarks.advance(tx, collector.name(), pull.pulled.watermark, r.batchId(), pull.pulled.count, rejected.total());
            CollectorRejects.record(tx, collector.name(), CollectorRejects.Action.SKIPPED, rejected, r.batchId());
            recorded[0] = true;
        };
        IngestResult result = ingest.ingest(IngestChannel.SQL, collector.name(), pull, RevisionRules.of(collector),
                skip ? rejected::refused : null, finish);
        // nothing was staged (no rows, or all left out): the run, its skipped rows and its watermark are still recorded
        if (!recorded[0]) orchestratorDb.useTransaction(tx -> finish.run(tx, result));
        Instant now = watermarks.current(collector.name()).orElse(null);
        if (rejected.total() > 0) {
            LOG.warn("SQL collector {}: {} row(s) left out (on_invalid_row: skip_row), {} of them recorded in orchestrator.collector_rejects",
                    collector.name(), rejected.total(), rejected.recorded().size());
        }
        LOG.info("SQL collector {}: {} row(s) since {}: {} inserted, {} revised, {} duplicate, {} skipped; watermark {}", collector.name(),
                pull.pulled.count, since, result.inserted(), result.revised(), result.duplicate(), rejected.total(), now == null ? "not set yet" : now);
        return new Outcome(true, pull.pulled.count, result, now, null, rejected.total());
    }

    /**
     * A run of a {@code returns: distributions} collector: its rows are histograms, validated by the
     * rules of POST /api/v1/distributions and written with the advanced watermark in one transaction.
     * Invalid rows fail the run or are left out (skip_row); a key stored with another histogram fails it.
     */
    private Outcome pullAndWriteDistributions(SqlCollectorSetting collector, RejectedRows rejected) {
        if (distributions == null) throw new IllegalStateException("this node does not collect distributions");
        boolean skip = collector.onInvalidRow() == InvalidRowPolicy.SKIP_ROW;
        Instant since = since(collector);
        DistributionPull pull = new DistributionPull(collector, since, skip, rejected);
        boolean[] recorded = {false};
        SnapshotIngest.CommitStep finish = (tx, r) -> {
            watermarks.advance(tx, collector.name(), pull.pulled.watermark, r.batchId(), pull.pulled.count, rejected.total());
            CollectorRejects.record(tx, collector.name(), CollectorRejects.Action.SKIPPED, rejected, r.batchId());
            recorded[0] = true;
        };
        IngestResult result = distributions.ingest(IngestChannel.SQL, collector.name(), pull, finish);
        if (!recorded[0]) orchestratorDb.useTransaction(tx -> finish.run(tx, result));
        Instant now = watermarks.current(collector.name()).orElse(null);
        LOG.info("SQL collector {}: {} histogram row(s) since {}: {} inserted, {} duplicate, {} skipped; watermark {}", collector.name(),
                pull.pulled.count, since, result.inserted(), result.duplicate(), rejected.total(), now == null ? "not set yet" : now);
        return new Outcome(true, pull.pulled.count, result, now, null, rejected.total());
    }

    /** Runs the collector's query on its warehouse (read-only, streamed with a cursor) and hands the result set to {@code rows}. */
    private static void query(SqlCollectorSetting collector, Instant since, RowsReader rows) {
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
                        rows.read(supplier.get());
                        return null;
                    }));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the warehouse connection failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface RowsReader {
        void read(ResultSet rs) throws java.sql.SQLException;
    }

    /**
     * The rows recorded with a failed run: those that failed a reject_run collector's run. A skip_row
     * run that fails for another reason wrote nothing, so the rows it had left out are not recorded.
     */
    private static RejectedRows rowsThatFailedIt(SqlCollectorSetting collector, RejectedRows rejected) {
        return collector.onInvalidRow() == InvalidRowPolicy.REJECT_RUN ? rejected : new RejectedRows();
    }

    /** The watermark, but never before the earliest observed_at accepted: older rows would only be rejected. */
    private Instant since(SqlCollectorSetting collector) {
        Instant earliest = ingest.validator().earliest();
        return watermarks.current(collector.name()).filter(w -> w.isAfter(earliest)).orElse(earliest);
    }

    private Outcome failed(SqlCollectorSetting collector, Exception e, String error, RejectedRows rejected) {
        LOG.error("SQL collector {} failed; nothing of this run was written and it runs again at its next time ({}): {}",
                collector.name(), collector.cron(), error);
        LOG.debug("SQL collector {} failure", collector.name(), e);
        CollectorMetrics.failed(collector.name());
        try {
            orchestratorDb.useTransaction(tx -> {
                watermarks.recordFailure(tx, collector.name(), error);
                CollectorRejects.record(tx, collector.name(), CollectorRejects.Action.RUN_REJECTED, rejected, null);
            });
        } catch (RuntimeException recordFailed) {
            LOG.warn("SQL collector {}: could not record the failure with its rows; recording the failure alone: {}",
                    collector.name(), recordFailed.getMessage());
            try {
                orchestratorDb.useTransaction(tx -> watermarks.recordFailure(tx, collector.name(), error));
            } catch (RuntimeException alsoFailed) {
                LOG.warn("SQL collector {}: could not record the failure: {}", collector.name(), alsoFailed.getMessage());
            }
        }
        return new Outcome(false, 0, null, null, error, 0);
    }

    private static String describe(InvalidSnapshotsException e) {
        List<String> lines = new ArrayList<>();
        for (Violation v : e.violations()) {
            if (lines.size() == MAX_LOGGED_VIOLATIONS) break;
            lines.add(IngestReports.line(v, "row"));
        }
        return e.invalidItems() + " invalid row(s): " + String.join("; ", lines);
    }

    /** The key of a snapshot refused for a conflict, as recorded in orchestrator.collector_rejects. */
    private static String conflictJson(SnapshotConflictException.Conflict c) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("model", c.model());
        key.put("version", c.version());
        key.put("observed_at", c.observedAt().toString());
        key.put("segment", c.segment());
        key.put("source", c.source());
        try {
            return Json.MAPPER.writeValueAsString(key);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Streams the warehouse's new rows into the staging table, validating each; remembers the highest watermark. */
    private final class Pull implements SnapshotSource {
        private final SqlCollectorSetting collector;
        private final Instant since;
        private final WarehouseRows<Snapshot> pulled;

        Pull(SqlCollectorSetting collector, Instant since, boolean skipInvalid, RejectedRows rejected) {
            this.collector = collector;
            this.since = since;
            this.pulled = new WarehouseRows<>(skipInvalid, rejected);
        }

        @Override
        public void feedTo(SnapshotSink sink) {
            query(collector, since, rs -> {
                ResultSetSnapshotReader reader = new ResultSetSnapshotReader(rs.getMetaData(), collector.name());
                SnapshotBatchValidator validator = ingest.validator();
                pulled.read(rs, new WarehouseRows.Reading<>() {
                    @Override
                    public Snapshot validate(int row, ResultSet r, List<Violation> out) throws java.sql.SQLException {
                        return validator.validate(row, reader.read(r), out);
                    }

                    @Override
                    public Instant watermark(ResultSet r, Snapshot s) throws java.sql.SQLException {
                        return reader.watermark(r, s);
                    }

                    @Override
                    public java.util.Optional<Instant> declaredWatermark(ResultSet r) throws java.sql.SQLException {
                        return reader.declaredWatermark(r);
                    }
                }, sink::add);
            });
        }
    }

    /** Streams the warehouse's new histogram rows into the distribution staging table, validating each. */
    private final class DistributionPull implements DistributionSource {
        private final SqlCollectorSetting collector;
        private final Instant since;
        private final WarehouseRows<Distribution> pulled;

        DistributionPull(SqlCollectorSetting collector, Instant since, boolean skipInvalid, RejectedRows rejected) {
            this.collector = collector;
            this.since = since;
            this.pulled = new WarehouseRows<>(skipInvalid, rejected);
        }

        @Override
        public void feedTo(DistributionSink sink) {
            query(collector, since, rs -> {
                ResultSetDistributionReader reader = new ResultSetDistributionReader(rs.getMetaData(), collector.name());
                DistributionBatchValidator validator = distributions.validator();
                pulled.read(rs, new WarehouseRows.Reading<>() {
                    @Override
                    public Distribution validate(int row, ResultSet r, List<Violation> out) throws java.sql.SQLException {
                        return validator.validate(row, reader.read(r), out);
                    }

                    @Override
                    public Instant watermark(ResultSet r, Distribution d) throws java.sql.SQLException {
                        return reader.watermark(r, d.observedAt());
                    }

                    @Override
                    public java.util.Optional<Instant> declaredWatermark(ResultSet r) throws java.sql.SQLException {
                        return reader.declaredWatermark(r);
                    }
                }, sink::add);
            });
        }
    }
}
