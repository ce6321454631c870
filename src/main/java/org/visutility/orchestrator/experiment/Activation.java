package org.visutility.orchestrator.experiment;

import java.util.List;
import java.util.Locale;

/**
 * What happens to a version the gate approves ({@code activate:} of a spec, or of the policy that
 * enqueues it): {@code wait} (the default) leaves it approved until the serving stack's first
 * snapshots under it make it active; {@code auto} makes it active at once, the previous active
 * version retired, for serving stacks that read the registry.
 */
public enum Activation {
    WAIT, AUTO;

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The spellings a spec may use. */
    public static final List<String> SPELLINGS = List.of("wait", "auto");
}
