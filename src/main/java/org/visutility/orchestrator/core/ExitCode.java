package org.visutility.orchestrator.core;

/** Exit statuses every command keeps to. */
public final class ExitCode {
    public static final int OK = 0;
    /** The work failed (a database that cannot be reached, a failed experiment). */
    public static final int FAILED = 1;
    /** Bad usage or invalid input (a setting, a file, an argument). */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
