package org.visutility.orchestrator.core;

/** Invalid input to a command (a bad file, a bad argument): exit status 2, the message says what and where. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
