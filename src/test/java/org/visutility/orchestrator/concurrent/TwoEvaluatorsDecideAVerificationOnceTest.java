package org.visutility.orchestrator.concurrent;

import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.model.Change;
import org.visutility.orchestrator.policy.eval.RetrainVerifier;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;
import org.visutility.orchestrator.support.Verifications;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two evaluators (separate connection pools) verifying the same retrain at once: the verification
 * is opened once, and decided (and notified) once even when both have judged it and write at the
 * same moment.
 */
@ExtendWith(PolicyBedExtension.class)
class TwoEvaluatorsDecideAVerificationOnceTest {

    private Change deployedRetrain(PolicyBed bed) {
        Lifecycles.version(bed.jdbi(), "m", "v1", "active");
        Instant breachAt = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2));
        bed.history().model("m").version("v1").from(breachAt.minus(Duration.ofMinutes(30))).every(Duration.ofMinutes(10)).samples(100)
                .values(0.8, 0.8, 0.8, 0.8);
        bed.apply("""
                policies:
                  - name: p
                    model: m
                    when: {metric: accuracy, window: 1h, below: 0.85}
                    verify: {metric: accuracy, window: 1h, min_samples: 300}
                    experiment: EXPERIMENT
                """.replace("EXPERIMENT", PolicyFiles.inlineExperiment("m")));
        bed.evaluateAt(breachAt);
        Change activation = Verifications.deploy(bed.jdbi(), bed.experiments("p").get(0).id(), "v2");
        bed.history().model("m").version("v2").from(activation.at().plus(Duration.ofMinutes(5))).every(Duration.ofMinutes(10)).samples(100)
                .values(0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9);
        return activation;
    }

    private static Jdbi separatePool(PolicyBed bed, List<HikariDataSource> pools) {
        HikariDataSource ds = DatabaseConnector.pool(bed.db.url(), bed.db.user(), bed.db.password(), 2);
        pools.add(ds);
        return Jdbi.create(ds).installPlugin(new PostgresPlugin());
    }

    private static List<RetrainVerifier.Result> race(List<Jdbi> pools, List<RetrainVerifier> verifiers, Instant at) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<RetrainVerifier.Result>> futures = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Jdbi jdbi = pools.get(i);
                RetrainVerifier verifier = verifiers.get(i);
                futures.add(threads.submit(() -> jdbi.withHandle(h -> verifier.pass(h, at))));
            }
            List<RetrainVerifier.Result> results = new ArrayList<>();
            for (Future<RetrainVerifier.Result> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoEvaluatorsOpenTheVerificationOnceAndDecideItOnce(PolicyBed bed) throws Exception {
        Change activation = deployedRetrain(bed);
        CyclicBarrier lineUp = new CyclicBarrier(2);
        Runnable atTheSameMoment = () -> {
            try {
                lineUp.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other evaluator did not arrive", e);
            }
        };
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            List<Jdbi> jdbis = List.of(separatePool(bed, pools), separatePool(bed, pools));

            List<RetrainVerifier.Result> opening = race(jdbis, List.of(new RetrainVerifier(), new RetrainVerifier()),
                    activation.at().plus(Duration.ofMinutes(30)));
            assertThat(opening.get(0).opened() + opening.get(1).opened()).as("opened by exactly one").isEqualTo(1);
            assertThat(Verifications.count(bed.jdbi())).isEqualTo(1);

            // both judge it, then both write at the same moment
            List<RetrainVerifier.Result> deciding = race(jdbis,
                    List.of(new RetrainVerifier(atTheSameMoment), new RetrainVerifier(atTheSameMoment)),
                    activation.at().plus(Duration.ofHours(2)));
            assertThat(deciding.get(0).decided().size() + deciding.get(1).decided().size()).as("decided by exactly one").isEqualTo(1);
            assertThat(deciding).allSatisfy(r -> assertThat(r.open()).isZero());
            Verifications.Row row = Verifications.of(bed.jdbi(), bed.experiments("p").get(0).id()).orElseThrow();
            assertThat(row.outcome()).isEqualTo("recovered");
            assertThat(row.sampleCount()).isEqualTo(600);
        } finally {
            pools.forEach(HikariDataSource::close);
        }
    }
}
