package org.visutility.orchestrator.tuning;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in a spec, each naming the field (a dotted path such as
 * {@code budget.trials}) and the rule it breaks. Validation collects them all, so one run shows
 * every mistake in a file.
 */
public final class Violations {
    private final List<String> messages = new ArrayList<>();

    public void add(String path, String rule) {
        messages.add(path + ": " + rule);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    public int size() {
        return messages.size();
    }
}
