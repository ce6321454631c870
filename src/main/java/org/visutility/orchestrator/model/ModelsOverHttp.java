package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ControlClient;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.TextTable;
import org.visutility.orchestrator.core.UsageException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * promote, reject and rollback with {@code --server}: the node's control API makes the change, the
 * token's name is the actor (an --actor given too is refused, not ignored), and the command prints
 * what it would print on the database path. A refusal (409) exits 2, as a refused change does there.
 */
final class ModelsOverHttp {
    private ModelsOverHttp() {
    }

    static String versionPath(String route, String model, String version) {
        return route.replace("{model}", segment(model)).replace("{version}", segment(version));
    }

    static String modelPath(String route, String model) {
        return route.replace("{model}", segment(model));
    }

    /** Sends the change; prints the answer as JSON or as the summary line and the changes table. */
    static int send(ControlClient client, String path, ObjectNode body, OperatorOption operator, boolean json) {
        if (operator.given()) {
            throw new UsageException("--actor cannot be used with --server: the node records the token's name as the actor");
        }
        ControlClient.Answer answer = client.post(path, "application/json", body.toString());
        if (!answer.ok()) throw new UsageException(answer.error());
        JsonNode out = answer.body();
        if (json) {
            System.out.println(out);
        } else {
            System.out.println(summary(out));
            if (out.path("changed").asBoolean()) System.out.print(table(out));
        }
        return ExitCode.OK;
    }

    static ObjectNode body() {
        return Json.MAPPER.createObjectNode();
    }

    private static String summary(JsonNode out) {
        String label = "version " + out.path("version").asText() + " of " + out.path("model").asText();
        String status = out.path("status").asText();
        if (!out.path("changed").asBoolean()) return label + " is already " + status + "; nothing changed";
        String retired = Optional.ofNullable(out.path("retired").textValue()).map(r -> "; " + r + " retired").orElse("");
        return label + " is " + status + " (was " + out.path("was").asText() + ")" + retired;
    }

    private static String table(JsonNode out) {
        TextTable t = new TextTable("VERSION", "FROM", "TO", "ACTOR", "REASON");
        for (JsonNode c : out.path("changes")) {
            t.row(c.path("version").asText(), c.path("from").isNull() ? "(new)" : c.path("from").asText(), c.path("to").asText(),
                    c.path("actor").asText(), c.path("reason").asText());
        }
        return t.toString();
    }

    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
