package org.visutility.orchestrator.concurrent;

import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Slow;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.MutableClock;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A breach seen by two evaluators at the same moment opens exactly one experiment: two evaluators
 * on separate connection pools, lined up after deciding and before writing (the worst moment);
 * the partial unique index on its own; and two serving nodes with the real Quartz job.
 */
@Slow
@ExtendWith(PolicyBedExtension.class)
class TwoEvaluatorsOpenOneExperimentTest {
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final int MODELS = 20;
    private static final int ROUNDS = 5;


    private void breachOnEveryModel(PolicyBed bed) {
        StringBuilder yaml = new StringBuilder("policies:\n");
        for (int i = 0; i < MODELS; i++) {
            String model = "m" + i;
            bed.history().model(model).from(T0).every(Duration.ofMinutes(1)).values(0.9, 0.5);
            yaml.append("  - {name: p").append(i).append(", model: ").append(model)
                    .append(", when: {metric: accuracy, snapshots: 1, below: 0.85}, cooldown: 1m, experiment: ")
                    .append(PolicyFiles.inlineExperiment(model)).append("}\n");
        }
        bed.apply(yaml.toString());
    }

    private Jdbi separatePool(PolicyBed bed, List<HikariDataSource> pools) {
        HikariDataSource ds = DatabaseConnector.pool(bed.db.url(), bed.db.user(), bed.db.password(), 2);
        pools.add(ds);
        return Jdbi.create(ds).installPlugin(new PostgresPlugin());
    }

    @Test
    void twoEvaluatorsRacingOverTheSameBreachesOpenOneExperimentPerModel(PolicyBed bed) throws Exception {
        breachOnEveryModel(bed);
        MutableClock clock = new MutableClock(T0);
        CyclicBarrier lineUp = new CyclicBarrier(2);
        Runnable atTheSameMoment = () -> {
            try {
                lineUp.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other evaluator did not arrive", e);
            }
        };
        List<HikariDataSource> pools = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            PolicyEvaluator a = new PolicyEvaluator(separatePool(bed, pools), bed.sqlConditions, clock, PolicyObserver.NONE, atTheSameMoment);
            PolicyEvaluator b = new PolicyEvaluator(separatePool(bed, pools), bed.sqlConditions, clock, PolicyObserver.NONE, atTheSameMoment);
            int writtenInTotal = 0;
            for (int round = 0; round < ROUNDS; round++) {
                // round 0 fires every model; later rounds (past the 1m cooldown, the experiments
                // closed) race over re-enqueueing the still-firing ones
                clock.set(T0.plus(Duration.ofMinutes(1 + 2L * round)));
                Future<PolicyEvaluator.PassResult> ra = threads.submit(a::evaluateOnce);
                Future<PolicyEvaluator.PassResult> rb = threads.submit(b::evaluateOnce);
                PolicyEvaluator.PassResult x = ra.get(60, TimeUnit.SECONDS);
                PolicyEvaluator.PassResult y = rb.get(60, TimeUnit.SECONDS);
                assertThat(x.evaluated()).isEqualTo(MODELS);
                assertThat(y.evaluated()).isEqualTo(MODELS);
                assertThat(x.written() + y.written()).as("each (policy, model) written by exactly one evaluator").isEqualTo(MODELS);
                writtenInTotal += x.written() + y.written();
                assertThat(x.experiments().size() + y.experiments().size()).as("round " + round).isEqualTo(MODELS);

                int open = bed.jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM orchestrator.experiment WHERE status = 'queued'").mapTo(Integer.class).one());
                assertThat(open).isEqualTo(MODELS);
                bed.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE orchestrator.experiment SET status = 'failed', finished_at = :t WHERE status = 'queued'""")
                        .bind("t", clock.instant().atOffset(java.time.ZoneOffset.UTC)).execute());
            }
            assertThat(writtenInTotal).isEqualTo(MODELS * ROUNDS);
            for (int i = 0; i < MODELS; i++) {
                assertThat(bed.experiments("p" + i)).as("p" + i).hasSize(ROUNDS);
                assertThat(bed.evaluations("p" + i)).as("one recorded decision per round").hasSize(ROUNDS)
                        .allSatisfy(e -> assertThat(e.experimentId()).isNotNull());
            }
        } finally {
            threads.shutdownNow();
            pools.forEach(HikariDataSource::close);
        }
    }

    @Test
    void thePartialUniqueIndexAloneRefusesASecondOpenExperimentForAModelAndPolicy(PolicyBed bed) {
        breachOnEveryModel(bed);
        bed.evaluateAt(T0.plus(Duration.ofMinutes(1)));
        PolicyBed.Experiment first = bed.experiments("p0").get(0);

        // as if code had skipped every check: a plain INSERT of a second open experiment
        assertThatThrownBy(() -> bed.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.experiment (model_id, policy_id, trigger, spec, spec_sha256, status)
                SELECT model_id, policy_id, 'policy', spec, spec_sha256, 'running' FROM orchestrator.experiment WHERE id = :id""")
                .bind("id", first.id()).execute()))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("experiment_one_open_per_policy");
    }

    @Test
    void twoServingNodesWithTheClusteredJobOpenOneExperimentForOneBreach(PolicyBed bed) throws Exception {
        bed.history().model("churn").from(Instant.now().minus(Duration.ofMinutes(5))).every(Duration.ofMinutes(1)).values(0.5, 0.5, 0.5);
        bed.apply("""
                policies:
                  - name: churn-floor
                    model: churn
                    when: {metric: accuracy, window: 1h, below: 0.85}
                    experiment: EXPERIMENT
                """.replace("EXPERIMENT", PolicyFiles.inlineExperiment("churn")));
        // the experiment stays queued: serve also runs experiments, and this one's trainer would fail it
        Map<String, String> env = bed.db.environment(Map.of("ORCHESTRATOR_POLICY_INTERVAL", "300ms",
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "1s", "ORCHESTRATOR_DISPATCH_INTERVAL", "1h"));
        try (ChildNode a = ChildNode.start(env, bed.dir().resolve("a.log"), "serve");
             ChildNode b = ChildNode.start(env, bed.dir().resolve("b.log"), "serve")) {
            a.awaitServing(Duration.ofSeconds(60));
            b.awaitServing(Duration.ofSeconds(60));
            // wait for the firing pass, then until the job has fired ten intervals later
            Await.until("the breach to fire", Duration.ofSeconds(90), () -> !bed.experiments("churn-floor").isEmpty());
            long quietUntil = bed.experiments("churn-floor").get(0).queuedAt().toEpochMilli() + 10 * 300;
            Await.until("the job to keep running after the firing pass", Duration.ofSeconds(60), () -> bed.jdbi().withHandle(h -> h.createQuery(
                    "SELECT prev_fire_time FROM quartz.qrtz_triggers WHERE trigger_name = 'evaluate-policies'").mapTo(Long.class).one()) > quietUntil);
            // the nodes also run experiments now: the one experiment may have been launched already
            assertThat(bed.experiments("churn-floor")).singleElement()
                    .satisfies(e -> assertThat(e.status()).isIn("queued", "running", "succeeded"));
            assertThat(bed.evaluations("churn-floor")).singleElement().satisfies(e -> assertThat(e.to()).isEqualTo("firing"));
            String trigger = bed.jdbi().withHandle(h -> h.createQuery("""
                    SELECT t.trigger_type || ' every ' || s.repeat_interval || 'ms, misfire ' || t.misfire_instr
                      FROM quartz.qrtz_triggers t JOIN quartz.qrtz_simple_triggers s USING (sched_name, trigger_name, trigger_group)
                     WHERE t.trigger_name = 'evaluate-policies'""").mapTo(String.class).one());
            assertThat(trigger).isEqualTo("SIMPLE every 300ms, misfire 2");
            boolean disallowed = bed.jdbi().withHandle(h -> h.createQuery(
                    "SELECT is_nonconcurrent FROM quartz.qrtz_job_details WHERE job_name = 'evaluate-policies'").mapTo(Boolean.class).one());
            assertThat(disallowed).isTrue();
        }
    }
}
