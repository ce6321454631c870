package org.visutility.orchestrator.tuning.trainer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerTextTest {
    @Test
    void controlCharactersButLineFeedAndTabAreEscapedAndCleanTextIsKeptAsItIs() {
        assertThat(TrainerText.clean("a\u0000b\u0001c\u007fd\u009be\r\nf\tg")).isEqualTo("a\\u0000b\\u0001c\\u007fd\\u009be\\u000d\nf\tg");
        String clean = "loss 0.5, naïve ✓\n\tnext";
        assertThat(TrainerText.clean(clean)).isSameAs(clean);
        assertThat(TrainerText.clean(null)).isNull();
    }

    @Test
    void aTrialResultCleansWhatTheTrainerMade() {
        TrialResult r = TrialResult.complete(java.util.Map.of("lo\u0000ss", 1.0), java.util.Optional.of("s3://m\u0000"));
        assertThat(r.metrics()).containsOnlyKeys("lo\\u0000ss");
        assertThat(r.artifactUri()).contains("s3://m\\u0000");
        assertThat(TrialResult.failed("bad\u0000").error()).isEqualTo("bad\\u0000");
    }
}
