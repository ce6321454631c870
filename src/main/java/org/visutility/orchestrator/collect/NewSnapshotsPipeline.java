package org.visutility.orchestrator.collect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The sink of a batch tried as all new keys: snapshots are gathered in chunks; a batch of one chunk
 * (an HTTP batch of at most 1000) is written on the caller's thread once fed, a longer one (a file) by a writer
 * thread that COPYs each chunk while the caller reads and validates the next. Once a chunk's rows
 * are all sent, the writer takes the next chunk if it was handed and makes it ready to send while
 * the server still writes the rows: the server does not wait between chunks. Only the writer
 * thread uses the connection until {@link #finish} returns.
 */
final class NewSnapshotsPipeline implements SnapshotSink {
    private static final Logger LOG = LoggerFactory.getLogger(NewSnapshotsPipeline.class);
    /**
     * The first chunk: the writer starts COPYing once it is read. Chunks then double up to
     * {@link #CHUNK}, so that a long file pays few round trips and a short one waits little. Doubling,
     * the reader reads a chunk well before the server has written the one before (growing fourfold,
     * a 20,000-row file's third chunk of 15,000 rows kept the server waiting for it 14 to 44 ms).
     */
    static final int FIRST_CHUNK = SnapshotBatchValidator.MAX_SNAPSHOTS_PER_BATCH;
    static final int CHUNK = 16 * FIRST_CHUNK;
    private static final int QUEUED_CHUNKS = 2;

    /** @param expectedAfter how many snapshots the source expected after this chunk when it was handed; -1 not said */
    private record Chunk(List<NewSnapshotsCopy.Numbered> snapshots, NewSnapshotsCopy.Row[] sorted, boolean last, int expectedAfter) {
    }

    private static final Chunk STOP = new Chunk(List.of(), null, true, 0);

    private final NewSnapshotsCopy copy;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private int chunkSize = FIRST_CHUNK;
    private List<NewSnapshotsCopy.Numbered> current = new ArrayList<>(FIRST_CHUNK);
    private Thread writer;
    private int chunks;
    /** The source's last estimate of the snapshots still to come; -1 while it said none. */
    private int expectedMore = -1;
    private volatile RuntimeException failure;
    /** How long the writer waited for the caller to read and validate a chunk, and the caller for the writer to take one. */
    private volatile long writerWaitedNanos;
    private long readerWaitedNanos;
    /** The next chunk, taken by the writer while the server wrote the one before, and what was made ready of it; writer thread only. */
    private Chunk takenAhead;
    private NewSnapshotsCopy.Ready readyAhead;
    private int chunksReadyAhead;
    private final long startNanos = System.nanoTime();
    /** How long the first chunk took to read and validate: the COPY could not start before. */
    private long firstChunkNanos;

    NewSnapshotsPipeline(NewSnapshotsCopy copy) {
        this.copy = copy;
    }

    @Override
    public void add(int position, Snapshot snapshot) {
        // a full chunk is handed once another snapshot follows it: a batch of exactly one chunk (an
        // HTTP batch of 1000) is then written whole on the caller's thread, as a shorter one is
        if (current.size() == chunkSize) {
            hand(new Chunk(current, sortedAhead(current), false, expectedMore));
            chunkSize = Math.min(CHUNK, chunkSize * 2);
            current = new ArrayList<>(chunkSize);
        }
        current.add(NewSnapshotsCopy.Numbered.of(position, snapshot)); // on the reading thread
    }

    @Override
    public void expectMore(int snapshots) {
        expectedMore = snapshots; // on the reading thread, as add
    }

    /** After the source fed everything: writes what is left and waits for the writer. */
    void finish() {
        if (writer == null) {
            copy.write(current, true, -1);
            return;
        }
        hand(new Chunk(current, sortedAhead(current), true, 0));
        join();
        if (failure != null) throw failure;
        LOG.debug("Streamed batch in {} chunks ({} made ready while the server wrote the one before), the first read in {} ms: the COPY"
                + " writer waited {} ms for chunks (reading), the reader {} ms for the writer (COPY)", chunks, chunksReadyAhead,
                firstChunkNanos / 1_000_000, writerWaitedNanos / 1_000_000, readerWaitedNanos / 1_000_000);
    }

    /** After the source failed: stops the writer (it writes nothing more) and waits for it, so the connection is free. */
    void abandon() {
        if (writer == null) return;
        queue.clear();
        queue.offer(STOP);
        join();
    }

    /**
     * A later chunk sorted on the reading thread, which mostly waits for the writer: sorting is then
     * off the writer's path, between whose COPYs the server would otherwise sit idle. Null for the
     * first chunk (the writer learns its versions' ids) and for one with a version not seen before.
     */
    private NewSnapshotsCopy.Row[] sortedAhead(List<NewSnapshotsCopy.Numbered> chunk) {
        return writer == null ? null : copy.sorted(chunk);
    }

    private void hand(Chunk chunk) {
        chunks++;
        if (writer == null) {
            firstChunkNanos = System.nanoTime() - startNanos;
            writer = new Thread(this::writeChunks, "ingest-copy");
            writer.setDaemon(true);
            writer.start();
        }
        long t0 = System.nanoTime();
        try {
            while (!queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                if (failure != null) throw failure; // the writer stopped: stop reading
                if (!writer.isAlive()) throw new IllegalStateException("the COPY writer thread ended early");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while importing", e);
        }
        readerWaitedNanos += System.nanoTime() - t0;
        if (failure != null) throw failure;
    }

    private void writeChunks() {
        try {
            Chunk chunk = take();
            while (chunk != STOP) {
                NewSnapshotsCopy.Ready ready = readyAhead;
                takenAhead = null;
                readyAhead = null;
                copy.write(chunk.snapshots(), chunk.sorted(), ready, false, chunk.expectedAfter(), chunk.last() ? null : this::takeAhead);
                if (chunk.last()) return;
                chunk = takenAhead != null ? takenAhead : take();
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new IllegalStateException("interrupted while importing", e);
        }
    }

    private Chunk take() throws InterruptedException {
        long t0 = System.nanoTime();
        Chunk chunk = queue.take();
        writerWaitedNanos += System.nanoTime() - t0;
        return chunk;
    }

    /**
     * While the server writes a chunk's last rows: takes the next chunk (waiting for the reader if
     * need be: the server has nothing else to do before it) and makes it ready to send.
     */
    private void takeAhead() {
        Chunk next;
        try {
            next = take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while importing", e);
        }
        takenAhead = next;
        if (next == STOP) return;
        readyAhead = copy.readyAhead(next.snapshots(), next.sorted(), next.expectedAfter());
        if (readyAhead != null) chunksReadyAhead++;
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
