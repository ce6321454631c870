package org.visutility.orchestrator.outbox;

/** What one delivery pass did: rows delivered, attempts failed, and of those the rows now given up. */
public record Pass(int delivered, int failed, int givenUp) {
    public static final Pass NONE = new Pass(0, 0, 0);

    public Pass plus(Pass other) {
        return new Pass(delivered + other.delivered, failed + other.failed, givenUp + other.givenUp);
    }
}
