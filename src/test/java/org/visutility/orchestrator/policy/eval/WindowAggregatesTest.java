package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.Window;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The window statement takes a fleet's requests as groups of shared parameters plus one (model,
 * group) per request: requests that differ in any parameter (window, count, aggregate, instant,
 * model) in one call each get their own window, aggregate and evidence (newest first).
 */
@ExtendWith(PolicyBedExtension.class)
class WindowAggregatesTest {
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void requestsWithDifferentParametersInOneCallEachGetTheirOwnWindowAggregateAndEvidence(PolicyBed bed) {
        MetricHistory a = bed.history().model("wa-a").version("v1").from(T0).every(HOUR);
        List<Long> as = a.values(0.9, 0.8, 0.7, 0.6);
        MetricHistory b = bed.history().model("wa-b").version("v1").from(T0).every(HOUR);
        List<Long> bs = b.values(0.5, 0.4);
        Window twoHours = Window.of(Duration.ofHours(2));
        Instant t3 = T0.plus(HOUR.multipliedBy(3));
        List<WindowAggregates.Request> requests = List.of(
                request(10, a.modelId(), "accuracy", twoHours, t3, Aggregate.MEAN),
                request(11, a.modelId(), "accuracy", Window.lastSnapshots(3), t3, Aggregate.MIN),
                request(12, b.modelId(), "accuracy", twoHours, T0.plus(HOUR), Aggregate.MAX),
                request(13, a.modelId(), "accuracy", twoHours, t3, Aggregate.LAST),
                request(14, b.modelId(), "accuracy", twoHours, t3, Aggregate.MEAN),
                request(15, a.modelId(), "precision", twoHours, t3, Aggregate.MEAN),
                request(16, a.modelId(), "accuracy", twoHours, t3, null));

        Map<Integer, WindowAggregates.Stats> stats = bed.jdbi().withHandle(h -> WindowAggregates.run(h, requests));

        assertThat(stats).containsOnlyKeys(10, 11, 12, 13, 14, 15, 16);
        assertThat(stats.get(10).snapshots()).isEqualTo(2);
        assertThat(stats.get(10).value(Aggregate.MEAN)).isCloseTo(0.65, within(1e-9));
        assertThat(stats.get(10).evidence()).containsExactly(as.get(3), as.get(2));
        assertThat(stats.get(11).value(Aggregate.MIN)).isCloseTo(0.6, within(1e-9));
        assertThat(stats.get(11).evidence()).containsExactly(as.get(3), as.get(2), as.get(1));
        assertThat(stats.get(12).value(Aggregate.MAX)).isCloseTo(0.5, within(1e-9));
        assertThat(stats.get(12).evidence()).containsExactly(bs.get(1), bs.get(0));
        assertThat(stats.get(13).value(Aggregate.LAST)).isCloseTo(0.6, within(1e-9));
        assertThat(stats.get(14).snapshots()).as("b has nothing after its second hour").isZero();
        assertThat(stats.get(14).value(Aggregate.MEAN)).isNull();
        assertThat(stats.get(14).evidence()).isEmpty();
        assertThat(stats.get(15).snapshots()).as("a metric the model never reported").isZero();
        assertThat(stats.get(16).value(null)).as("no aggregate asked: counts and evidence only").isNull();
        assertThat(stats.get(16).samples()).isEqualTo(stats.get(10).samples());
        assertThat(stats.get(16).evidence()).isEqualTo(stats.get(10).evidence());
    }

    @Test
    void requestsSharingAModelAndParametersInAnyOrderEachGetTheWindowAndAModelWithoutSnapshotsGetsAnEmptyOne(PolicyBed bed) {
        MetricHistory a = bed.history().model("wa-c").version("v1").from(T0).every(HOUR);
        List<Long> as = a.values(0.9, 0.8, 0.7);
        MetricHistory b = bed.history().model("wa-d").version("v1").from(T0).every(HOUR);
        List<Long> bs = b.values(0.5, 0.3);
        long never = b.modelId() + a.modelId() + 1000; // no snapshot, not even a model
        Window twoHours = Window.of(Duration.ofHours(2));
        Instant t2 = T0.plus(HOUR.multipliedBy(2));
        // the larger model id first, the same (group, model) twice, the model without snapshots between them
        long first = Math.max(a.modelId(), b.modelId());
        long second = Math.min(a.modelId(), b.modelId());
        List<WindowAggregates.Request> requests = List.of(
                request(20, first, "accuracy", twoHours, t2, Aggregate.MEAN),
                request(21, never, "accuracy", twoHours, t2, Aggregate.MEAN),
                request(22, second, "accuracy", twoHours, t2, Aggregate.MEAN),
                request(23, first, "accuracy", twoHours, t2, Aggregate.MEAN),
                request(24, never, "accuracy", Window.lastSnapshots(2), t2, Aggregate.LAST),
                request(25, a.modelId(), "accuracy", Window.lastSnapshots(2), t2, Aggregate.LAST));

        Map<Integer, WindowAggregates.Stats> stats = bed.jdbi().withHandle(h -> WindowAggregates.run(h, requests));

        assertThat(stats).containsOnlyKeys(20, 21, 22, 23, 24, 25);
        WindowAggregates.Stats ofA = stats.get(first == a.modelId() ? 20 : 22);
        WindowAggregates.Stats ofB = stats.get(first == b.modelId() ? 20 : 22);
        assertThat(ofA.value(Aggregate.MEAN)).isCloseTo(0.75, within(1e-9));
        assertThat(ofA.evidence()).containsExactly(as.get(2), as.get(1));
        assertThat(ofB.value(Aggregate.MEAN)).as("b's first hour is at the window's open end").isCloseTo(0.3, within(1e-9));
        assertThat(ofB.evidence()).containsExactly(bs.get(1));
        assertThat(stats.get(23)).as("the same model and parameters twice: the same window for both keys").isEqualTo(stats.get(20));
        for (int empty : new int[] {21, 24}) {
            assertThat(stats.get(empty).snapshots()).isZero();
            assertThat(stats.get(empty).samples()).isZero();
            assertThat(stats.get(empty).evidence()).isEmpty();
        }
        assertThat(stats.get(21).value(Aggregate.MEAN)).isNull();
        assertThat(stats.get(24).value(Aggregate.LAST)).isNull();
        assertThat(stats.get(25).value(Aggregate.LAST)).isCloseTo(0.7, within(1e-9));
        assertThat(stats.get(25).evidence()).containsExactly(as.get(2), as.get(1));
    }

    @Test
    void askingAWindowForAnAggregateItWasNotComputedAsIsRefused() {
        WindowAggregates.Stats s = new WindowAggregates.Stats(1, 10, Aggregate.MEAN, 0.5, List.of(7L));
        assertThat(s.value(Aggregate.MEAN)).isEqualTo(0.5);
        assertThatThrownBy(() -> s.value(Aggregate.MAX)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MEAN");
    }

    @Test
    void evidenceIdsAreReadFromTheirCommaSeparatedText() {
        assertThat(WindowAggregates.ids("30,20,10")).containsExactly(30L, 20L, 10L);
        assertThat(WindowAggregates.ids("5")).containsExactly(5L);
        assertThat(WindowAggregates.ids(null)).isEmpty();
        assertThat(WindowAggregates.ids("")).isEmpty();
    }

    private static WindowAggregates.Request request(int key, long model, String metric, Window window, Instant at, Aggregate aggregate) {
        return new WindowAggregates.Request(key, model, metric, null, null, window, at, at, false, aggregate);
    }
}
