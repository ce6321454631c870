package org.visutility.orchestrator.collect;

/**
 * Other batches kept superseding the revisions this batch was about to revise, pass after pass; the
 * input was rolled back and may simply be sent again (HTTP 503 with Retry-After).
 */
public final class ConcurrentRevisionException extends RuntimeException {
    public ConcurrentRevisionException(String message) {
        super(message);
    }
}
