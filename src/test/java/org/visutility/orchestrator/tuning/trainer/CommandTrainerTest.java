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
    void aFinalReportsReferencesComeWithTheResultAndAreNoMetric() throws Exception {
        TrialResult result = run("""
                echo '{"accuracy": 0.9, "references": {"features": [{"feature": "age", "kind": "numeric", "bins": [0, 50, 100], "counts": [3, 4]}]}}'
                """);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.COMPLETE);
        assertThat(result.metrics()).containsOnlyKeys("accuracy");
        assertThat(result.references()).hasValueSatisfying(r -> assertThat(r.path("features").get(0).path("feature").asText()).isEqualTo("age"));
    }

    @Test
    void referencesInAnIntermediateReportFailTheTrial() throws Exception {
        TrialResult result = run("""
                echo '{"step": 1, "loss": 0.5, "references": {"features": []}}'
                echo '{"loss": 0.2}'
                """);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).contains("\"references\" belongs in the final report");
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

    // ------------------------------------------------------------------ output limits

    @Test
    void aStdoutLineLongerThanTheLimitFailsTheTrialWithoutBeingReadWhole() throws Exception {
        long started = System.nanoTime();
        TrialResult result = run("""
                head -c 50000000 /dev/zero | tr '\\0' 'a'
                echo
                touch "$ORCH_TRIAL_DIR/wrote-it-all"
                echo '{"loss": 0.1}'
                """);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).startsWith("stdout line 1 is longer than " + OutputLimits.MAX_LINE_BYTES
                + " bytes (the trainer protocol's limit); the process tree was killed");
        assertThat(dir.resolve("trial/wrote-it-all")).as("killed once the line passed the limit, not read to its end").doesNotExist();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void moreReportsThanTheLimitFailTheTrial() throws Exception {
        TrialResult result = run("""
                i=0
                while [ $i -le %d ]; do echo "{\\"step\\": $i, \\"loss\\": 0.5}"; i=$((i+1)); done
                echo '{"loss": 0.1}'
                """.formatted(OutputLimits.MAX_REPORTS));
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).startsWith("more than " + OutputLimits.MAX_REPORTS + " reports on stdout (the trainer protocol's limit)");
        assertThat(reports).hasSize(OutputLimits.MAX_REPORTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a long artifact_uri   | printf '{"loss": 1, "artifact_uri": "%03000d"}\\n' 0                         | "artifact_uri" has 3000 characters; the trainer protocol allows at most 2048
            too many metrics      | printf '{"loss": 1'; for i in $(seq 1 60); do printf ', "m%d": 1' $i; done; echo '}' | a report has 61 metrics; the trainer protocol allows at most 50
            a long metric name    | printf '{"%0101d": 1}\\n' 0                                                    | a metric's name has 101 characters; the trainer protocol allows at most 100
            """)
    void aReportPastALimitFailsTheTrial(String what, String script, String reason) throws Exception {
        TrialResult result = run(script + "\n");
        assertThat(result.outcome()).as(what).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).as(what).isEqualTo(reason);
    }

    @Test
    void aLongStderrLineIsCutInTheTail() throws Exception {
        TrialResult result = run("""
                head -c 10000000 /dev/zero | tr '\\0' 'e' >&2
                echo >&2
                echo "last words" >&2
                exit 4
                """);
        assertThat(result.error()).isEqualTo("exit status 4; stderr (last lines):\n" + "e".repeat(OutputTail.MAX_LINE_CHARS) + "...\nlast words");
    }

    // ------------------------------------------------------------------ processes that leave the tree

    /** A unique second argument for sleep (it adds its arguments up), so that the test finds that sleep in /proc. */
    private static String uniqueSeconds() {
        return "0.000" + Math.abs(System.nanoTime() % 1_000_000_000L);
    }

    /** Processes (not zombies) whose command line holds {@code argument}. */
    private static List<Long> processesWith(String argument) throws java.io.IOException {
        List<Long> found = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), d -> d.getFileName().toString().matches("\\d+"))) {
            for (Path d : dirs) {
                try {
                    String cmdline = Files.readString(d.resolve("cmdline")).replace('\0', ' ');
                    String stat = Files.readString(d.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (cmdline.contains(argument) && state != 'Z') found.add(Long.parseLong(d.getFileName().toString()));
                } catch (java.io.IOException e) {
                    // gone meanwhile
                }
            }
        }
        return found;
    }

    private static void awaitNoneWith(String argument) throws Exception {
        Await.until("no process with " + argument, Duration.ofSeconds(10), () -> {
            try {
                return processesWith(argument).isEmpty();
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    @Test
    void theTimeoutKillsAProcessThatDoubleForkedIntoItsOwnSessionAndHeldStdout() throws Exception {
        String mark = uniqueSeconds();
        long started = System.nanoTime();
        TrialResult result = run("""
                ( setsid sleep 30 %s & )
                echo '{"step": 1, "loss": 1}'
                sleep 60
                """.formatted(mark), Optional.of(Duration.ofSeconds(2)), () -> false, r -> TrialReporter.Verdict.CONTINUE);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.FAILED);
        assertThat(result.error()).startsWith("timed out after 2s (trainer.timeout); the process tree was killed");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        awaitNoneWith(mark);
    }

    @Test
    void aTrainerThatExitsLeavingAnEscapedProcessOnItsStdoutEndsAtOnceAndTheProcessIsKilled() throws Exception {
        String mark = uniqueSeconds();
        long started = System.nanoTime();
        TrialResult result = run("""
                ( setsid sleep 30 %s & )
                echo '{"loss": 0.3}'
                """.formatted(mark));
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.COMPLETE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        awaitNoneWith(mark);
    }

    @Test
    void theOutputReadersEndWithTheTrialEvenWhenAProcessEscapedEveryKillAndHoldsTheirPipes() throws Exception {
        // env -i drops the token and setsid leaves the session: nothing can find this sleep, which keeps both pipes open
        String mark = uniqueSeconds();
        try {
            long started = System.nanoTime();
            TrialResult result = run("""
                    ( setsid env -i sleep 30 %s & )
                    echo '{"loss": 0.3}'
                    """.formatted(mark));
            assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.COMPLETE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            Await.until("the trial's output readers to end", Duration.ofSeconds(2), () -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("trial-7-std") && t.isAlive()));
        } finally {
            for (long pid : processesWith(mark)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theTrainerLeadsItsOwnSessionAndProcessGroup() throws Exception {
        run("""
                cut -d' ' -f1,5,6 /proc/$$/stat > "$ORCH_TRIAL_DIR/ids"
                echo '{"loss": 0.3}'
                """);
        String[] ids = Files.readString(dir.resolve("trial/ids")).strip().split(" ");
        assertThat(ids[1]).as("process group").isEqualTo(ids[0]);
        assertThat(ids[2]).as("session").isEqualTo(ids[0]);
    }

    // ------------------------------------------------------------------ environment

    @Test
    void theTrainerGetsAnAllowListOfTheNodesEnvironmentAndNeverItsSettings() throws Exception {
        Path file = dir.resolve("env.sh");
        Files.writeString(file, """
                tr '\\0' '\\n' < /proc/$$/environ | cut -d= -f1 | sort > "$ORCH_TRIAL_DIR/names"
                echo "$ORCHESTRATOR_DB_PASSWORD|$AWS_SECRET_ACCESS_KEY|$LC_ALL|$FROM_SPEC" > "$ORCH_TRIAL_DIR/values"
                echo '{"loss": 0.3}'
                """);
        Path trialDir = Files.createDirectories(dir.resolve("trial"));
        Map<String, String> node = new LinkedHashMap<>();
        node.put("PATH", System.getenv("PATH"));
        node.put("HOME", "/home/node");
        node.put("LC_ALL", "C.UTF-8");
        node.put("ORCHESTRATOR_DB_PASSWORD", "hunter2");
        node.put("ORCHESTRATOR_INGEST_TOKENS", "t1,t2");
        node.put("AWS_SECRET_ACCESS_KEY", "node-secret");
        CommandTrainer trainer = new CommandTrainer(List.of("sh", file.toString()), Optional.empty(), Optional.empty(),
                Map.of("FROM_SPEC", "yes"), node);
        TrialResult result = trainer.train(new TrialContext(12, 7, 2, PARAMS, LOSS, () -> false, () -> trialDir),
                r -> TrialReporter.Verdict.CONTINUE);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.COMPLETE);
        assertThat(Files.readAllLines(trialDir.resolve("names"))).containsExactly("FROM_SPEC", "HOME", "LC_ALL",
                "ORCH_EXPERIMENT_ID", "ORCH_TRIAL_ATTEMPT", "ORCH_TRIAL_DIR", "ORCH_TRIAL_NUMBER", "ORCH_TRIAL_PARAMS",
                "ORCH_TRIAL_TOKEN", "PATH");
        assertThat(Files.readString(trialDir.resolve("values")).strip()).isEqualTo("||C.UTF-8|yes");
    }
}
