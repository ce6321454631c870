package org.visutility.orchestrator.experiment.batch;

import org.springframework.batch.core.repository.ExecutionContextSerializer;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;

/**
 * The trials step's checkpoint (its step execution context) written by the unit's own statement
 * ({@link UnitWrites}) instead of by a statement of its own: serialized exactly as Spring Batch's
 * JDBC repository stores it (same serializer, charset and short/long split, set in
 * {@link BatchInfrastructure}), so a restart reads it back as always. The unit's transaction is
 * marked, and the repository's own write of that context in that transaction is then left out
 * ({@link FencedJobRepository}); the mark ends with the transaction, whatever its outcome.
 */
final class CheckpointInUnit {
    /** Spring Batch's JDBC repository: a context longer than this goes to SERIALIZED_CONTEXT, a prefix to SHORT_CONTEXT. */
    static final int SHORT_CONTEXT_LENGTH = 2500;
    private static final Object WRITTEN = new Object();

    /** What to store: the step execution's row, SHORT_CONTEXT and SERIALIZED_CONTEXT (null when short). */
    record Serialized(long stepExecutionId, String shortContext, String serializedContext) {
    }

    private final ExecutionContextSerializer serializer;
    private final Charset charset;

    CheckpointInUnit(ExecutionContextSerializer serializer, Charset charset) {
        this.serializer = serializer;
        this.charset = charset;
    }

    /** The step's context as JdbcExecutionContextDao would write it now. */
    Serialized serialize(StepExecution step) {
        Map<String, Object> entries = new HashMap<>();
        step.getExecutionContext().entrySet().forEach(e -> entries.put(e.getKey(), e.getValue()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            serializer.serialize(entries, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the trials step's checkpoint", e);
        }
        String full = out.toString(charset);
        return full.length() > SHORT_CONTEXT_LENGTH
                ? new Serialized(step.getId(), full.substring(0, SHORT_CONTEXT_LENGTH - 8) + " ...", full)
                : new Serialized(step.getId(), full, null);
    }

    /** The current transaction has written this step execution's context (until it ends). */
    static void markWritten(long stepExecutionId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("the checkpoint can only be written inside the unit's transaction");
        }
        if (TransactionSynchronizationManager.hasResource(WRITTEN)) return;
        TransactionSynchronizationManager.bindResource(WRITTEN, stepExecutionId);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WRITTEN);
            }
        });
    }

    /** Whether the current transaction already wrote this step's context (the mark is used up). */
    static boolean takeWritten(StepExecution step) {
        Object id = TransactionSynchronizationManager.getResource(WRITTEN);
        if (id == null || !id.equals(step.getId())) return false;
        TransactionSynchronizationManager.unbindResource(WRITTEN);
        return true;
    }
}
