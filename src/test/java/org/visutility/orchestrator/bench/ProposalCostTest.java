package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** bench trials --proposals-only works end to end without a database (its figures are not asserted). */
class ProposalCostTest {
    @Test
    void proposalsOnlyTimesTheStrategyAtOneThousandTrialsAndAtTheEndWithoutADatabase() throws Exception {
        Cli.Run run = Cli.run(Map.of(), "bench", "trials", "--strategy", "random", "--trials", "2000", "--proposals-only", "--json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode r = Json.MAPPER.readTree(run.out());
        assertThat(r.get("proposals_only").asBoolean()).isTrue();
        for (String figure : new String[]{"ms_per_proposal_trials_501_to_1000", "ms_per_proposal_last_500", "last_500_over_trials_501_to_1000"}) {
            assertThat(r.get(figure).get("repetitions")).as(figure).hasSize(Repetitions.MIN_REPETITIONS);
            // random search proposes in microseconds: the rounded figures may be 0
            assertThat(r.get(figure).get("min").asDouble()).as(figure).isNotNegative()
                    .isLessThanOrEqualTo(r.get(figure).get("median").asDouble());
        }
        assertThat(r.get("growth_goal").get("at_most").asDouble()).isEqualTo(1.3);
    }

    @Test
    void proposalsOnlyNeedsTwoThousandTrials() {
        Cli.Run run = Cli.run(Map.of(), "bench", "trials", "--strategy", "tpe", "--trials", "1000", "--proposals-only");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--proposals-only needs --trials 2000 or more (is 1000)");
    }
}
