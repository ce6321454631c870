package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;
import org.visutility.orchestrator.policy.spec.Window;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A window's evidence ids over a primitive array behave as the list of the same ids, and a verdict keeps them as they are. */
class EvidenceIdsTest {
    private static final ThresholdCondition FLOOR = new ThresholdCondition("accuracy", Aggregate.MEAN, Window.of(Duration.ofHours(1)),
            ThresholdCondition.Direction.BELOW, 0.8, null, 1);

    @Test
    void parsedIdsEqualTheListOfTheSameIdsInTheirOrder() {
        List<Long> ids = EvidenceIds.parse("30,20,10");
        assertThat(ids).isEqualTo(List.of(30L, 20L, 10L));
        assertThat(List.of(30L, 20L, 10L)).isEqualTo(ids);
        assertThat(ids.hashCode()).isEqualTo(List.of(30L, 20L, 10L).hashCode());
        assertThat(ids).hasToString("[30, 20, 10]");
        assertThat(EvidenceIds.parse("")).isEqualTo(List.of());
        assertThat(EvidenceIds.parse((String) null)).isEmpty();
    }

    @Test
    void theTextsBytesParseToTheSameIdsAsTheText() {
        for (String text : List.of("30,20,10", "7", "9007199254740993,1", "9223372036854775807", "")) {
            assertThat(EvidenceIds.parse(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).as(text)
                    .isEqualTo(EvidenceIds.parse(text));
        }
        assertThat(EvidenceIds.parse((byte[]) null)).isEmpty();
        for (String bad : List.of("1,,2", "1,", ",1", "1;2", "-1", "12a", "9223372036854775808")) {
            assertThatThrownBy(() -> EvidenceIds.parse(bad.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).as(bad)
                    .isInstanceOf(NumberFormatException.class);
        }
    }

    @Test
    void parsedIdsCannotBeChanged() {
        List<Long> ids = EvidenceIds.parse("7,8");
        assertThatThrownBy(() -> ids.set(0, 9L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ids.add(9L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ids.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aVerdictKeepsParsedIdsAndCopiesAnyOtherList() {
        List<Long> parsed = EvidenceIds.parse("3,2,1");
        assertThat(ConditionResult.of(FLOOR, true, false, 0.7, 0.8, parsed, null).evidence()).isSameAs(parsed);
        java.util.ArrayList<Long> mutable = new java.util.ArrayList<>(List.of(3L, 2L, 1L));
        List<Long> kept = ConditionResult.of(FLOOR, true, false, 0.7, 0.8, mutable, null).evidence();
        mutable.clear();
        assertThat(kept).containsExactly(3L, 2L, 1L);
    }
}
