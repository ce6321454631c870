package org.visutility.orchestrator.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.policy.spec.PolicyFileException;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.tuning.builtin.Datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A spec file, a policy file, a policy's experiment file and a built-in trainer's dataset are
 * files a user names: a path to a file that is none of these (a shadow file, the node's own
 * environment, a pipe) is refused naming the file, the line and the rule, never quoting it.
 */
class FilesUsersNameAreNeverQuotedTest {
    private static final String SHADOW = "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n";
    private static final String BROKEN_YAML = "model: churn\n  budget: SECRETLINE {\n";

    @TempDir
    Path dir;

    private Path policyNaming(String experiment) throws Exception {
        return Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  - name: floor
                    model: churn
                    when: {metric: accuracy, aggregate: mean, window: 6h, below: 0.85, min_samples: 10}
                    cooldown: 1h
                    experiment: %s
                """.formatted(experiment));
    }

    @Test
    void aSpecFileThatIsNoSpecIsRefusedWithoutQuotingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("shadow"), SHADOW);
        assertThatThrownBy(() -> ExperimentSpec.read(file)).isInstanceOf(InvalidSpecException.class)
                .hasMessage("invalid experiment spec in " + file + ": spec: is not an experiment spec: none of its 2 top-level keys"
                        + " is one of name, description, model, objective, strategy, budget, space, trainer, pruning, gate, activate, select, placement");
    }

    @Test
    void aSpecFileThatIsNotYamlSaysWhereAndWhatWithoutQuotingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.yaml"), BROKEN_YAML);
        assertThatThrownBy(() -> ExperimentSpec.read(file)).isInstanceOf(InvalidSpecException.class)
                .hasMessage("invalid experiment spec in " + file + ": file: not valid YAML: line 2:"
                        + " mapping values are not allowed here (column 9)");
    }

    @Test
    void anUnknownKeyIsNamedOnlyWhenItIsAPlainName() {
        String yaml = ExperimentSpecTest.VALID + "trianer: {}\n\"root:$6$SECRET:1:::\": x\n";
        assertThatThrownBy(() -> ExperimentSpec.parseYaml(yaml, "test")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("trianer: unknown key; known keys are")
                .hasMessageContaining("spec: has 1 unknown key(s) that are not plain names")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void aPolicysExperimentFileIsReadTheSameWay() throws Exception {
        Path shadow = Files.writeString(dir.resolve("shadow"), SHADOW);
        Path broken = Files.writeString(dir.resolve("broken.yaml"), BROKEN_YAML);
        assertThatThrownBy(() -> PolicyFileParser.parse(policyNaming(shadow.toString()))).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("policies[0].experiment: " + shadow + ": experiment spec spec: has 2 unknown key(s) that are not plain names")
                .hasMessageNotContaining("SECRET").hasMessageNotContaining("daemon");
        assertThatThrownBy(() -> PolicyFileParser.parse(policyNaming(broken.toString()))).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("policies[0].experiment: " + broken + ": line 2: not valid YAML: mapping values are not allowed here (column 9)")
                .hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> PolicyFileParser.parse(policyNaming("/proc/self/environ"))).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("cannot read the experiment spec /proc/self/environ: is not a regular file (it is under /proc)")
                .hasMessageNotContaining("PATH=");
    }

    @Test
    void aPolicyFileThatIsNoPolicyFileIsNotQuoted() throws Exception {
        Path shadow = Files.writeString(dir.resolve("shadow"), SHADOW);
        assertThatThrownBy(() -> PolicyFileParser.parse(shadow)).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("has 2 unknown key(s) that are not plain names")
                .hasMessageNotContaining("SECRET").hasMessageNotContaining("daemon");
    }

    @Test
    void systemFilesLinksToThemPipesAndDevicesAreRefusedUnread() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("environ.yaml"), Path.of("/proc/self/environ"));
        assertThatThrownBy(() -> ExperimentSpec.read(link))
                .hasMessage("invalid experiment spec in " + link + ": file: " + link + ": is not a regular file (it is under /proc)");
        assertThatThrownBy(() -> ExperimentSpec.read(Path.of("/dev/zero")))
                .hasMessageEndingWith("file: /dev/zero: is not a regular file (it is under /dev)");
        Path fifo = dir.resolve("fifo.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> ExperimentSpec.read(fifo))
                .hasMessageEndingWith("file: " + fifo + ": is not a regular file (a folder, a device, a pipe or a socket)");
        Path big = Files.write(dir.resolve("big.yaml"), new byte[(int) ExperimentSpec.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> ExperimentSpec.read(big)).hasMessageContaining("is larger than " + ExperimentSpec.MAX_FILE_BYTES + " bytes");
    }

    @Test
    void aBuiltinDatasetLinkedToTheNodesEnvironmentIsRefusedUnread() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("train.csv"), Path.of("/proc/self/environ"));
        assertThat(Datasets.problem(link.toString(), "label")).contains(link + ": is not a regular file (it is under /proc)");
    }

    @Test
    void aCsvProblemNamesTheFileLineAndColumnButNotTheirText() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0:SECRET:/root:/bin/bash\nbin:x:1:1::/:/bin/sh\n");
        assertThat(Datasets.problem(passwd.toString(), "label")).contains(passwd + " line 1: the header row has no column 'label'"
                + " (the label column; trainer.label names another) among its 1 columns");
        Path cells = Files.writeString(dir.resolve("cells.csv"), "label,x\nA,1\nB,SECRETVALUE\n");
        assertThat(Datasets.problem(cells.toString(), "label"))
                .contains(cells + " line 3, column 2: not a finite number (features must be numeric, with no missing values)");
    }
}
