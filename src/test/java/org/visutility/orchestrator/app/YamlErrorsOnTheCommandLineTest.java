package org.visutility.orchestrator.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.support.Cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A YAML file with a mistake is answered with the file, the line and the column, one line per problem. */
class YamlErrorsOnTheCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void aSpecThatIsNotValidYamlIsOneLineWithFileLineAndColumn() throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "model: m\nobjective: {metric: accuracy\nbudget: 3\n");
        Cli.Run run = Cli.run(Map.of(), "experiments", "submit", spec.toString());
        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                .contains(spec.toString()).contains("line 3").contains("column 7")
                // the parser's own words, whole: not cut by the filter that keeps the document's text out
                .contains("expected ',' or '}', but got "));
    }

    @Test
    void aPolicyFileThatIsNotValidYamlNamesFileLineAndColumnOnOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("policies.yaml"), "policies:\n  - name: p\n    model: m\n    when: {metric: a, below: 0.8\n    for: 1m\n");
        Cli.Run run = Cli.run(Map.of(), "policies", "apply", file.toString());
        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        List<String> problems = run.err().lines().filter(l -> l.startsWith("  ")).toList();
        assertThat(problems).singleElement().satisfies(line -> assertThat(line.strip())
                .startsWith(file + ":5: not valid YAML: ").contains("(column 8)"));
        // none of SnakeYAML's multi-line text (the quoted line under a caret)
        assertThat(run.err()).doesNotContain("^").doesNotContain("in 'reader'");
    }

    @Test
    void aTypoInAConditionIsNamedAsAnUnknownKeyAndTheConditionsOtherProblemsAreStillListed() throws Exception {
        Path file = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  - name: p
                    model: m
                    when: {metric: accuracy, belw: 0.8, snapshots: -3, aggregate: meen}
                    experiment: {model: m, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """);
        Cli.Run run = Cli.run(Map.of(), "policies", "apply", file.toString());
        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err())
                .contains(file + ":4: policies[0].when.belw: unknown key 'belw' (did you mean below?); expected one of ")
                .contains("policies[0].when.snapshots: ")
                .contains("policies[0].when.aggregate: ")
                .contains("policies[0].when: cannot tell the kind of condition");
    }
}
