package org.visutility.orchestrator.outbox;

/** Sends one claimed row to its destination; returns normally when the destination accepted it, throws why not. */
@FunctionalInterface
public interface Sender<E extends Claimed> {
    void send(E row) throws Exception;
}
