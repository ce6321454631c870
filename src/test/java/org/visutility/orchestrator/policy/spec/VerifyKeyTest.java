package org.visutility.orchestrator.policy.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.support.PolicyFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The policy key verify: read, stored with the policy version, and refused with the key named. */
class VerifyKeyTest {
    @TempDir
    Path dir;

    private static String policy(String verify) {
        return """
                policies:
                  - name: p
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85}
                VERIFY    experiment: EXPERIMENT
                """.replace("VERIFY", verify).replace("EXPERIMENT", PolicyFiles.inlineExperiment("churn"));
    }

    private PolicySpec parse(String verify) {
        return PolicyFileParser.parse(policy(verify), "policies.yaml", dir).specs().get(0);
    }

    private List<Problem> problems(String verify) {
        return catchThrowableOfType(PolicyFileException.class, () -> PolicyFileParser.parse(policy(verify), "policies.yaml", dir)).problems();
    }

    @Test
    void readsTheIssueExampleAndReadsItBackFromTheStoredSpec() {
        PolicySpec spec = parse("    verify: {metric: accuracy, window: 6h, min_samples: 1000, within: 3d}\n");
        assertThat(spec.verify()).isEqualTo(new Verify("accuracy", Duration.ofHours(6), 1000, Duration.ofDays(3)));
        PolicySpec stored = PolicyFileParser.readStored(spec.toJson());
        assertThat(stored).isEqualTo(spec);
        assertThat(stored.sha256()).isEqualTo(spec.sha256());
    }

    @Test
    void minSamplesAndWithinHaveDefaults() {
        PolicySpec spec = parse("    verify: {metric: recall, window: 2h}\n");
        assertThat(spec.verify()).isEqualTo(new Verify("recall", Duration.ofHours(2), Verify.DEFAULT_MIN_SAMPLES, Verify.DEFAULT_WITHIN));
    }

    @Test
    void aPolicyWithoutVerifyIsStoredAsBeforeTheKeyExisted() {
        PolicySpec without = parse("");
        assertThat(without.verify()).isNull();
        List<String> keys = new ArrayList<>();
        without.toJson().fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("cooldown", "experiment", "for", "model", "name", "when");
        assertThat(parse("    verify: {metric: accuracy, window: 6h}\n").sha256())
                .as("adding verify: is a change of the policy").isNotEqualTo(without.sha256());
    }

    @Test
    void eachBadVerifyKeyIsNamedWithItsRule() {
        assertThat(problems("    verify: accuracy\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].verify");
            assertThat(p.reason()).contains("must be a mapping");
        });
        assertThat(problems("    verify: {window: 6h}\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].verify.metric");
            assertThat(p.reason()).contains("is required");
        });
        assertThat(problems("    verify: {metric: accuracy}\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].verify.window");
            assertThat(p.reason()).contains("is required");
        });
        assertThat(problems("    verify: {metric: accuracy, window: 6h, min_sample: 10}\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].verify.min_sample");
            assertThat(p.reason()).contains("unknown key").contains("min_samples");
        });
        assertThat(problems("    verify: {metric: accuracy, window: 6h, min_samples: 0}\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].verify.min_samples");
            assertThat(p.reason()).contains("1 or more");
        });
        assertThat(problems("    verify: {metric: accuracy, window: six hours}\n")).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("policies[0].verify.window"));
        assertThat(problems("    verify: {metric: accuracy, window: 0s}\n")).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("longer than zero"));
    }

    @Test
    void durationsAreBoundedAndWithinCoversTheWindow() {
        assertThat(problems("    verify: {metric: accuracy, window: 31d, within: 60d}\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].verify.window");
            assertThat(p.reason()).contains("at most 30d");
        });
        assertThat(problems("    verify: {metric: accuracy, window: 6h, within: 91d}\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].verify.within");
            assertThat(p.reason()).contains("at most 90d");
        });
        assertThat(problems("    verify: {metric: accuracy, window: 6h, within: 2h}\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].verify.within");
            assertThat(p.reason()).contains("must be at least window (6h)");
        });
        assertThat(problems("    verify: {metric: accuracy, window: 4d}\n")).as("the default within is 3d").singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("policies[0].verify"));
    }
}
