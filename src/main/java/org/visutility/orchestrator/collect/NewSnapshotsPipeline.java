package org.visutility.orchestrator.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The sink of a batch tried as all new keys: snapshots are gathered in chunks; a batch of one chunk
 * (an HTTP batch) is written on the caller's thread once fed, a longer one (a file) by a writer
 * thread that COPYs each chunk while the caller reads and validates the next. Only the writer
 * thread uses the connection until {@link #finish} returns.
 */
final class NewSnapshotsPipeline implements SnapshotSink {
    static final int CHUNK = 10_000;
    private static final int QUEUED_CHUNKS = 2;

    private record Chunk(List<NewSnapshotsCopy.Numbered> snapshots, boolean last) {
    }

    private static final Chunk STOP = new Chunk(List.of(), true);

    private final NewSnapshotsCopy copy;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private List<NewSnapshotsCopy.Numbered> current = new ArrayList<>();
    private Thread writer;
    private volatile RuntimeException failure;

    NewSnapshotsPipeline(NewSnapshotsCopy copy) {
        this.copy = copy;
    }

    @Override
    public void add(int position, Snapshot snapshot) {
        current.add(new NewSnapshotsCopy.Numbered(position, snapshot));
        if (current.size() == CHUNK) {
            hand(new Chunk(current, false));
            current = new ArrayList<>(CHUNK);
        }
    }

    /** After the source fed everything: writes what is left and waits for the writer. */
    void finish() {
        if (writer == null) {
            copy.write(current, true);
            return;
        }
        hand(new Chunk(current, true));
        join();
        if (failure != null) throw failure;
    }

    /** After the source failed: stops the writer (it writes nothing more) and waits for it, so the connection is free. */
    void abandon() {
        if (writer == null) return;
        queue.clear();
        queue.offer(STOP);
        join();
    }

    private void hand(Chunk chunk) {
        if (writer == null) {
            writer = new Thread(this::writeChunks, "ingest-copy");
            writer.setDaemon(true);
            writer.start();
        }
        try {
            while (!queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                if (failure != null) throw failure; // the writer stopped: stop reading
                if (!writer.isAlive()) throw new IllegalStateException("the COPY writer thread ended early");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while importing", e);
        }
        if (failure != null) throw failure;
    }

    private void writeChunks() {
        try {
            while (true) {
                Chunk chunk = queue.take();
                if (chunk == STOP) return;
                copy.write(chunk.snapshots(), false);
                if (chunk.last()) return;
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new IllegalStateException("interrupted while importing", e);
        }
    }

    private void join() {
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while importing", e);
        }
    }
}
