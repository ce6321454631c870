package org.visutility.orchestrator.ops;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ops/orchestrator, run by bash on a copy of a minimal project with a fake mvn and java: it builds
 * when the sources' content differs from the hash kept beside the jar, whatever the file times,
 * and not otherwise.
 */
class LauncherRebuildsOnChangedSourcesTest {
    private static final Path LAUNCHER = Path.of("ops", "orchestrator");

    @TempDir
    Path project;
    private Path builds;
    private Path source;
    private Path jar;

    @BeforeEach
    void minimalProject() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        Files.createDirectories(project.resolve("ops"));
        Files.copy(LAUNCHER, project.resolve("ops/orchestrator"));
        Files.writeString(project.resolve("pom.xml"), "<project/>\n");
        source = project.resolve("src/main/java/App.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class App {}\n");
        Files.createDirectories(project.resolve("db/migration"));
        Files.writeString(project.resolve("db/migration/V1__create_table.sql"), "CREATE TABLE t (id int);\n");
        builds = project.resolve("builds.log");
        jar = project.resolve("target/orchestrator.jar");
        // mvn "builds" the jar and logs each build; java prints what it would run
        executable(project.resolve("fake/bin/mvn"), "#!/bin/sh\necho build >> \"$BUILD_LOG\"\nmkdir -p target\necho jar > target/orchestrator.jar\n");
        executable(project.resolve("fake/jdk/bin/java"), "#!/bin/sh\necho \"java $*\"\n");
    }

    private static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", project.resolve("ops/orchestrator").toString(), "experiments", "list")
                .redirectErrorStream(true);
        pb.environment().put("PATH", project.resolve("fake/bin") + ":/usr/bin:/bin");
        pb.environment().put("JAVA_HOME", project.resolve("fake/jdk").toString());
        pb.environment().put("BUILD_LOG", builds.toString());
        pb.environment().remove("JAVA_OPTS");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("java -jar " + jar + " experiments list");
        return output;
    }

    private int buildCount() throws IOException {
        return Files.exists(builds) ? Files.readAllLines(builds).size() : 0;
    }

    private void setTime(Path file, Instant time) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(time));
    }

    @Test
    void theFirstStartBuildsAndKeepsTheSourcesHashBesideTheJar() throws Exception {
        launch();
        assertThat(buildCount()).isEqualTo(1);
        assertThat(Files.readString(project.resolve("target/orchestrator.jar.sources-sha256")).strip()).matches("[0-9a-f]{64}");
    }

    @Test
    void unchangedSourcesAreNotRebuiltEvenWhenTheirTimesAreNewer() throws Exception {
        launch();
        Instant later = Instant.now().plus(1, ChronoUnit.HOURS);
        for (Path p : List.of(source, project.resolve("pom.xml"), project.resolve("db/migration/V1__create_table.sql"))) setTime(p, later);
        launch();
        assertThat(buildCount()).isEqualTo(1);
    }

    @Test
    void changedContentWithOlderTimesIsRebuilt() throws Exception {
        launch();
        Files.writeString(source, "class App { int changed; }\n");
        // the jar looks newer than every source, as a copied jar would
        Instant old = Instant.now().minus(1, ChronoUnit.DAYS);
        setTime(source, old);
        setTime(jar, Instant.now().plus(1, ChronoUnit.HOURS));
        launch();
        assertThat(buildCount()).isEqualTo(2);
        launch();
        assertThat(buildCount()).isEqualTo(2);
    }

    @Test
    void aNewMigrationAndARenamedFileAreChangesToo() throws Exception {
        launch();
        Files.writeString(project.resolve("db/migration/V2__add_column.sql"), "ALTER TABLE t ADD c int;\n");
        launch();
        assertThat(buildCount()).isEqualTo(2);
        Files.move(source, source.resolveSibling("Main.java"));
        launch();
        assertThat(buildCount()).isEqualTo(3);
    }

    @Test
    void aJarWithoutTheHashIsRebuilt() throws Exception {
        launch();
        Files.delete(project.resolve("target/orchestrator.jar.sources-sha256"));
        launch();
        assertThat(buildCount()).isEqualTo(2);
    }
}
