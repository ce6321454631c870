package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statistics every bench reports its figures with. */
class RepetitionsTest {

    @Test
    void theFirstMeasurementIsTheWarmUpAndStaysOutOfTheSpread() {
        List<Double> produced = new ArrayList<>(List.of(50.0, 3.0, 1.0, 2.0));
        Repetitions r = Repetitions.measure("ms", 3, () -> produced.remove(0));

        assertThat(r.warmUp()).isEqualTo(50.0);
        assertThat(r.values()).containsExactly(3.0, 1.0, 2.0);
        assertThat(r.min()).isEqualTo(1.0);
        assertThat(r.median()).isEqualTo(2.0);
        assertThat(r.max()).isEqualTo(3.0);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoInTheMiddle() {
        assertThat(Repetitions.of("ms", 4, 1, 3, 10).median()).isEqualTo(3.5);
    }

    @Test
    void aRatioDividesEachRepetitionByTheBaselineOfTheSameRepetitionAndTheWarmUpByTheBaselinesMedian() {
        Repetitions trials = new Repetitions("ms", 9, new double[]{2, 3, 4});
        Repetitions commits = new Repetitions("ms", 5, new double[]{1, 2, 2});

        Repetitions ratio = trials.over(commits);

        assertThat(ratio.unit()).isEqualTo("ratio");
        assertThat(ratio.values()).containsExactly(2.0, 1.5, 2.0);
        assertThat(ratio.warmUp()).isEqualTo(4.5);
    }

    @Test
    void theJsonCarriesTheSpreadEveryRepetitionAndTheWarmUp() {
        JsonNode n = new Repetitions("ms", 7.25, new double[]{1.0004, 3, 2}).toJson();

        assertThat(n.get("unit").asText()).isEqualTo("ms");
        assertThat(n.get("min").asDouble()).isEqualTo(1.0);
        assertThat(n.get("median").asDouble()).isEqualTo(2.0);
        assertThat(n.get("max").asDouble()).isEqualTo(3.0);
        assertThat(n.get("repetitions")).extracting(JsonNode::asDouble).containsExactly(1.0, 3.0, 2.0);
        assertThat(n.get("warm_up").asDouble()).isEqualTo(7.25);
        assertThat(Repetitions.of("ms", 1, 2, 3).toJson().has("warm_up")).isFalse();
    }

    @Test
    void theTextNamesTheMedianTheSpreadAndTheWarmUp() {
        assertThat(new Repetitions("ms", 3.9, new double[]{2.3, 2.41, 2.66}).text())
                .isEqualTo("2.41 ms (min 2.30, max 2.66 over 3 repetitions; warm-up 3.90)");
        assertThat(Repetitions.of("ms", 12.5, 11, 14).text()).isEqualTo("12.5 ms (min 11.0, max 14.0 over 3 repetitions)");
    }

    @Test
    void aFigureNeedsAtLeastOneRepetition() {
        assertThatThrownBy(() -> Repetitions.of("ms")).isInstanceOf(IllegalArgumentException.class);
    }
}
