package org.visutility.orchestrator.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The resolver that runs V40 without its server-wide role: the rest as Flyway resolves it. */
class ServerRoleFreeMigrationsTest {

    @Test
    void migrationsFoundTwiceOnTheClassPathAreOneMigrationEach(@TempDir Path root) throws Exception {
        // a node started in the project folder finds db/migration there too (a child JVM of the tests does)
        Path copy = Files.createDirectories(root.resolve("db/migration"));
        try (Stream<Path> files = Files.list(Path.of("db/migration"))) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        try (URLClassLoader twice = new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader());
             TestDatabase db = TestPostgres.get().newEmptyDatabase("twice")) {
            int applied = new Migrations(db.dataSource(), twice).migrate();

            long files;
            try (Stream<Path> s = Files.list(copy)) {
                files = s.count();
            }
            assertThat(applied).isEqualTo((int) files);
        }
    }
}
