package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.experiment.ObjectiveChoice;
import org.visutility.orchestrator.tuning.pareto.Objectives;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A trainer's reported references are checked by the rules of references set FILE when its trial completes. */
class TrialJudgeReferencesTest {
    private static final ObjectiveChoice ACCURACY =
            new ObjectiveChoice(Objectives.of(new Objective("accuracy", Direction.MAXIMIZE)), Optional.empty());

    private static TrialJudge.Verdict judge(String references) throws Exception {
        return TrialJudge.judge(TrialResult.complete(Map.of("accuracy", 0.9), Optional.empty(), Optional.of(Json.MAPPER.readTree(references))),
                ACCURACY, null);
    }

    @Test
    void validReferencesAreKeptForTheTrialRow() throws Exception {
        TrialJudge.Verdict v = judge("{\"features\": [{\"feature\": \"plan\", \"kind\": \"categorical\", \"counts\": {\"monthly\": 3}}]}");

        assertThat(v.status()).isEqualTo(TrialStatus.COMPLETE);
        assertThat(v.references()).hasValueSatisfying(json -> assertThat(json).contains("\"monthly\""));
    }

    @Test
    void brokenReferencesFailTheTrialNamingTheFieldAndRule() throws Exception {
        TrialJudge.Verdict v = judge("{\"features\": [{\"feature\": \"age\", \"kind\": \"numeric\", \"bins\": [0, 5], \"counts\": [-1]}]}");

        assertThat(v.status()).isEqualTo(TrialStatus.FAILED);
        assertThat(v.error()).contains("features[0].counts[0] must be a non-negative whole number");
        assertThat(v.references()).isEmpty();
    }
}
