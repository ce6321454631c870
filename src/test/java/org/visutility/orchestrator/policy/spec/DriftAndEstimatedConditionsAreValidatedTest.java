package org.visutility.orchestrator.policy.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.support.PolicyFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** drift: and estimated: conditions are read into their records, and every mistake is named with its field and rule. */
class DriftAndEstimatedConditionsAreValidatedTest {
    @TempDir
    Path dir;

    private PolicyFile parse(String when) {
        return PolicyFileParser.parse("""
                policies:
                  - name: p
                    model: churn
                    when: WHEN
                    experiment: EXPERIMENT
                """.replace("WHEN", when).replace("EXPERIMENT", PolicyFiles.inlineExperiment("churn")), "policies.yaml", dir);
    }

    private List<String> problems(String when) {
        return catchThrowableOfType(PolicyFileException.class, () -> parse(when)).problems().stream()
                .map(p -> p.field() + ": " + p.reason()).toList();
    }

    @Test
    void aDriftConditionReadsBackFromItsStoredForm() {
        PolicySpec spec = parse("{drift: {features: [tenure, plan, prediction], method: psi, above: 0.2, share: 0.3, window: 6h,"
                + " min_samples: 500, reconcile: {metric: accuracy, below: 0.85}}}").specs().get(0);
        DriftCondition c = (DriftCondition) spec.conditions().get(0);
        assertThat(c).isEqualTo(new DriftCondition(List.of("tenure", "plan", "prediction"), DriftMethod.PSI, 0.2, 0.3,
                Duration.ofHours(6), 500, new Reconcile("accuracy", ThresholdCondition.Direction.BELOW, 0.85)));
        assertThat(c.describe()).isEqualTo("drift(psi of tenure, plan, prediction, 6h) above 0.2 in 30% of features");
        assertThat(PolicyFileParser.readStored(spec.toJson()).conditions()).containsExactly(c);
    }

    @Test
    void chiSquareIsJudgedOnItsPValueAndAllFeaturesIsAllowed() {
        DriftCondition c = (DriftCondition) parse("{drift: {features: all, method: chi_square, below: 0.01, window: 1d}}")
                .specs().get(0).conditions().get(0);
        assertThat(c.allFeatures()).isTrue();
        assertThat(c.drifted(0.001)).isTrue();
        assertThat(c.drifted(0.5)).isFalse();
        assertThat(c.describe()).isEqualTo("drift(chi_square of all features, 1d) p below 0.01");
    }

    @Test
    void anEstimatedConditionDefaultsItsReconciliationToItsOwnMetricAndLine() {
        EstimatedCondition c = (EstimatedCondition) parse("{estimated: {metric: accuracy, below: 0.85, window: 6h}}")
                .specs().get(0).conditions().get(0);
        assertThat(c.reconciledBy()).isEqualTo(new Reconcile("accuracy", ThresholdCondition.Direction.BELOW, 0.85));
        assertThat(c.describe()).isEqualTo("estimated(accuracy, 6h) below 0.85");
    }

    @Test
    void eachMistakeIsNamedWithItsFieldAndRule() {
        assertThat(problems("{drift: {features: all, method: kl, above: 0.2, window: 6h}}"))
                .containsExactly("policies[0].when.drift.method: unknown method 'kl'; expected one of psi, jensen_shannon, wasserstein, chi_square");
        assertThat(problems("{drift: {features: all, method: jensen_shannon, above: 1.5, window: 6h}}"))
                .containsExactly("policies[0].when.drift.above: must be above 0 and at most 1 (jensen_shannon is between 0 and 1)");
        assertThat(problems("{drift: {features: all, method: chi_square, above: 10, window: 6h}}")).singleElement()
                .asString().startsWith("policies[0].when.drift.above: chi_square is a test: the condition is on its p-value, give below");
        assertThat(problems("{drift: {features: all, method: psi, below: 0.2, window: 6h}}")).singleElement()
                .asString().contains("psi drifts when its score rises: give above");
        assertThat(problems("{drift: {features: all, method: chi_square, below: 1, window: 6h}}")).singleElement()
                .asString().contains("must be a p-value between 0 and 1");
        assertThat(problems("{drift: {features: all, method: psi, above: 0.2, share: 1.5, window: 6h}}")).singleElement()
                .asString().contains("drift.share: must be a fraction");
        assertThat(problems("{drift: {features: [], method: psi, above: 0.2, window: 6h}}")).singleElement()
                .asString().contains("drift.features: must be a non-empty list");
        assertThat(problems("{drift: {features: [tenure, tenure], method: psi, above: 0.2, window: 6h}}")).singleElement()
                .asString().contains("feature 'tenure' is listed twice");
        assertThat(problems("{drift: {features: all, method: psi, above: 0.2}}")).singleElement()
                .asString().isEqualTo("policies[0].when.drift.window: is required: how long a window of histograms to judge, e.g. 6h");
        assertThat(problems("{drift: {features: all, method: psi, above: 0.2, window: 6h, treshold: 1}}")).singleElement()
                .asString().contains("unknown key 'treshold'");
        assertThat(problems("{estimated: {metric: f1, below: 0.8, window: 6h}}")).singleElement()
                .asString().contains("estimated.metric: cannot be estimated from predicted probabilities: 'f1'; expected one of accuracy, precision, recall");
        assertThat(problems("{estimated: {metric: accuracy, below: 0.8, above: 0.9, window: 6h}}")).singleElement()
                .asString().contains("give exactly one of below or above");
        assertThat(problems("{estimated: {metric: accuracy, below: 85, window: 6h}}")).singleElement()
                .asString().contains("estimated.below: must be between 0 and 1");
        assertThat(problems("{drift: {features: all, method: psi, above: 0.2, window: 6h, reconcile: {metric: accuracy}}}")).singleElement()
                .asString().contains("drift.reconcile: give exactly one of below or above");
    }
}
