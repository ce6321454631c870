package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTrainerTest {
    private static final Objective LOSS = new Objective("loss", Direction.MINIMIZE);
    private static final Params PARAMS;

    static {
        Map<String, com.fasterxml.jackson.databind.JsonNode> p = new LinkedHashMap<>();
        p.put("lr", DoubleNode.valueOf(0.01));
        p.put("layers", LongNode.valueOf(3));
        p.put("optimizer", TextNode.valueOf("adam"));
        PARAMS = Params.of(p);
    }

    @TempDir
    Path dir;

    private final List<IntermediateReport> reports = new ArrayList<>();

    private TrialResult run(String script, Optional<Duration> timeout, BooleanSupplier stop, TrialReporter reporter) throws Exception {
        Path file = dir.resolve("train.sh");
        Files.writeString(file, script);
        Path trialDir = Files.createDirectories(dir.resolve("trial"));
        CommandTrainer trainer = new CommandTrainer(List.of("sh", file.toString()), timeout, Optional.empty(), Map.of("EXTRA", "yes"));
        return trainer.train(new TrialContext(12, 7, 2, PARAMS, LOSS, stop, () -> trialDir), reporter);
    }

    private TrialResult run(String script) throws Exception {
        return run(script, Optional.empty(), () -> false, r -> {
            reports.add(r);
            return TrialReporter.Verdict.CONTINUE;
        });
    }

    @Test
    void theTrainerGetsParamsAsArgumentsAndEnvironmentAndItsJsonLinesAreReports() throws Exception {
        TrialResult result = run("""
                printf '%s\\n' "$@" > "$ORCH_TRIAL_DIR/args"
                printf '%s|%s|%s|%s|%s|%s\\n' "$ORCH_TRIAL_PARAMS" "$ORCH_TRIAL_NUMBER" "$ORCH_EXPERIMENT_ID" "$ORCH_TRIAL_ATTEMPT" "$EXTRA" "$(pwd)" > "$ORCH_TRIAL_DIR/env"
                echo "loading data"
                echo '{"step": 1, "loss": 0.5}'
                echo '{"step": 2, "loss": 0.25, "accuracy": 0.8}'
                echo '{"loss": 0.2, "accuracy": 0.9, "artifact_uri": "file:///models/7"}'
                """);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.COMPLETE);
        assertThat(result.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("loss", 0.2, "accuracy", 0.9));
        assertThat(result.artifactUri()).contains("file:///models/7");
        assertThat(reports).extracting(IntermediateReport::step).containsExactly(1L, 2L);
        assertThat(reports.get(1).metrics()).containsEntry("accuracy", 0.8);
        assertThat(Files.readAllLines(dir.resolve("trial/args"))).containsExactly("--lr=0.01", "--layers=3", "--optimizer=adam");
        assertThat(Files.readString(dir.resolve("trial/env")).strip())
                .isEqualTo("{\"lr\":0.01,\"layers\":3,\"optimizer\":\"adam\"}|7|12|2|yes|" + dir.resolve("trial").toRealPath());
    }

    @Test
    void theLastFinalReportWins() throws Exception {
        TrialResult result = run("""
                echo '{"loss": 0.9}'
                echo '{"loss": 0.3}'
                """);
        assertThat(result.metrics()).containsEntry("loss", 0.3);
    }

    @Test
    void aNonZeroExitFailsTheTrialKeepingTheTailOfStderr() throws Exception {
        TrialResult result = run("""
                echo '{"loss": 0.1}'
                echo "reading shard 1" >&2
                echo "ValueError: bad row 42" >&2
                exit 3
                """);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).startsWith("exit status 3").contains("reading shard 1\nValueError: bad row 42");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a metric that is not a number | echo '{"loss": "low"}'                                      | "loss" must be a finite number
            no final report               | echo 'loss=0.1'; echo '{"step": 1, "loss": 0.1}'; echo '{x' | no final report: stdout had no JSON object without "step"
            a step that is not whole      | echo '{"step": "one", "loss": 0.1}'; echo '{"loss": 0.1}'   | "step" must be a whole number
            an artifact in a step report  | echo '{"step": 1, "artifact_uri": "s3://m"}'; echo '{"loss": 1}' | "artifact_uri" belongs in the final report
            """)
    void malformedOutputFailsTheTrial(String what, String script, String reason) throws Exception {
        TrialResult result = run(script + "\n");
        assertThat(result.outcome()).as(what).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).as(what).contains(reason);
    }

    @Test
    void theTimeoutKillsTheWholeProcessTree() throws Exception {
        TrialResult result = run("""
                sleep 60 &
                echo $! > "$ORCH_TRIAL_DIR/child.pid"
                echo "training forever" >&2
                sleep 60
                """, Optional.of(Duration.ofMillis(700)), () -> false, r -> TrialReporter.Verdict.CONTINUE);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).startsWith("timed out after 700ms (trainer.timeout); the process tree was killed")
                .contains("training forever");
        long child = Long.parseLong(Files.readString(dir.resolve("trial/child.pid")).strip());
        Await.processGone(child);
    }

    @Test
    void aStopRequestKillsTheTrainerAtOnce() throws Exception {
        Path started = dir.resolve("trial/started");
        TrialResult result = run("""
                sleep 60 &
                echo $! > "$ORCH_TRIAL_DIR/child.pid"
                touch "$ORCH_TRIAL_DIR/started"
                wait
                """, Optional.empty(), () -> Files.exists(started), r -> TrialReporter.Verdict.CONTINUE);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.STOPPED);
        long child = Long.parseLong(Files.readString(dir.resolve("trial/child.pid")).strip());
        Await.processGone(child);
    }

    @Test
    void aPruneVerdictStopsTheTrainerAndKeepsTheLastValues() throws Exception {
        TrialResult result = run("""
                echo '{"step": 1, "loss": 0.9}'
                echo '{"step": 2, "loss": 0.8}'
                sleep 60
                echo '{"loss": 0.1}'
                """, Optional.empty(), () -> false, r -> r.step() >= 2 ? TrialReporter.Verdict.PRUNE : TrialReporter.Verdict.CONTINUE);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.PRUNED);
        assertThat(result.metrics()).containsEntry("loss", 0.8);
    }

    @Test
    void aCommandThatCannotStartFailsTheTrial() throws Exception {
        Path trialDir = Files.createDirectories(dir.resolve("t"));
        CommandTrainer trainer = new CommandTrainer(List.of("/no/such/trainer"), Optional.empty(), Optional.empty(), Map.of());
        TrialResult result = trainer.train(new TrialContext(1, 0, 1, PARAMS, LOSS, () -> false, () -> trialDir),
                r -> TrialReporter.Verdict.CONTINUE);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).startsWith("cannot start /no/such/trainer");
    }
}
