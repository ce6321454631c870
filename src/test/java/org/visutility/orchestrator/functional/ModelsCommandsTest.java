package org.visutility.orchestrator.functional;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The models commands as operators run them: promote, reject, rollback, list, show; and every bad input. */
@ExtendWith(PostgresExtension.class)
class ModelsCommandsTest {

    private static Cli.Run models(TestDatabase db, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "models";
        System.arraycopy(args, 0, all, 1, args.length);
        return Cli.run(db.environment(Map.of()), all);
    }

    private static JsonNode json(Cli.Run run) throws Exception {
        return Json.MAPPER.readTree(run.out().lines().filter(l -> l.startsWith("{") || l.startsWith("[")).reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void promoteRejectAndRollbackChangeTheStatusesAndRecordWhoAndWhy(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "churn", "v1", "active");
        Lifecycles.version(db.jdbi(), "churn", "v2", "candidate");
        Lifecycles.version(db.jdbi(), "churn", "v3", "candidate");

        Cli.Run promote = models(db, "promote", "churn", "v2", "--actor", "alice", "--reason", "better on the EU segment");
        assertThat(promote.status()).as(promote.err()).isEqualTo(ExitCode.OK);
        assertThat(promote.out()).contains("version v2 of churn is active (was candidate); v1 retired");
        assertThat(Lifecycles.events(db.jdbi(), "churn", "v2")).containsExactly("(new) -> candidate by serving",
                "candidate -> approved by operator:alice", "approved -> active by operator:alice");

        Cli.Run reject = models(db, "reject", "churn", "v3", "--reason", "worse on recall", "--actor", "bob", "--json");
        assertThat(reject.status()).as(reject.err()).isEqualTo(ExitCode.OK);
        JsonNode rejected = json(reject);
        assertThat(rejected.path("was").asText()).isEqualTo("candidate");
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.path("changes").get(0).path("reason").asText()).isEqualTo("worse on recall");

        Cli.Run forced = models(db, "promote", "churn", "v3", "--force", "--actor", "carol", "--json");
        assertThat(forced.status()).as(forced.err()).isEqualTo(ExitCode.OK);
        assertThat(json(forced).path("retired").asText()).isEqualTo("v2");
        assertThat(json(forced).path("changes").get(0).path("evidence").path("force").asBoolean()).isTrue();
        assertThat(Lifecycles.events(db.jdbi(), "churn", "v3")).containsExactly("(new) -> candidate by serving",
                "candidate -> rejected by operator:bob", "rejected -> approved by operator:carol", "approved -> active by operator:carol");

        Cli.Run rollback = models(db, "rollback", "churn", "--actor", "dave", "--reason", "v3 hurt conversions");
        assertThat(rollback.status()).as(rollback.err()).isEqualTo(ExitCode.OK);
        assertThat(rollback.out()).contains("model churn rolled back: v2 is active again, v3 retired");
        assertThat(Lifecycles.statuses(db.jdbi(), "churn")).containsEntry("v1", "retired").containsEntry("v2", "active")
                .containsEntry("v3", "retired");
        assertThat(Lifecycles.events(db.jdbi(), "churn", "v2")).endsWith("active -> retired by operator:carol", "retired -> active by operator:dave");
        assertThat(Lifecycles.brokenChains(db.jdbi(), "churn")).isEmpty();

        // promoting the active version again is not an error, and writes nothing
        Lifecycles.Recorded before = Lifecycles.Recorded.of(db.jdbi());
        Cli.Run again = models(db, "promote", "churn", "v2");
        assertThat(again.status()).isEqualTo(ExitCode.OK);
        assertThat(again.out()).contains("version v2 of churn is already active; nothing changed");
        assertThat(Lifecycles.Recorded.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void theActorIsTheOsUserUnlessGiven(TestDatabase db) {
        Lifecycles.version(db.jdbi(), "who", "v1", "candidate");
        Cli.Run run = models(db, "reject", "who", "v1", "--reason", "not needed");
        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(Lifecycles.events(db.jdbi(), "who", "v1")).last().isEqualTo("candidate -> rejected by operator:" + System.getProperty("user.name"));
    }

    @Test
    void listAndShowTellWhatServesAndEveryVersionsHistory(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "fraud", "f1", "active");
        Lifecycles.version(db.jdbi(), "fraud", "f2", "candidate");
        Lifecycles.version(db.jdbi(), "idle", "i1", "candidate");
        assertThat(models(db, "promote", "fraud", "f2", "--actor", "alice").status()).isEqualTo(ExitCode.OK);

        Cli.Run list = models(db, "list", "--json");
        assertThat(list.status()).as(list.err()).isEqualTo(ExitCode.OK);
        JsonNode all = json(list);
        Map<String, JsonNode> byModel = new LinkedHashMap<>();
        all.forEach(m -> byModel.put(m.path("model").asText(), m));
        assertThat(byModel.get("fraud").path("active_version").asText()).isEqualTo("f2");
        assertThat(byModel.get("fraud").path("active_since").isTextual()).isTrue();
        assertThat(byModel.get("fraud").path("versions").path("retired").asInt()).isEqualTo(1);
        assertThat(byModel.get("idle").path("active_version").isNull()).isTrue();
        assertThat(byModel.get("idle").path("versions").path("candidate").asInt()).isEqualTo(1);
        Cli.Run text = models(db, "list");
        assertThat(text.out()).contains("MODEL", "ACTIVE", "SINCE", "CANDIDATE", "fraud", "f2");

        Cli.Run show = models(db, "show", "fraud");
        assertThat(show.status()).as(show.err()).isEqualTo(ExitCode.OK);
        assertThat(show.out()).contains("model fraud: active version f2; 2 versions", "VERSION", "STATUS", "SOURCE", "EXPERIMENT",
                "ARTIFACT", "CREATED", "status changes, per version, oldest first:", "operator:alice");
        JsonNode shown = json(models(db, "show", "fraud", "--json"));
        assertThat(shown.path("active_version").asText()).isEqualTo("f2");
        JsonNode f1 = shown.path("versions").get(1);
        assertThat(f1.path("version").asText()).isEqualTo("f1");
        assertThat(f1.path("status").asText()).isEqualTo("retired");
        assertThat(f1.path("events")).extracting(e -> e.path("to").asText()).containsExactly("active", "retired");
        assertThat(f1.path("events").get(1).path("evidence").path("replaced_by").asText()).isEqualTo("f2");
    }

    @Test
    void registerGivesAServingVersionItsArtifactOnceAndAddsNewVersionsAsCandidates(TestDatabase db, @TempDir Path folder) throws Exception {
        Lifecycles.version(db.jdbi(), "scoring", "v1", "active");
        Path file = Files.writeString(folder.resolve("v1.tribuo"), "model bytes");

        Cli.Run first = models(db, "register", "scoring", "v1", "--artifact", file.toString());
        assertThat(first.status()).as(first.err()).isEqualTo(ExitCode.OK);
        assertThat(first.out()).contains("version v1 of scoring (active) has the artifact " + file.toAbsolutePath());
        assertThat(artifact(db, "scoring", "v1")).isEqualTo(file.toAbsolutePath().toString());
        assertThat(Lifecycles.statuses(db.jdbi(), "scoring")).containsEntry("v1", "active");

        Cli.Run same = models(db, "register", "scoring", "v1", "--artifact", file.toString());
        assertThat(same.out()).contains("already has this artifact; nothing changed");

        Lifecycles.Recorded before = Lifecycles.Recorded.of(db.jdbi());
        Cli.Run other = models(db, "register", "scoring", "v1", "--artifact", "s3://models/scoring/v1-retrained");
        assertThat(other.status()).isEqualTo(ExitCode.USAGE);
        assertThat(other.err()).contains("version v1 of scoring already has the artifact", "a version's artifact never changes");
        assertThat(artifact(db, "scoring", "v1")).isEqualTo(file.toAbsolutePath().toString());
        assertThat(Lifecycles.Recorded.of(db.jdbi())).isEqualTo(before);

        Cli.Run added = models(db, "register", "fraud", "v7", "--artifact", "s3://models/fraud/v7", "--actor", "alice", "--json");
        assertThat(added.status()).as(added.err()).isEqualTo(ExitCode.OK);
        assertThat(json(added).path("registered").asBoolean()).isTrue();
        assertThat(json(added).path("version").path("status").asText()).isEqualTo("candidate");
        assertThat(artifact(db, "fraud", "v7")).isEqualTo("s3://models/fraud/v7");
        assertThat(Lifecycles.events(db.jdbi(), "fraud", "v7")).containsExactly("(new) -> candidate by operator:alice");
    }

    private static String artifact(TestDatabase db, String model, String version) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT v.artifact_uri FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :model AND v.version = :version""").bind("model", model).bind("version", version)
                .mapTo(String.class).one());
    }

    @Test
    void everyBadInputExitsWithStatus2NamesTheProblemAndWritesNothing(TestDatabase db) {
        Lifecycles.version(db.jdbi(), "spam", "v1", "active");
        Lifecycles.version(db.jdbi(), "spam", "v3", "candidate");
        Lifecycles.version(db.jdbi(), "spam", "v4", "candidate");
        Lifecycles.version(db.jdbi(), "solo", "s1", "active");
        Lifecycles.version(db.jdbi(), "fresh", "c1", "candidate");
        assertThat(models(db, "reject", "spam", "v3", "--reason", "worse on recall", "--actor", "bob").status()).isEqualTo(ExitCode.OK);
        Lifecycles.Recorded before = Lifecycles.Recorded.of(db.jdbi());

        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("promote", "nosuch", "v1"), "no model \"nosuch\"");
        cases.put(List.of("promote", "spam", "v9"), "model spam has no version \"v9\"");
        cases.put(List.of("promote", "spam", "v3"), "version v3 of spam was rejected (by operator:bob: worse on recall); promote it anyway with --force");
        cases.put(List.of("reject", "spam", "v4"), "Missing required option: '--reason=TEXT'");
        cases.put(List.of("reject", "spam", "v4", "--reason", ""), "--reason must not be empty");
        cases.put(List.of("reject", "spam", "v4", "--reason", "  "), "--reason must not be empty");
        cases.put(List.of("reject", "spam", "v4", "--reason", "x".repeat(501)), "--reason must be at most 500 characters (is 501)");
        cases.put(List.of("reject", "spam", "v4", "--reason", "bad\u0007bell"), "--reason must not contain control characters (found U+0007 at character 4)");
        cases.put(List.of("reject", "spam", "v4", "--reason", "two\nlines"), "--reason must not contain control characters (found U+000A at character 4)");
        cases.put(List.of("promote", "spam", "v4", "--reason", "x".repeat(501)), "--reason must be at most 500 characters (is 501)");
        cases.put(List.of("reject", "spam", "v1", "--reason", "it is bad"), "version v1 of spam is active: only a candidate or an approved version can be rejected");
        cases.put(List.of("rollback", "solo"), "model solo has no previously active version to roll back to (s1 is the only version that has been active)");
        cases.put(List.of("rollback", "fresh"), "model fresh has no active version to roll back from");
        cases.put(List.of("rollback", "spam", "--reason", "oops\u001b[31m"), "--reason must not contain control characters (found U+001B at character 5)");
        cases.put(List.of("promote", "spam", "v4", "--actor", "eve\u0001"), "--actor must be 1-100 characters of letters, digits and ._@+- (is \"eve\\u0001\")");
        cases.put(List.of("promote", "spam", "v4", "--actor", "a b"), "--actor must be 1-100 characters of letters, digits and ._@+-");
        cases.put(List.of("show", "chu\u0000rn"), "MODEL must be 1-250 characters of letters, digits and _.:/- (is \"chu\\u0000rn\")");
        cases.put(List.of("promote", "spam", "v 4"), "VERSION must be 1-250 characters of letters, digits and _.:/-");
        cases.put(List.of("show", "nosuch"), "no model \"nosuch\"");
        cases.put(List.of("promote", "spam"), "Missing required parameter: 'VERSION'");
        cases.put(List.of("list", "--limit", "0"), "--limit must be between 1 and 10000 (is 0)");
        cases.put(List.of("register", "spam", "v1"), "Missing required option: '--artifact=URI'");
        cases.put(List.of("register", "spam", "v1", "--artifact", ""), "--artifact must not be empty");
        cases.put(List.of("register", "spam", "v1", "--artifact", "no/such/model.tribuo"), "--artifact names no file");
        cases.put(List.of("register", "spam", "v1", "--artifact", "/proc/self/environ"), "--artifact is refused: /proc/self/environ: is not a regular file (it is under /proc)");
        cases.put(List.of("register", "spam", "v1", "--artifact", "/tmp"), "--artifact is refused: /tmp: is not a regular file (a folder, a device, a pipe or a socket)");
        cases.put(List.of("register", "spam", "v1", "--artifact", "s3://bucket/\u0007"), "--artifact must not contain control characters");
        cases.put(List.of("register", "spam", "v1", "--artifact", "s3://" + "x".repeat(2044)), "--artifact must be at most 2048 characters (is 2049)");
        cases.put(List.of("register", "spam", "v5", "--artifact", "s3://b/v5", "--reason", "x".repeat(501)), "--reason must be at most 500 characters (is 501)");
        cases.put(List.of("register", "spam", "v9"), "Missing required option");
        cases.put(List.of(), "missing command: list, show, register, promote, reject or rollback");

        SoftAssertions softly = new SoftAssertions();
        cases.forEach((args, message) -> {
            Cli.Run run = models(db, args.toArray(String[]::new));
            softly.assertThat(run.status()).as("exit status of models %s: %s", args, run.err()).isEqualTo(ExitCode.USAGE);
            softly.assertThat(run.err()).as("message of models %s", args).contains(message);
            softly.assertThat(Lifecycles.Recorded.of(db.jdbi())).as("written by models %s", args).isEqualTo(before);
        });
        softly.assertAll();
    }
}
