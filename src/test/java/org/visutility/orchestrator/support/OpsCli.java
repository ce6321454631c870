package org.visutility.orchestrator.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.core.Json;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ops commands run in this JVM against a test database, with short intervals. */
public final class OpsCli {
    private OpsCli() {
    }

    /** Settings for commands (and the node they may start): short check-ins, beats and dispatch rounds. */
    public static Map<String, String> environment(TestDatabase db, Path home) {
        Map<String, String> env = new HashMap<>(db.environment(Map.of(
                "ORCHESTRATOR_DISPATCH_INTERVAL", "200ms",
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms",
                "ORCHESTRATOR_HEARTBEAT_INTERVAL", "200ms",
                "ORCHESTRATOR_RESCUE_AFTER", "1s")));
        env.put("ORCHESTRATOR_HOME", home.toString());
        return env;
    }

    public static Cli.Run run(TestDatabase db, Path home, String... args) {
        return Cli.run(environment(db, home), args);
    }

    /** The last JSON object a command printed (log lines share stdout in tests). */
    public static JsonNode json(Cli.Run run) {
        List<String> objects = run.out().lines().filter(l -> l.startsWith("{")).toList();
        if (objects.isEmpty()) throw new AssertionError("no JSON in the output:\n" + run.out() + run.err());
        try {
            return Json.MAPPER.readTree(objects.get(objects.size() - 1));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
