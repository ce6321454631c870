package org.visutility.orchestrator.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployment files as shipped: docker-compose.yml (with its ops/Dockerfile) and
 * ops/orchestrator.service, each parsed and checked for what a working install needs.
 */
class DeploymentFilesTest {
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("ops", "Dockerfile");
    private static final Path UNIT = Path.of("ops", "orchestrator.service");
    private static final Path OPS_DOC = Path.of("docs", "ops.md");
    private static final Path README = Path.of("README.md");

    @TempDir
    Path dir;

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
    }

    private static JsonNode node() throws IOException {
        return compose().path("services").path("orchestrator");
    }

    @Test
    void composeRunsPostgresWithAHealthcheckAndTheNodeWaitsForIt() throws IOException {
        JsonNode postgres = compose().path("services").path("postgres");
        assertThat(postgres.path("image").asText()).startsWith("postgres:");
        assertThat(postgres.path("healthcheck").path("test").toString()).contains("pg_isready");
        assertThat(node().path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(node().path("environment").path("ORCHESTRATOR_DB_URL").asText()).startsWith("jdbc:postgresql://postgres:5432/");
        // the node logs in with the password the database was created with
        assertThat(node().path("environment").path("ORCHESTRATOR_DB_PASSWORD").asText())
                .isEqualTo(postgres.path("environment").path("POSTGRES_PASSWORD").asText());
    }

    @Test
    void composeBuildsTheNodeFromTheSmallDockerfileInOps() throws IOException {
        JsonNode build = node().path("build");
        assertThat(build.path("context").asText()).isEqualTo(".");
        assertThat(Path.of(build.path("dockerfile").asText())).isEqualTo(DOCKERFILE);
        // no bind mount of target/orchestrator.jar: a missing jar would become a directory of that name
        assertThat(node().path("volumes").toString()).doesNotContain("orchestrator.jar");
        String dockerfile = Files.readString(DOCKERFILE);
        List<String> stages = from(dockerfile);
        assertThat(stages).hasSize(2);
        assertThat(stages.get(1)).as("the runtime image is a JRE").matches("eclipse-temurin:\\d+-jre");
        assertThat(dockerfile).contains("install -y --no-install-recommends python3")
                .contains("COPY --from=build /src/target/orchestrator.jar")
                .containsPattern("(?m)^USER orchestrator$");
        // the build context holds what the build stage copies, and .dockerignore keeps the rest out
        for (String copied : List.of("pom.xml", "src/main", "db")) {
            assertThat(dockerfile).contains("COPY " + copied);
            assertThat(Path.of(copied)).exists();
            assertThat(Files.readString(Path.of(".dockerignore"))).contains("!" + copied);
        }
    }

    private static List<String> from(String dockerfile) {
        List<String> images = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile);
        while (m.find()) images.add(m.group(1));
        return images;
    }

    @Test
    void composeKeepsOrchestratorHomeInANamedVolume() throws IOException {
        String home = node().path("environment").path("ORCHESTRATOR_HOME").asText();
        assertThat(home).startsWith("/");
        assertThat(Files.readString(DOCKERFILE)).contains("ENV ORCHESTRATOR_HOME=" + home).contains("WORKDIR " + home);
        List<String> named = new ArrayList<>();
        node().path("volumes").forEach(v -> {
            String[] parts = v.asText().split(":");
            if (parts.length >= 2 && parts[1].equals(home)) named.add(parts[0]);
        });
        assertThat(named).singleElement().satisfies(volume -> {
            assertThat(volume).doesNotStartWith(".").doesNotStartWith("/");
            assertThat(compose().path("volumes").has(volume)).isTrue();
        });
    }

    @Test
    void composeSetsAnIngestTokenThatIsAPlaceholderToChangeAndDocumented() throws IOException {
        String tokens = node().path("environment").path("ORCHESTRATOR_INGEST_TOKENS").asText();
        assertThat(tokens).matches("\\$\\{ORCHESTRATOR_INGEST_TOKENS:-change-me[^}]*}");
        assertThat(Files.readString(OPS_DOC)).contains("ORCHESTRATOR_INGEST_TOKENS").contains(".env");
    }

    @Test
    void composeChecksTheNodesHealthAndBindsItsPortToLocalhost() throws IOException {
        JsonNode test = node().path("healthcheck").path("test");
        assertThat(test.toString()).contains("http://127.0.0.1:8080/health");
        // the healthcheck's tool is in the image
        assertThat(Files.readString(DOCKERFILE)).contains(test.get(1).asText());
        assertThat(node().path("ports")).isNotEmpty().allSatisfy(p -> assertThat(p.asText()).startsWith("127.0.0.1:"));
    }

    @Test
    void composeSetsOnlySettingsTheReadmeDocuments() throws IOException {
        String readme = Files.readString(README);
        node().path("environment").fieldNames().forEachRemaining(name -> assertThat(readme).contains("`" + name + "`"));
    }

    /** The unit file's keys, per section, each key with all its values in order. */
    private static Map<String, Map<String, List<String>>> unit() throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) continue;
            if (l.startsWith("[")) {
                current = sections.computeIfAbsent(l.substring(1, l.length() - 1), s -> new LinkedHashMap<>());
                continue;
            }
            int eq = l.indexOf('=');
            assertThat(eq).as("a key=value line: %s", l).isPositive();
            assertThat(current).as("a key before any section: %s", l).isNotNull();
            current.computeIfAbsent(l.substring(0, eq).strip(), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
        }
        return sections;
    }

    private static String one(Map<String, List<String>> section, String key) {
        assertThat(section).containsKey(key);
        assertThat(section.get(key)).as(key).hasSize(1);
        return section.get(key).get(0);
    }

    @Test
    void theUnitStopsRestartingOnAConfigurationErrorAndKeepsItsStateInItsStateDirectory() throws IOException {
        Map<String, List<String>> service = unit().get("Service");
        assertThat(one(service, "RestartPreventExitStatus").split("\\s+")).contains("2");
        assertThat(one(service, "Restart")).isEqualTo("on-failure");
        String state = one(service, "StateDirectory");
        assertThat(one(service, "WorkingDirectory")).isEqualTo("/var/lib/" + state);
        assertThat(service.get("Environment")).contains("ORCHESTRATOR_HOME=/var/lib/" + state);
        assertThat(one(service, "SuccessExitStatus")).isEqualTo("143");
    }

    @Test
    void theUnitReadsSecretsFromAnEnvironmentFileAndNeedsNoConfigFile() throws IOException {
        Map<String, List<String>> service = unit().get("Service");
        String file = one(service, "EnvironmentFile");
        assertThat(file).isEqualTo("/etc/orchestrator/orchestrator.env");
        assertThat(one(service, "ExecStart")).endsWith(" serve").doesNotContain("--config");
        assertThat(service.keySet()).noneMatch(k -> k.equals("Environment") && service.get(k).stream().anyMatch(v -> v.contains("PASSWORD")));
        // the install steps create that file, readable by root only
        String doc = Files.readString(OPS_DOC);
        assertThat(doc).contains("install -m 0600").contains(file).contains("systemctl enable --now orchestrator");
    }

    @Test
    void theUnitsPrivateTmpDoesNotHideSubmittedSpecs() throws IOException {
        List<String> privateTmp = unit().get("Service").getOrDefault("PrivateTmp", List.of("false"));
        assertThat(privateTmp).containsOnly("false");
        assertThat(Files.readString(OPS_DOC)).contains("PrivateTmp");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        String text = Files.readString(UNIT);
        // verify checks that ExecStart's program exists: on a machine without /usr/bin/java, this JVM's java
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
            text = text.replace("/usr/bin/java", java.toString());
        }
        Path copy = Files.writeString(dir.resolve("orchestrator.service"), text);
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        // unknown keys and values that do not parse are only warnings ("ignoring"), with exit 0
        assertThat(output.lines().filter(l -> l.contains("orchestrator.service"))).as(output).isEmpty();
    }
}
