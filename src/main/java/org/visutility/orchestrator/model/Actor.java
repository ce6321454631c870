package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.UsageException;

import java.util.regex.Pattern;

/**
 * Who changed a version's status, as orchestrator.model_version_event.actor spells it: the
 * challenger {@code gate}, the {@code serving} stack (through its snapshots), an
 * {@code operator:<name>}, post-deploy {@code verification}, or the {@code experiment} that
 * registered a candidate.
 */
public record Actor(String value) {
    /** The same rule as the CHECK constraint on model_version_event.actor. */
    static final Pattern OPERATOR_NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");

    public static final Actor GATE = new Actor("gate");
    public static final Actor SERVING = new Actor("serving");
    public static final Actor VERIFICATION = new Actor("verification");
    public static final Actor EXPERIMENT = new Actor("experiment");

    /**
     * An operator acting through a command; {@code option} names where the name came from, for the
     * message when it breaks the rule.
     */
    public static Actor operator(String option, String name) {
        if (name == null || !OPERATOR_NAME.matcher(name).matches()) {
            throw new UsageException(option + " must be 1-100 characters of letters, digits and ._@+- (is "
                    + LifecycleText.shown(name) + ")");
        }
        return new Actor("operator:" + name);
    }

    @Override
    public String toString() {
        return value;
    }
}
