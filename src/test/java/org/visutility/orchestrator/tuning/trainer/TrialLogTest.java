package org.visutility.orchestrator.tuning.trainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A trainer's whole stdout and stderr are kept in its trial folder, each capped: the head and the tail kept, the cut said. */
class TrialLogTest {
    @TempDir
    Path dir;

    @Test
    void aLogUnderTheCapIsKeptWhole() throws Exception {
        Path file = dir.resolve("small.log");
        try (TrialLog log = TrialLog.open(file, 1000)) {
            log.line("first");
            log.line("second");
        }
        assertThat(Files.readString(file)).isEqualTo("first\nsecond\n");
    }

    @Test
    void aLogOverTheCapKeepsItsHeadAndItsTailAndSaysHowMuchWasCut() throws Exception {
        Path file = dir.resolve("big.log");
        try (TrialLog log = TrialLog.open(file, 100)) {
            for (int i = 0; i < 100; i++) log.line(String.format("line %03d", i)); // 9 bytes a line
        }
        List<String> lines = Files.readAllLines(file);
        // 50 bytes of head: 5 whole lines; 50 bytes of tail: the last 5 lines
        assertThat(lines.subList(0, 5)).containsExactly("line 000", "line 001", "line 002", "line 003", "line 004");
        assertThat(lines.get(5)).startsWith("[... 810 bytes in 90 lines cut here");
        assertThat(lines.subList(6, 11)).containsExactly("line 095", "line 096", "line 097", "line 098", "line 099");
        assertThat(lines).hasSize(11);
    }

    @Test
    void theCommandTrainersStdoutAndStderrAreKeptInItsTrialFolderCapped() throws Exception {
        Path script = Files.writeString(dir.resolve("loud.sh"), """
                echo 'starting'
                echo 'a warning' >&2
                seq 1 200000
                seq 1 200000 >&2
                echo '{"loss": 0.5}'
                echo 'last words' >&2
                """);
        Path trialDir = Files.createDirectories(dir.resolve("trial"));
        CommandTrainer trainer = new CommandTrainer(List.of("sh", script.toString()), Optional.empty(), Optional.empty(), Map.of());
        TrialResult result = trainer.train(new TrialContext(1, 0, 1, Params.of(Map.of()), new Objective("loss", Direction.MINIMIZE),
                () -> false, () -> trialDir), r -> TrialReporter.Verdict.CONTINUE);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.COMPLETE);

        Path stdout = trialDir.resolve(TrialLog.STDOUT);
        Path stderr = trialDir.resolve(TrialLog.STDERR);
        // seq 1 200000 prints 1,288,895 bytes: more than the 1 MiB cap
        assertThat(Files.size(stdout)).isLessThanOrEqualTo(OutputLimits.MAX_LOG_BYTES + 200);
        assertThat(Files.size(stderr)).isLessThanOrEqualTo(OutputLimits.MAX_LOG_BYTES + 200);
        List<String> out = Files.readAllLines(stdout);
        assertThat(out.get(0)).isEqualTo("starting");
        assertThat(out.get(1)).isEqualTo("1");
        assertThat(out.get(out.size() - 1)).isEqualTo("{\"loss\": 0.5}");
        assertThat(out.get(out.size() - 2)).isEqualTo("200000");
        assertThat(out).anyMatch(l -> l.matches("\\[\\.\\.\\. \\d+ bytes in \\d+ lines cut here.*"));
        List<String> err = Files.readAllLines(stderr);
        assertThat(err.get(0)).isEqualTo("a warning");
        assertThat(err.get(err.size() - 1)).isEqualTo("last words");
        assertThat(err).anyMatch(l -> l.startsWith("[... "));
    }
}
