package org.visutility.orchestrator.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the promotion hand-off goes (a version approved, or rolled back into service): a webhook, a
 * command hook, both or neither (the default: no notification is enqueued).
 *
 * @param webhookUrl    receives a JSON POST per notification
 * @param webhookSecret signs each body (HMAC-SHA256, header X-Orchestrator-Signature); empty: unsigned
 * @param command       the program and its arguments, started once per notification with the JSON on stdin; empty: no hook
 * @param timeout       how long one POST or one run of the command may take
 */
public record PromotionSettings(Optional<URI> webhookUrl, Optional<String> webhookSecret, List<String> command, Duration timeout) {
    public PromotionSettings {
        command = List.copyOf(command);
    }

    public boolean enabled() {
        return webhookUrl.isPresent() || !command.isEmpty();
    }

    /** No destination (tests, and a configuration built without the settings). */
    public static PromotionSettings none() {
        return new PromotionSettings(Optional.empty(), Optional.empty(), List.of(), Durations.parse(PromotionDefaults.TIMEOUT));
    }
}
