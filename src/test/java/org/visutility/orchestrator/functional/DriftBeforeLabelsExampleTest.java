package org.visutility.orchestrator.functional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.app.demo.DriftBeforeLabels;
import org.visutility.orchestrator.collect.CollectModule;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.OperatorActions;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.Slow;
import org.visutility.orchestrator.support.SnapshotApi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/drift-before-labels as shipped, on the demo's drifted windows of the breast cancer data:
 * v1's references set from its training rows by {@code references set}, each window's histograms
 * posted through POST /api/v1/distributions, a policy pass fires the drift rule while no label
 * exists, then the windows' realised accuracy arrives through POST /api/v1/snapshots and the next
 * pass reconciles the decision as confirmed.
 */
@Slow
@ExtendWith(PolicyBedExtension.class)
class DriftBeforeLabelsExampleTest {
    private static final Path EXAMPLE = Path.of("examples/drift-before-labels");
    private static final String POLICY = "breast-cancer-size-drift";
    private static final Duration SPACING = Duration.ofMinutes(5);

    @Test
    void theDriftRuleFiresOnTheDemosDriftedWindowsBeforeAnyLabelAndIsConfirmedWhenTheLabelsLand(PolicyBed bed) throws Exception {
        DriftBeforeLabels example = DriftBeforeLabels.seeded();
        Path artifact = bed.dir().resolve("v1.tribuo");
        example.v1().save(artifact);
        bed.jdbi().useTransaction(h -> OperatorActions.register(h, DriftBeforeLabels.MODEL, DriftBeforeLabels.VERSION, artifact.toString(),
                Actor.operator("example", "example"), "trained before the drift"));
        Path references = bed.dir().resolve("references.json");
        Files.writeString(references, example.references().toString());
        Cli.Run set = Cli.run(bed.db.environment(Map.of()), "references", "set", DriftBeforeLabels.MODEL, DriftBeforeLabels.VERSION,
                references.toString());
        assertThat(set.status()).as(set.out() + set.err()).isZero();
        Files.copy(EXAMPLE.resolve("tuning.yaml"), bed.dir().resolve("tuning.yaml"));
        bed.apply(Files.readString(EXAMPLE.resolve("policy.yaml")));

        try (Node node = Node.start(bed.db.config(), List.of(new CollectModule()))) {
            SnapshotApi distributions = new SnapshotApi(node.httpPort(), "/api/v1/distributions");
            SnapshotApi snapshots = new SnapshotApi(node.httpPort());
            int windows = DriftBeforeLabels.windows();
            Instant last = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant[] at = new Instant[windows];
            for (int w = 0; w < windows; w++) {
                at[w] = last.minus(SPACING.multipliedBy(windows - 1 - w));
                SnapshotApi.Answer a = distributions.postJson(example.distributions(w, at[w]).toString());
                assertThat(a.status()).as("window %d: %s", w, a.body()).isEqualTo(200);
            }

            Instant decided = Instant.now();
            bed.evaluateAt(decided);
            assertThat(metricSnapshots(bed)).as("no label has arrived").isZero();
            assertThat(bed.state(POLICY)).isEqualTo("firing");
            PolicyBed.Evaluation firing = bed.evaluations(POLICY).get(0);
            assertThat(firing.to()).isEqualTo("firing");
            assertThat(drifted(bed, firing.id())).as("the size features moved, texture did not")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("mean_radius", true, "mean_area", true, "worst_perimeter", true, "mean_texture", false));
            assertThat(verdict(bed, firing.id())).isEqualTo("pending");

            // the biopsy results land: each window's realised accuracy, as the label pipeline reports it
            double weighted = 0;
            long samples = 0;
            for (int w = 0; w < windows; w++) {
                SnapshotApi.Answer a = snapshots.postJson(example.realised(w, at[w]).toString());
                assertThat(a.status()).as("window %d: %s", w, a.body()).isEqualTo(200);
                if (at[w].isAfter(decided.minus(Duration.ofMinutes(30)))) {
                    int n = example.window(w).size();
                    weighted += example.v1().score(example.window(w)).accuracy() * n;
                    samples += n;
                }
            }
            bed.evaluateAt(Instant.now());

            Map<String, Object> r = bed.jdbi().withHandle(h -> h.createQuery("""
                    SELECT verdict, realised_metric, realised_value, realised_samples FROM lineage.decision_reconciliation
                     WHERE evaluation_id = :id""").bind("id", firing.id()).mapToMap().one());
            assertThat(r).containsEntry("verdict", "confirmed").containsEntry("realised_metric", "accuracy")
                    .containsEntry("realised_samples", samples);
            assertThat((Double) r.get("realised_value")).isCloseTo(weighted / samples, org.assertj.core.api.Assertions.within(1e-9))
                    .isLessThan(0.9);
        }
    }

    private static long metricSnapshots(PolicyBed bed) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.metric_snapshot").mapTo(Long.class).one());
    }

    private static Map<String, Boolean> drifted(PolicyBed bed, long evaluation) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT feature, drifted FROM orchestrator.drift_evidence WHERE evaluation_id = :id")
                .bind("id", evaluation).reduceRows(new java.util.HashMap<String, Boolean>(), (m, row) -> {
                    m.put(row.getColumn("feature", String.class), row.getColumn("drifted", Boolean.class));
                    return m;
                }));
    }

    private static String verdict(PolicyBed bed, long evaluation) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT verdict FROM lineage.decision_reconciliation WHERE evaluation_id = :id")
                .bind("id", evaluation).mapTo(String.class).one());
    }
}
