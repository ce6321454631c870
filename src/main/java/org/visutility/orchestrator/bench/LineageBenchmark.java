package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.lineage.DocumentedQuestions;
import org.visutility.orchestrator.lineage.DocumentedQuestions.Question;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.RoleSetup;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code orchestrator bench lineage}: builds two histories through the real write paths, each in a
 * scratch database of its own: one {@link LineageHistorySize#SMALLER} times smaller, and the full
 * one (the same history, with older history added behind it); then times every documented question
 * of docs/lineage.md as each database's reader role, on the two in turn ({@link ReaderQueryTimer}). Goals: each question under {@link #GOAL_MS} at full size, and none
 * more than {@link #GOAL_RATIO} times slower than on the smaller history.
 */
public final class LineageBenchmark {
    public static final double GOAL_MS = 50;
    public static final double GOAL_RATIO = 1.5;
    /** Medians under this count as this much in the ratio: below it the machine's noise, not the history, decides. */
    public static final double RATIO_FLOOR_MS = 1.0;
    static final String SCRATCH_SUFFIX = "_bench_lineage";
    /**
     * The smaller history has a database of its own, so that the questions can be timed on both in
     * turn. Short ("s" for smaller): the database's roles carry its name, within PostgreSQL's 63 bytes.
     */
    static final String SMALLER_SCRATCH_SUFFIX = "_bench_lineage_s";
    /** Concurrent writers of snapshot batches, and concurrent experiment runs (a 2-core machine). */
    static final int WORKERS = 2;
    /** The policies' accuracy floor on the smaller history, and after the threshold change that starts the full one. */
    static final double FIRST_FLOOR = 0.86;
    static final double SECOND_FLOOR = 0.88;
    private static final String DROP_ROLE = SqlFiles.load(LineageBenchmark.class, "BenchDropRoleStatement");
    private static final String BACKDATE = SqlFiles.load(LineageBenchmark.class, "BenchBackdateExperiments");

    /** One history's build and its question timings. */
    public record Phase(String label, long snapshots, long histograms, int experiments, long trials, double snapshotSeconds,
                        double experimentSeconds, int fromHour, int toHour, int policyVersions,
                        int firings, int policyEnqueued, int queuedRan, long revisions) {
    }

    /** One question at both sizes. */
    public record QueryResult(String title, ReaderQueryTimer.Timing full, ReaderQueryTimer.Timing smaller) {
        public double ratio() {
            return Math.max(full.medianMs(), RATIO_FLOOR_MS) / Math.max(smaller.medianMs(), RATIO_FLOOR_MS);
        }

        public boolean underGoal() {
            return full.medianMs() < GOAL_MS;
        }

        /**
         * Met when the full history's median is at most {@link #GOAL_RATIO} times the smaller one's;
         * or, when the full history's answer has more than that many times the rows (a window longer
         * than the smaller history, as question 22's three months against three weeks), when a row
         * answered costs at most that many times as much: then the cost follows the answer, which
         * the window bounds, not the history.
         */
        public boolean ratioMet() {
            return ratio() <= GOAL_RATIO || (answerGrew() && perRowRatio() <= GOAL_RATIO);
        }

        /** The full history's answer has more than {@link #GOAL_RATIO} times the smaller one's rows. */
        public boolean answerGrew() {
            return smaller.rows() > 0 && full.rows() > GOAL_RATIO * smaller.rows();
        }

        /** The ratio of the medians per row answered (medians floored as in {@link #ratio()}). */
        public double perRowRatio() {
            if (full.rows() == 0 || smaller.rows() == 0) return ratio();
            return ratio() * smaller.rows() / full.rows();
        }
    }

    /** The run's figures. */
    public record Report(double size, int models, int repetitions, String database, Phase smaller, Phase full, List<QueryResult> queries) {
        public boolean goalsMet() {
            return queries.stream().allMatch(q -> q.underGoal() && q.ratioMet());
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("size", size).put("models", models).put("repetitions", repetitions)
                    .put("database", database).put("goal_ms", GOAL_MS).put("goal_ratio", GOAL_RATIO).put("ratio_floor_ms", RATIO_FLOOR_MS);
            n.set("smaller", phase(smaller));
            n.set("full", phase(full));
            ArrayNode qs = n.putArray("queries");
            for (QueryResult q : queries) {
                ObjectNode o = qs.addObject().put("question", q.title());
                o.set("full", timing(q.full()));
                o.set("smaller", timing(q.smaller()));
                o.put("ratio", round(q.ratio())).put("under_goal", q.underGoal()).put("ratio_met", q.ratioMet());
                if (q.answerGrew()) o.put("ratio_per_row_answered", round(q.perRowRatio()));
            }
            n.put("goals_met", goalsMet());
            return n;
        }

        public String text() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "bench lineage (size %s, %d models, %s)%n", size, models, database));
            for (Phase p : List.of(smaller, full)) {
                b.append(String.format(Locale.ROOT, "  %-8s history: %,d snapshots and %,d histograms (written in %.1f s), %,d experiments with %,d trials"
                        + " (run in %.1f s)%n", p.label(), p.snapshots(), p.histograms(), p.snapshotSeconds(), p.experiments(), p.trials(),
                        p.experimentSeconds()));
                b.append(String.format(Locale.ROOT, "           its new snapshots and experiments span hours %,d to %,d before now (experiments moved back from when they ran)%n",
                        p.fromHour(), p.toHour()));
                b.append(String.format(Locale.ROOT, "           then %d policy versions applied; two policy passes: %d changes into firing, %d experiments enqueued"
                        + " (%d queued runs ran); %,d revisions by late labels%n", p.policyVersions(), p.firings(), p.policyEnqueued(), p.queuedRan(),
                        p.revisions()));
            }
            b.append(String.format(Locale.ROOT, "  each question %d times as the reader role after one unmeasured run; ms: median (min-max), rows%n", repetitions));
            for (QueryResult q : queries) {
                b.append(String.format(Locale.ROOT, "  %s%n    full %s | smaller %s | ratio %.2f%s  %s%n", q.title(), text(q.full()), text(q.smaller()),
                        q.ratio(), perRow(q), q.underGoal() && q.ratioMet() ? "pass" : "FAIL" + (q.underGoal() ? "" : " (over " + (int) GOAL_MS + " ms)")
                                + (q.ratioMet() ? "" : " (ratio over " + GOAL_RATIO + ")")));
            }
            long passed = queries.stream().filter(q -> q.underGoal() && q.ratioMet()).count();
            b.append(String.format(Locale.ROOT, "%d of %d questions met the goals (under %.0f ms at full size; at most %.1fx the smaller history's median,"
                    + " medians under %.0f ms counted as %.0f ms; per row answered when the full answer has more than %.1fx the rows)%n",
                    passed, queries.size(), GOAL_MS, GOAL_RATIO, RATIO_FLOOR_MS, RATIO_FLOOR_MS, GOAL_RATIO));
            return b.toString();
        }

        /**
         * A question whose window is longer than the smaller history answers more rows on the full
         * one: its ratio per row answered is printed beside the plain one.
         */
        private static String perRow(QueryResult q) {
            if (!q.answerGrew()) return "";
            return String.format(Locale.ROOT, ", per row answered %.2f (it answers %.1fx the rows of the smaller history)",
                    q.perRowRatio(), (double) q.full().rows() / q.smaller().rows());
        }

        private static String text(ReaderQueryTimer.Timing t) {
            return String.format(Locale.ROOT, "%.2f (%.2f-%.2f), %d rows", t.medianMs(), t.minMs(), t.maxMs(), t.rows());
        }

        private static ObjectNode phase(Phase p) {
            return Json.MAPPER.createObjectNode().put("snapshots", p.snapshots()).put("histograms", p.histograms())
                    .put("experiments", p.experiments()).put("trials", p.trials())
                    .put("snapshot_seconds", round(p.snapshotSeconds())).put("experiment_seconds", round(p.experimentSeconds()))
                    .put("from_hours_ago", p.fromHour()).put("to_hours_ago", p.toHour()).put("policy_versions", p.policyVersions())
                    .put("firings", p.firings()).put("policy_enqueued", p.policyEnqueued()).put("queued_ran", p.queuedRan())
                    .put("revisions", p.revisions());
        }

        private static ObjectNode timing(ReaderQueryTimer.Timing t) {
            return Json.MAPPER.createObjectNode().put("median_ms", round(t.medianMs())).put("min_ms", round(t.minMs()))
                    .put("max_ms", round(t.maxMs())).put("rows", t.rows());
        }
    }

    private final Consumer<String> log;

    public LineageBenchmark(Consumer<String> log) {
        this.log = log;
    }

    /**
     * @param doc the text of docs/lineage.md, whose questions are timed
     */
    public Report run(OrchestratorConfig config, double size, int repetitions, String doc, boolean keep) throws Exception {
        List<Question> questions = DocumentedQuestions.parse(doc);
        if (questions.isEmpty()) throw new IllegalArgumentException("no question found under \"" + DocumentedQuestions.SECTION + "\"");
        LineageHistorySize full = LineageHistorySize.scaled(size);
        LineageHistorySize smaller = full.smaller();
        try (Database server = DatabaseConnector.open(config)) {
            String name = ScratchDatabase.nameBeside(server.jdbcUrl(), SCRATCH_SUFFIX);
            String smallerName = ScratchDatabase.nameBeside(server.jdbcUrl(), SMALLER_SCRATCH_SUFFIX);
            List<RoleSetup.Outcome> roles = new ArrayList<>();
            Report report;
            try (ScratchDatabase smallerDb = ScratchDatabase.create(server, smallerName, 2 * WORKERS + 4, keep);
                 ScratchDatabase fullDb = ScratchDatabase.create(server, name, 2 * WORKERS + 4, keep)) {
                roles.add(setUpRoles(smallerDb));
                roles.add(setUpRoles(fullDb));
                log.accept(String.format(Locale.ROOT, "bench lineage: %d questions, %d models; %,d then %,d snapshots; %,d then %,d experiments of %d trials"
                                + " (scratch databases %s and %s)", questions.size(), full.models(), smaller.snapshots(), full.snapshots(),
                        smaller.experiments(), full.experiments(), full.trialsPerExperiment(), smallerName, name));
                Instant newest = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
                Phase small;
                Phase whole;
                try (LineageHistory history = new LineageHistory(smallerDb, config, full.models(), full.trialsPerExperiment(), newest)) {
                    small = build("smaller", history, FIRST_FLOOR, 0, smaller, 0, smaller.experiments());
                }
                try (LineageHistory history = new LineageHistory(fullDb, config, full.models(), full.trialsPerExperiment(), newest)) {
                    // the full history is the smaller one with ten times the past behind it, built the same way
                    build("full (newest part)", history, FIRST_FLOOR, 0, smaller, 0, smaller.experiments());
                    whole = build("full", history, SECOND_FLOOR, smaller.hoursPerSegment(), full, smaller.experiments(), full.experiments());
                }
                log.accept(writtenBack(server)
                        ? "bench lineage: the server wrote back every page the builds changed (CHECKPOINT); timing the questions on both histories, in turn"
                        : "bench lineage: this role may not CHECKPOINT, so the server may still be writing back the builds' pages; timing the questions on both histories, in turn");
                ReaderQueryTimer.SideBySide timings = ReaderQueryTimer.time(smallerDb.jdbi(), roles.get(0).names().reader(),
                        fullDb.jdbi(), roles.get(1).names().reader(), questions, repetitions);
                List<QueryResult> results = new ArrayList<>();
                for (Question q : questions) {
                    results.add(new QueryResult(q.title(), timings.full().get(q.title()), timings.smaller().get(q.title())));
                }
                report = new Report(size, full.models(), repetitions, "scratch databases " + smallerName + " and " + name + " beside "
                        + server.description(), small, whole, results);
            }
            if (!keep) for (RoleSetup.Outcome outcome : roles) dropRolesCreated(server, outcome);
            return report;
        }
    }

    private static RoleSetup.Outcome setUpRoles(ScratchDatabase scratch) {
        try (Handle h = scratch.jdbi().open()) {
            return RoleSetup.run(h, Optional.empty());
        }
    }

    private Phase build(String label, LineageHistory history, double floor, int fromHour, LineageHistorySize size, int fromExperiment,
                        int toExperiment) throws Exception {
        ScratchDatabase scratch = history.scratch;
        ExperimentHistory experiments = history.experiments;
        log.accept(String.format(Locale.ROOT, "bench lineage: %s history: writing snapshots back to hour %,d", label, size.hoursPerSegment()));
        long t0 = System.nanoTime();
        history.snapshots.write(fromHour, size.hoursPerSegment(), WORKERS);
        // the drift models' versions exist once their snapshots are: their references first, so each histogram is scored as written
        if (fromHour == 0) history.drift.setReferences();
        long histograms = history.drift.write(fromHour, size.hoursPerSegment(), WORKERS);
        double snapshotSeconds = seconds(t0);
        log.accept(String.format(Locale.ROOT, "bench lineage: %s history: snapshots in %.1f s; running experiments %d to %d", label,
                snapshotSeconds, fromExperiment + 1, toExperiment));
        long t1 = System.nanoTime();
        long firstId = experiments.lastId() + 1;
        experiments.run(fromExperiment, toExperiment, WORKERS);
        long lastId = experiments.lastId();
        int ran = toExperiment - fromExperiment;
        if (lastId - firstId + 1 != ran || experiments.succeeded(firstId, lastId) != ran) {
            throw new IllegalStateException(experiments.succeeded(firstId, lastId) + " of " + ran + " bench experiments (ids " + firstId + " to "
                    + lastId + ") succeeded");
        }
        double experimentSeconds = seconds(t1);
        backdate(scratch, firstId, lastId, fromHour, size.hoursPerSegment() - fromHour);
        log.accept(String.format(Locale.ROOT, "bench lineage: %s history: experiments of ids %d to %d moved back in time, spread over hours %,d to %,d before now"
                + " (the stretch of their snapshots)", label, firstId, lastId, fromHour, size.hoursPerSegment()));
        PolicyRound round = policyRound(label, history.snapshots, experiments, history.policies, floor, fromHour, size.hoursPerSegment());
        settle(scratch);
        log.accept(String.format(Locale.ROOT, "bench lineage: %s history: experiments in %.1f s", label, experimentSeconds));
        return new Phase(label, size.snapshots(), histograms, toExperiment, (long) toExperiment * size.trialsPerExperiment(), snapshotSeconds,
                experimentSeconds, fromHour, size.hoursPerSegment(), round.policyVersions(), round.firings(), round.enqueued(),
                round.ran(), round.revisions());
    }

    /** What one phase's policies did: versions applied, changes into firing, experiments they enqueued, those run, revisions stored. */
    record PolicyRound(int policyVersions, int firings, int enqueued, int ran, long revisions) {
    }

    /**
     * Policies applied with this phase's floor (the full history's is a threshold change: every policy's
     * version 2), a pass whose firings enqueue experiments, and the queued runs (those and any an earlier
     * pass left) run through the engine; then late labels revise windows of the phase's hours (among them
     * the windows those firings read), and a second pass reviews the decisions whose evidence was revised,
     * resolves the policies the revised values no longer breach and fires or holds back the others. What
     * the second pass enqueues stays queued until the next phase, as a run waits for a free node.
     */
    private PolicyRound policyRound(String label, SnapshotHistory snapshots, ExperimentHistory experiments, PolicyHistory policies,
                                    double floor, int fromHour, int toHour) throws Exception {
        int versions = policies.apply(floor);
        PolicyEvaluator.PassResult first = policies.pass();
        List<Long> ran = experiments.runQueued(WORKERS);
        long revisions = snapshots.revise(fromHour, toHour, PolicyHistory.policyModels(snapshots.models()));
        PolicyEvaluator.PassResult second = policies.pass();
        int firings = firings(first) + firings(second);
        int enqueued = first.experiments().size() + second.experiments().size();
        log.accept(String.format(Locale.ROOT, "bench lineage: %s history: %d policy versions applied (floor %.2f); two passes: %d changes into firing,"
                + " %d experiments enqueued, %d queued runs ran; %,d revisions by late labels, %d decisions reviewed", label, versions, floor,
                firings, enqueued, ran.size(), revisions, second.reviewed()));
        return new PolicyRound(versions, firings, enqueued, ran.size(), revisions);
    }

    private static int firings(PolicyEvaluator.PassResult pass) {
        return (int) pass.changes().stream().filter(c -> "firing".equalsIgnoreCase(c.to())).count();
    }

    /**
     * The engine runs a phase's experiments within minutes; a fleet runs them over the months its
     * snapshots cover. Each experiment the phase submitted (ids firstId to lastId, run before the
     * phase's policies enqueued theirs) and everything recorded of it is moved back by a shift spread evenly over the
     * phase's stretch of hours, so the older history is older for experiments too and a question
     * bounded by a time window reads the same window on both histories. One transaction per
     * experiment, as its trials were written: the compute roll-up's rows are updated twice per
     * attempt moved, and a single transaction moving a whole phase would leave them spread over
     * pages of row versions that no production history has.
     */
    private static void backdate(ScratchDatabase scratch, long firstId, long lastId, int fromHour, int spanHours) {
        int moved = 0;
        for (long id = firstId; id <= lastId; id++) {
            long experiment = id;
            moved += scratch.jdbi().inTransaction(h -> h.createQuery(BACKDATE).bind("id", experiment).bind("first_id", firstId)
                    .bind("last_id", lastId).bind("from_hour", fromHour).bind("span_hours", spanHours).mapTo(Integer.class).one());
        }
        if (moved != lastId - firstId + 1) throw new IllegalStateException("moved " + moved + " of experiments " + firstId + " to " + lastId + " back in time");
    }

    /** As a settled production database is: statistics current, the visibility map set by (auto)vacuum. */
    private static void settle(ScratchDatabase scratch) {
        scratch.jdbi().useHandle(h -> h.execute("VACUUM ANALYZE"));
    }

    /**
     * A settled server has written the pages a load changed back to disk: the full history's build and
     * VACUUM leave gigabytes of them, and writing them back while the questions run takes the machine
     * from whichever question is timed then. CHECKPOINT needs superuser or pg_checkpoint (the embedded
     * server's user has it); false when this role lacks it.
     */
    private static boolean writtenBack(Database server) {
        try {
            server.jdbi().useHandle(h -> h.execute("CHECKPOINT"));
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && "42501".equals(sql.getSQLState())) return false;
            throw e;
        }
    }

    private static void dropRolesCreated(Database server, RoleSetup.Outcome roles) {
        List<String> created = new ArrayList<>();
        if (roles.readerCreated()) created.add(roles.names().reader());
        if (roles.conditionsCreated()) created.add(roles.names().conditions());
        server.jdbi().useHandle(h -> {
            for (String role : created) h.execute(h.createQuery(DROP_ROLE).bind("role", role).mapTo(String.class).one());
        });
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
