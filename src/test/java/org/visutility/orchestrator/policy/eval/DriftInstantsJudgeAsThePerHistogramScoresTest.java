package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.policy.spec.DriftCondition;
import org.visutility.orchestrator.policy.spec.DriftMethod;
import org.visutility.orchestrator.support.Distributions;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-row-per-instant path of drift conditions (drift_instant) gives the verdicts, observed
 * values, facts and per-feature scores the per-histogram path (distribution_score) gives, over
 * windows that take every branch: all features and listed ones, min_samples above some histograms,
 * a share, a replaced reference, segments, a feature without a reference, two instants in a window,
 * a histogram ingested after the pass's instant, and no histogram at all.
 */
@ExtendWith(PostgresExtension.class)
class DriftInstantsJudgeAsThePerHistogramScoresTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant OBSERVED = T0.plus(Duration.ofMinutes(30));
    private static final Instant PASS = T0.plus(Duration.ofMinutes(45));
    private static final double[] EDGES = {0, 1, 2, 3, 4};
    private static final long[] REFERENCE = {100, 200, 300, 400};
    private static final long[] STEADY = {110, 190, 310, 390};
    private static final long[] MOVED = {400, 300, 200, 100};
    private static final long[] FEW = {4, 3, 2, 1};

    private static final List<DriftCondition> CONDITIONS = List.of(
            new DriftCondition(null, DriftMethod.PSI, 0.2, null, Duration.ofHours(1), 0, null),
            new DriftCondition(null, DriftMethod.PSI, 0.2, 0.5, Duration.ofHours(1), 100, null),
            new DriftCondition(List.of("a", "c", "absent"), DriftMethod.JENSEN_SHANNON, 0.1, null, Duration.ofHours(1), 0, null),
            new DriftCondition(List.of("a", "b"), DriftMethod.CHI_SQUARE, 0.05, null, Duration.ofHours(1), 100, null),
            new DriftCondition(null, DriftMethod.CHI_SQUARE, 0.05, 0.3, Duration.ofHours(1), 0, null),
            new DriftCondition(null, DriftMethod.WASSERSTEIN, 0.05, null, Duration.ofHours(1), 0, null),
            new DriftCondition(null, DriftMethod.JENSEN_SHANNON, 0.1, null, Duration.ofMinutes(10), 0, null));

    /** Features a (moved), b (steady) and c (moved, few samples), each with a reference, observed at {@code at}. */
    private static Distributions threeFeatures(TestDatabase db, String model, Instant at) {
        Distributions d = Distributions.of(db.jdbi(), MetricHistory.in(db.jdbi()).model(model));
        for (String f : List.of("a", "b", "c")) d.numericReference(f, EDGES, REFERENCE);
        d.numeric(at, "a", EDGES, MOVED);
        d.numeric(at, "b", EDGES, STEADY);
        d.numeric(at, "c", EDGES, FEW);
        return d;
    }

    private static void histogramIngestedAt(TestDatabase db, String model, String feature, Instant observed, Instant ingested) {
        MetricHistory m = MetricHistory.in(db.jdbi()).model(model);
        long modelId = m.modelId();
        long versionId = m.versionId();
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.distribution_snapshot (model_id, model_version_id, observed_at, feature, kind, edges, counts,
                                                                sample_count, ingested_at)
                VALUES (:m, :v, :t, :f, 'numeric', :edges, :counts, 1000, :ingested)""")
                .bind("m", modelId).bind("v", versionId).bind("t", observed.atOffset(ZoneOffset.UTC)).bind("f", feature)
                .bind("edges", EDGES).bind("counts", MOVED).bind("ingested", ingested.atOffset(ZoneOffset.UTC)).execute());
    }

    private static List<ConditionInput> inputs(TestDatabase db, List<String> models) {
        List<ConditionInput> inputs = new ArrayList<>();
        for (String model : models) {
            long id = MetricHistory.in(db.jdbi()).model(model).modelId();
            for (DriftCondition c : CONDITIONS) inputs.add(new ConditionInput(inputs.size(), id, model, c, PASS));
        }
        return inputs;
    }

    private static Set<String> modelsJudgedPerInstant(Handle h, List<ConditionInput> inputs) {
        Set<Integer> keys = DriftKind.perInstant(h, inputs).keySet();
        return inputs.stream().filter(in -> keys.contains(in.key())).map(ConditionInput::modelName).collect(Collectors.toSet());
    }

    private static void assertBothPathsAgree(Handle h, List<ConditionInput> inputs) {
        Map<Integer, DriftKind.Summary> perInstant = DriftKind.perInstant(h, inputs);
        Map<Integer, DriftKind.Summary> perHistogram = DriftKind.perHistogram(h, inputs);
        perInstant.forEach((key, s) -> assertThat(s).as("summary of input %s", inputs.get(key)).isEqualTo(perHistogram.get(key)));
        Map<Integer, ConditionResult> served = new DriftKind().evaluate(h, inputs);
        Map<Integer, ConditionResult> expected = DriftKind.verdicts(h, inputs, perHistogram);
        assertThat(served).hasSize(inputs.size());
        for (ConditionInput in : inputs) {
            assertThat(served.get(in.key())).as("verdict of %s", in).isEqualTo(expected.get(in.key()));
        }
    }

    @Test
    void everyBranchGivesThePerHistogramVerdicts(TestDatabase db) {
        threeFeatures(db, "plain", OBSERVED);

        Distributions stale = threeFeatures(db, "stale", OBSERVED);
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE orchestrator.reference_distribution SET superseded_at = now()
                 WHERE feature = 'b' AND superseded_at IS NULL
                   AND model_version_id = (SELECT v.id FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id
                                            WHERE m.name = 'stale')""").execute());
        stale.numericReference("b", EDGES, 400, 300, 200, 100);

        Distributions segments = threeFeatures(db, "segments", OBSERVED);
        segments.segment("eu").numeric(OBSERVED, "a", EDGES, STEADY);

        Distributions unreferenced = threeFeatures(db, "unreferenced", OBSERVED);
        unreferenced.numeric(OBSERVED, "d", EDGES, MOVED);

        threeFeatures(db, "two-instants", OBSERVED);
        Distributions.of(db.jdbi(), MetricHistory.in(db.jdbi()).model("two-instants"))
                .numeric(OBSERVED.minus(Duration.ofMinutes(20)), "a", EDGES, STEADY);

        threeFeatures(db, "late", OBSERVED);
        histogramIngestedAt(db, "late", "d", OBSERVED, PASS.plus(Duration.ofMinutes(5)));

        histogramIngestedAt(db, "all-late", "a", OBSERVED, PASS.plus(Duration.ofMinutes(5)));
        MetricHistory.in(db.jdbi()).model("empty").modelId();

        List<ConditionInput> inputs = inputs(db, List.of("plain", "stale", "segments", "unreferenced",
                "two-instants", "late", "all-late", "empty"));
        db.jdbi().useHandle(h -> {
            assertThat(modelsJudgedPerInstant(h, inputs))
                    .as("one instant, all of it known at the pass: read from its one row")
                    .containsExactlyInAnyOrder("plain", "stale", "segments", "unreferenced");
            assertBothPathsAgree(h, inputs);
            Map<Integer, ConditionResult> verdicts = new DriftKind().evaluate(h, inputs);
            assertThat(verdicts.get(0).breach()).as("plain: a and c moved").isTrue();
            assertThat(verdicts.get(0).observed()).isGreaterThan(0.9);
        });
    }

    @Test
    void aRemovedHistogramLeavesItsInstant(TestDatabase db) {
        threeFeatures(db, "pruned", OBSERVED);
        histogramIngestedAt(db, "pruned", "d", OBSERVED, OBSERVED);
        db.jdbi().useHandle(h -> h.execute("""
                DELETE FROM orchestrator.distribution_snapshot d USING orchestrator.model m
                 WHERE m.id = d.model_id AND m.name = 'pruned' AND d.feature IN ('a', 'd')"""));
        List<ConditionInput> inputs = inputs(db, List.of("pruned"));
        db.jdbi().useHandle(h -> {
            assertThat(h.createQuery("""
                    SELECT i.feature_names FROM orchestrator.drift_instant i JOIN orchestrator.model m ON m.id = i.model_id
                     WHERE m.name = 'pruned'""").mapTo(String[].class).one()).containsExactly("b", "c");
            assertBothPathsAgree(h, inputs);
        });
        db.jdbi().useHandle(h -> h.execute("""
                DELETE FROM orchestrator.distribution_snapshot d USING orchestrator.model m WHERE m.id = d.model_id AND m.name = 'pruned'"""));
        db.jdbi().useHandle(h -> assertThat(h.createQuery("""
                SELECT count(*) FROM orchestrator.drift_instant i JOIN orchestrator.model m ON m.id = i.model_id
                 WHERE m.name = 'pruned'""").mapTo(Long.class).one()).isZero());
    }

    @Test
    void twoTransactionsWritingOneInstantBothLandInItsRow(TestDatabase db) throws Exception {
        MetricHistory model = MetricHistory.in(db.jdbi()).model("concurrent");
        long modelId = model.modelId();
        long versionId = model.versionId();
        String insert = """
                INSERT INTO orchestrator.distribution_snapshot (model_id, model_version_id, observed_at, feature, kind, edges, counts,
                                                                sample_count, ingested_at)
                VALUES (:m, :v, :t, :f, 'numeric', :edges, :counts, 1000, :t)""";
        try (Handle first = db.jdbi().open()) {
            first.begin();
            first.createUpdate(insert).bind("m", modelId).bind("v", versionId).bind("t", OBSERVED.atOffset(ZoneOffset.UTC))
                    .bind("f", "a").bind("edges", EDGES).bind("counts", MOVED).execute();
            // the second writer of the same instant waits for the first's row lock, then gathers both histograms
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> db.jdbi().useTransaction(h -> h.createUpdate(insert)
                    .bind("m", modelId).bind("v", versionId).bind("t", OBSERVED.atOffset(ZoneOffset.UTC))
                    .bind("f", "b").bind("edges", EDGES).bind("counts", STEADY).execute()));
            Thread.sleep(500);
            assertThat(second).as("waits for the first writer").isNotDone();
            first.commit();
            second.get(30, TimeUnit.SECONDS);
        }
        db.jdbi().useHandle(h -> assertThat(h.createQuery("""
                SELECT feature_names FROM orchestrator.drift_instant WHERE model_id = :m""").bind("m", modelId)
                .mapTo(String[].class).one()).containsExactly("a", "b"));
    }
}
