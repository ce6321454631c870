package org.visutility.orchestrator.ops;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /metrics must not lag GET /health on stuck and orphaned runs: both read the same counts. */
@ExtendWith(PostgresExtension.class)
class StuckRunGaugesFollowHealthTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void addRegistry() {
        Metrics.addRegistry(registry);
    }

    @AfterEach
    void removeRegistry() {
        Metrics.removeRegistry(registry);
    }

    @Test
    void aRunThatHealthJustFoundStuckIsInTheGaugesAtOnce(TestDatabase db) {
        StuckRunCounts counts = new StuckRunCounts(db.jdbi(), Duration.ofMinutes(1));
        StuckRunsHealth health = new StuckRunsHealth(counts);
        try (ExperimentGauges gauges = new ExperimentGauges(db.jdbi(), counts)) {
            assertThat(gauge(ExperimentGauges.STUCK)).isZero();
            assertThat(gauge(ExperimentGauges.ORPHANED)).isZero();

            long orphan = Experiments.queue(db, Experiments.sphere(2, 1));
            db.jdbi().useHandle(h -> h.createUpdate("""
                    UPDATE orchestrator.experiment SET status = 'running', owner = 'a-node-long-gone', version = 1, attempt = 1,
                           started_at = now() - interval '1 hour', heartbeat_at = now() - interval '1 hour'
                     WHERE id = :id""").bind("id", orphan).execute());

            assertThat(health.report()).containsEntry("stuck", 1L).containsEntry("orphaned", 1L);
            // within the experiment gauges' own five-second cache, the stuck gauges already say what /health said
            assertThat(gauge(ExperimentGauges.STUCK)).isEqualTo(1.0);
            assertThat(gauge(ExperimentGauges.ORPHANED)).isEqualTo(1.0);
        }
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
