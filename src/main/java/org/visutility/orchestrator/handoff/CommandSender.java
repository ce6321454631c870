package org.visutility.orchestrator.handoff;

import org.visutility.orchestrator.outbox.NotDelivered;
import org.visutility.orchestrator.tuning.trainer.ProgramRun;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts promotion_command once per notification, as trainers are started ({@link ProgramRun}: the
 * node's ORCHESTRATOR_* settings and secrets never reach it), with the JSON on stdin and
 * ORCH_PROMOTION_* variables. Exit status 0 is delivery; another status or the timeout (the
 * process tree killed) is a failed attempt, its stderr tail kept in last_error.
 */
final class CommandSender {
    static final String TOKEN_ENV = "ORCH_PROMOTION_TOKEN";

    private final List<String> command;
    private final Path workdir;
    private final Duration timeout;
    private final Map<String, String> nodeEnvironment;

    CommandSender(List<String> command, Path workdir, Duration timeout, Map<String, String> nodeEnvironment) {
        this.command = List.copyOf(command);
        this.workdir = workdir;
        this.timeout = timeout;
        this.nodeEnvironment = Map.copyOf(nodeEnvironment);
    }

    void send(Notification n) throws NotDelivered, InterruptedException {
        try {
            java.nio.file.Files.createDirectories(workdir);
        } catch (java.io.IOException e) {
            throw new NotDelivered("promotion_command: cannot create its working folder " + workdir + ": " + e.getMessage());
        }
        ProgramRun.Outcome outcome = ProgramRun.run(command, workdir, variables(n), TOKEN_ENV,
                n.body().getBytes(StandardCharsets.UTF_8), timeout, nodeEnvironment);
        if (!outcome.succeeded()) throw new NotDelivered("promotion_command: " + outcome.describe());
    }

    /** The hook's own variables: what a shell script needs without parsing the JSON. */
    static Map<String, String> variables(Notification n) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ORCH_PROMOTION_EVENT", n.event());
        vars.put("ORCH_PROMOTION_DELIVERY_ID", n.deliveryId());
        vars.put("ORCH_PROMOTION_MODEL", n.model());
        vars.put("ORCH_PROMOTION_VERSION", n.version());
        vars.put("ORCH_PROMOTION_ARTIFACT_URI", n.artifactUri() == null ? "" : n.artifactUri());
        return vars;
    }
}
