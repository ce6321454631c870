package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.UsageException;

import java.util.regex.Pattern;

/** The checks of a command's MODEL and VERSION arguments: the same rule as the names in the tables. */
final class ModelArguments {
    /** The CHECK on orchestrator.model.name and model_version.version. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,250}");

    private ModelArguments() {
    }

    static String name(String label, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new UsageException(label + " must be 1-250 characters of letters, digits and _.:/- (is " + LifecycleText.shown(value) + ")");
        }
        return value;
    }
}
