package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FloatParameterTest {
    private static final FloatParameter HUGE = new FloatParameter("x", -1e308, 1e308, false, null);

    @Test
    void aRangeNearTheLargestDoublesIsSampledAcrossItNotAtItsTop() {
        Random random = new Random(1);
        int below = 0;
        int above = 0;
        for (int i = 0; i < 1000; i++) {
            double v = HUGE.sample(random).asDouble();
            assertThat(v).isFinite().isBetween(-1e308, 1e308);
            if (v < 0) below++;
            else above++;
        }
        assertThat(below).isGreaterThan(400);
        assertThat(above).isGreaterThan(400);
        assertThat(HUGE.position(DoubleNode.valueOf(0))).isEqualTo(0.5);
        assertThat(HUGE.position(DoubleNode.valueOf(1e308))).isEqualTo(1.0);
        assertThat(HUGE.gridValues(3)).extracting(JsonNode::asDouble).containsExactly(-1e308, 0.0, 1e308);
        FloatParameter widest = new FloatParameter("w", -Double.MAX_VALUE, Double.MAX_VALUE, false, null);
        assertThat(widest.sample(new Random(2)).asDouble()).isFinite();
        assertThat(new FloatParameter("l", 1e-300, 1e300, true, null).sample(new Random(3)).asDouble()).isFinite().isBetween(1e-300, 1e300);
    }

    @Test
    void anOrdinaryRangeIsSampledExactlyAsBeforeTheHugeRangeFix() {
        Random random = new Random(7);
        for (double[] range : List.of(new double[] {-1, 1}, new double[] {1e-4, 0.1}, new double[] {-3.7, 12.25}, new double[] {0, 1e6})) {
            FloatParameter p = new FloatParameter("x", range[0], range[1], false, null);
            for (int i = 0; i < 200; i++) {
                long seed = random.nextLong();
                double u = new Random(seed).nextDouble();
                double before = Math.min(range[1], Math.max(range[0], range[0] + u * (range[1] - range[0])));
                assertThat(p.sample(new Random(seed)).asDouble()).isEqualTo(before);
            }
        }
    }
}
