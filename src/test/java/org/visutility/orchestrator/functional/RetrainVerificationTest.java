package org.visutility.orchestrator.functional;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.Change;
import org.visutility.orchestrator.model.OperatorActions;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.policy.notify.VerificationDecided;
import org.visutility.orchestrator.policy.notify.WebhookNotifier;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;
import org.visutility.orchestrator.support.Verifications;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Post-deploy verification on stored history: a policy fires on v1, its experiment's v2 becomes
 * active (through the lifecycle, as an operator's promote does), and the policy job judges v2's
 * production snapshots after activation. The evaluation clock is the bed's; the activation time
 * is the database's, so histories are laid out around it.
 */
@ExtendWith(PolicyBedExtension.class)
class RetrainVerificationTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final String POLICY = """
            policies:
              - name: p
                model: m
                when: {metric: accuracy, window: 1h, below: 0.85, min_samples: 100}
                cooldown: 1h
            EXTRA    experiment: EXPERIMENT
            """;
    private static final String VERIFY = "    verify: {metric: accuracy, window: 6h, min_samples: 1000, within: 3d}\n";

    /** What a scenario set up: the experiment the breach enqueued and its version's activation. */
    private record Retrain(long experimentId, Change activation, Instant breachAt) {
        Instant activatedAt() {
            return activation.at();
        }

        Instant after(Duration d) {
            return activation.at().plus(d);
        }
    }

    /**
     * v1 active and below 0.85 two days ago; the policy (with {@code extra} keys) fires on it and
     * enqueues an experiment; the experiment's v2 becomes active now.
     */
    private Retrain retrain(PolicyBed bed, String extra) {
        Lifecycles.version(bed.jdbi(), "m", "v1", "active");
        Instant breachAt = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2));
        bed.history().model("m").version("v1").from(breachAt.minus(Duration.ofMinutes(50))).every(Duration.ofMinutes(10)).samples(100)
                .values(0.80, 0.80, 0.79, 0.81, 0.80, 0.80);
        bed.apply(POLICY.replace("EXTRA", extra).replace("EXPERIMENT", PolicyFiles.inlineExperiment("m")));
        bed.evaluateAt(breachAt);
        List<PolicyBed.Experiment> experiments = bed.experiments("p");
        assertThat(experiments).as("the breach enqueued an experiment").hasSize(1);
        long experiment = experiments.get(0).id();
        return new Retrain(experiment, Verifications.deploy(bed.jdbi(), experiment, "v2"), breachAt);
    }

    /** v2's production snapshots every 10 minutes from 5 minutes after activation, 100 samples each. */
    private static void v2Reports(PolicyBed bed, Retrain r, double... values) {
        bed.history().model("m").version("v2").from(r.after(Duration.ofMinutes(5))).every(Duration.ofMinutes(10)).samples(100).values(values);
    }

    private static double[] repeat(double value, int times) {
        double[] v = new double[times];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private static Verifications.Row row(PolicyBed bed, Retrain r) {
        return Verifications.of(bed.jdbi(), r.experimentId()).orElseThrow(() -> new AssertionError("no verification of " + r.experimentId()));
    }

    @Test
    void aVersionThatBringsTheMetricBackAboveTheThresholdIsRecovered(PolicyBed bed) {
        Retrain r = retrain(bed, VERIFY);
        v2Reports(bed, r, repeat(0.90, 42));

        bed.evaluateAt(r.after(Duration.ofHours(3)));
        Verifications.Row open = row(bed, r);
        assertThat(open.outcome()).as("a whole 6h window has not passed yet").isNull();
        assertThat(open.openedAt()).isEqualTo(r.activatedAt());
        assertThat(open.deadline()).isEqualTo(r.activatedAt().plus(Duration.ofDays(3)));
        assertThat(open.breachAt()).isEqualTo(r.breachAt());
        assertThat(open.baseline()).as("v1's sample-weighted mean over 6h up to the breach").isCloseTo(0.80, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(open.threshold()).isEqualTo(0.85);
        assertThat(open.basis()).isEqualTo("verify");
        assertThat(open.aggregate()).isEqualTo("weighted_mean");
        assertThat(open.direction()).isEqualTo("maximize");
        assertThat(open.window()).isEqualTo(Duration.ofHours(6));
        assertThat(open.minSamples()).isEqualTo(1000);
        long v1 = bed.jdbi().withHandle(h -> h.createQuery("SELECT id FROM orchestrator.model_version WHERE version = 'v1'").mapTo(Long.class).one());
        assertThat(open.previousVersionId()).isEqualTo(v1);
        assertThat(open.modelVersionId()).isEqualTo(r.activation().versionId());
        assertThat(bed.observer.verifications).isEmpty();

        Instant judged = r.after(Duration.ofHours(7));
        PolicyEvaluator.PassResult pass = bed.evaluateAt(judged);

        Verifications.Row done = row(bed, r);
        assertThat(done.outcome()).isEqualTo("recovered");
        assertThat(done.observed()).isCloseTo(0.90, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(done.sampleCount()).as("36 snapshots in (1h, 7h] after activation").isEqualTo(3600);
        assertThat(done.decidedAt()).isEqualTo(judged);
        assertThat(done.reason()).contains("0.9 is back at or above the threshold 0.85").contains("not worse than the baseline 0.8 of v1");
        assertThat(done.evidence()).contains("\"checks\"").doesNotContain("rollback suggested");
        assertThat(pass.verifications()).singleElement().satisfies(v -> assertThat(v.outcome()).isEqualTo("recovered"));
        assertThat(pass.openVerifications()).isZero();
        assertThat(bed.observer.verifications).singleElement().satisfies(v -> {
            assertThat(v.model()).isEqualTo("m");
            assertThat(v.version()).isEqualTo("v2");
            assertThat(v.previousVersion()).isEqualTo("v1");
            assertThat(v.rollbackSuggested()).isFalse();
        });
        assertThat(Lifecycles.statuses(bed.jdbi(), "m")).isEqualTo(Map.of("v1", "retired", "v2", "active"));

        bed.evaluateAt(r.after(Duration.ofHours(8)));
        assertThat(bed.observer.verifications).as("decided once").hasSize(1);
        assertThat(Verifications.count(bed.jdbi())).isEqualTo(1);
    }

    @Test
    void aVersionStillBelowTheThresholdIsNotRecoveredAndTheWebhookSuggestsARollback(PolicyBed bed) throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        try (WebhookNotifier webhook = new WebhookNotifier(WebhookNotifier.Settings.defaults(url))) {
            PolicyEvaluator evaluator = new PolicyEvaluator(bed.jdbi(), bed.sqlConditions, bed.clock,
                    PolicyObserver.all(List.of(bed.observer, webhook)));
            Retrain r = retrain(bed, VERIFY);
            v2Reports(bed, r, repeat(0.83, 42));

            bed.clock.set(r.after(Duration.ofHours(7)));
            evaluator.evaluateOnce();
            assertThat(webhook.awaitIdle(Duration.ofSeconds(30))).isTrue();

            Verifications.Row done = row(bed, r);
            assertThat(done.outcome()).isEqualTo("not_recovered");
            assertThat(done.observed()).isCloseTo(0.83, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(done.reason()).contains("is still below the threshold 0.85").contains("rollback suggested");
            assertThat(done.evidence()).contains("\"suggestion\": \"rollback suggested\"");
            VerificationDecided heard = bed.observer.verifications.get(0);
            assertThat(heard.rollbackSuggested()).isTrue();
            assertThat(heard.experimentId()).isEqualTo(r.experimentId());
            assertThat(bodies).filteredOn(b -> b.contains("\"retrain.verified\"")).singleElement().satisfies(b -> assertThat(b)
                    .contains("\"outcome\":\"not_recovered\"").contains("\"suggestion\":\"rollback suggested\"")
                    .contains("\"model\":\"m\"").contains("\"version\":\"v2\"").contains("\"experiment_id\":" + r.experimentId()));
            assertThat(Lifecycles.statuses(bed.jdbi(), "m")).as("the operator decides the rollback").isEqualTo(Map.of("v1", "retired", "v2", "active"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void tooFewSamplesByWithinIsInconclusive(PolicyBed bed) {
        Retrain r = retrain(bed, VERIFY);
        v2Reports(bed, r, repeat(0.95, 5)); // 500 samples, min_samples 1000

        bed.evaluateAt(r.after(Duration.ofDays(2)));
        assertThat(row(bed, r).outcome()).isNull();
        bed.evaluateAt(r.after(Duration.ofDays(3)).minus(MINUTE));
        assertThat(row(bed, r).outcome()).as("open until the deadline").isNull();

        Instant past = r.after(Duration.ofDays(3)).plus(MINUTE);
        bed.evaluateAt(past);

        Verifications.Row done = row(bed, r);
        assertThat(done.outcome()).isEqualTo("inconclusive");
        assertThat(done.decidedAt()).isEqualTo(past);
        assertThat(done.sampleCount()).isZero(); // the last 6h before the deadline hold none of v2's early snapshots
        assertThat(done.reason()).contains("too few samples by the deadline").contains("min_samples 1000");
        assertThat(bed.observer.verifications).singleElement().satisfies(v -> assertThat(v.outcome()).isEqualTo("inconclusive"));
    }

    @Test
    void aPolicyWithoutVerifyIsJudgedByItsOwnConditionAndResolveLine(PolicyBed bed) {
        Lifecycles.version(bed.jdbi(), "m", "v1", "active");
        Instant breachAt = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2));
        bed.history().model("m").version("v1").from(breachAt.minus(Duration.ofMinutes(50))).every(Duration.ofMinutes(10)).samples(100)
                .values(0.80, 0.80, 0.80, 0.80, 0.80, 0.80);
        bed.apply("""
                policies:
                  - name: p
                    model: m
                    when: {metric: accuracy, aggregate: mean, window: 1h, below: 0.85, resolve: 0.87, min_samples: 300}
                    experiment: EXPERIMENT
                """.replace("EXPERIMENT", PolicyFiles.inlineExperiment("m")));
        bed.evaluateAt(breachAt);
        long experiment = bed.experiments("p").get(0).id();
        Retrain r = new Retrain(experiment, Verifications.deploy(bed.jdbi(), experiment, "v2"), breachAt);
        v2Reports(bed, r, repeat(0.86, 12)); // above the firing line, below the resolve line

        bed.evaluateAt(r.after(Duration.ofMinutes(30)));
        assertThat(row(bed, r).outcome()).as("the condition's 1h window has not passed").isNull();
        bed.evaluateAt(r.after(Duration.ofHours(2)));

        Verifications.Row done = row(bed, r);
        assertThat(done.basis()).isEqualTo("condition");
        assertThat(done.aggregate()).isEqualTo("mean");
        assertThat(done.window()).isEqualTo(Duration.ofHours(1));
        assertThat(done.minSamples()).isEqualTo(300);
        assertThat(done.within()).isEqualTo(Duration.ofDays(3));
        assertThat(done.threshold()).as("the resolve line: where the policy itself would resolve").isEqualTo(0.87);
        assertThat(done.outcome()).isEqualTo("not_recovered");
        assertThat(done.sampleCount()).isEqualTo(600);
        assertThat(done.reason()).contains("mean(accuracy, 1h) of v2 0.86 is still below the threshold 0.87");
    }

    @Test
    void thePolicyDoesNotFireAgainForTheModelWhileTheVerificationIsOpenAndDoesOnceItIsDecided(PolicyBed bed) {
        Retrain r = retrain(bed, VERIFY);
        // good for 2.5 hours, then below the line again
        double[] values = new double[42];
        for (int i = 0; i < values.length; i++) values[i] = i < 15 ? 0.90 : 0.80;
        v2Reports(bed, r, values);

        bed.evaluateAt(r.after(Duration.ofHours(2)));
        assertThat(bed.state("p")).isEqualTo("resolved");
        bed.evaluateAt(r.after(Duration.ofHours(4)));
        assertThat(bed.state("p")).isEqualTo("firing");
        PolicyBed.Evaluation refired = bed.evaluations("p").get(bed.evaluations("p").size() - 1);
        assertThat(refired.to()).isEqualTo("firing");
        assertThat(refired.experimentId()).isNull();
        assertThat(refired.detail()).contains("\"enqueue\": false")
                .contains("verification of experiment " + r.experimentId() + " is open");
        // the same as columns of lineage.policy_history: what held it back, until the verification's deadline at the latest
        Map<String, Object> held = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT ph.event, ph.held_back_by, ph.blocking_experiment_id, ph.held_back_until = rv.deadline AS until_deadline
                  FROM lineage.policy_history ph
                  JOIN orchestrator.retrain_verification rv ON rv.experiment_id = ph.blocking_experiment_id
                 WHERE ph.evaluation_id = :id""").bind("id", refired.id()).mapToMap().one());
        assertThat(held).containsEntry("event", "held_back").containsEntry("held_back_by", "open_verification")
                .containsEntry("blocking_experiment_id", r.experimentId()).containsEntry("until_deadline", true);
        assertThat(bed.experiments("p")).as("held back, past the cooldown").hasSize(1);

        bed.evaluateAt(r.after(Duration.ofHours(7)));
        assertThat(row(bed, r).outcome()).isEqualTo("not_recovered");
        assertThat(bed.experiments("p")).as("released in the pass that decided the verification").hasSize(2);
    }

    @Test
    void aVersionRolledBackBeforeItCouldBeJudgedIsInconclusiveAtOnceAndNoLongerHoldsThePolicyBack(PolicyBed bed) {
        Retrain r = retrain(bed, VERIFY);
        v2Reports(bed, r, repeat(0.80, 6));
        bed.evaluateAt(r.after(HOUR));
        assertThat(row(bed, r).outcome()).isNull();

        Instant rolledBack = bed.jdbi().inTransaction(h -> OperatorActions.rollback(h, "m", Actor.operator("--actor", "bob"),
                "v2 hurts conversions").changes().get(0).at());
        bed.evaluateAt(r.after(Duration.ofHours(2)));

        Verifications.Row done = row(bed, r);
        assertThat(done.outcome()).isEqualTo("inconclusive");
        assertThat(done.reason()).contains("v2 stopped being active at " + rolledBack + " before it could be judged");
        assertThat(Lifecycles.statuses(bed.jdbi(), "m")).isEqualTo(Map.of("v1", "active", "v2", "retired"));
        assertThat(bed.experiments("p")).as("the still-firing policy retrains again (its cooldown is over)").hasSize(2);
    }

    @Test
    void aVersionNotProducedByAPolicyIsNotVerified(PolicyBed bed) {
        Lifecycles.version(bed.jdbi(), "m", "v1", "active");
        Lifecycles.version(bed.jdbi(), "m", "v0", "retired");
        bed.apply(POLICY.replace("EXTRA", VERIFY).replace("EXPERIMENT", PolicyFiles.inlineExperiment("m")));
        bed.evaluateAt(Instant.now());
        assertThat(Verifications.count(bed.jdbi())).isZero();
    }
}
