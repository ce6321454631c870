package org.visutility.orchestrator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A range of numbers cut into chunks and worked through by a few threads, each taking the next chunk
 * nobody has taken, as several writers or nodes share a backlog. The first failure is thrown once every
 * worker has stopped.
 */
final class ChunkWorkers {
    /** The work on the numbers [from, to). */
    interface Chunk {
        void run(long from, long to) throws Exception;
    }

    private ChunkWorkers() {
    }

    static void run(long from, long to, long chunkSize, int workers, Chunk work) throws Exception {
        if (chunkSize < 1) throw new IllegalArgumentException("chunk size must be at least 1 (is " + chunkSize + ")");
        AtomicLong next = new AtomicLong(from);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    for (long start = next.getAndAdd(chunkSize); start < to; start = next.getAndAdd(chunkSize)) {
                        work.run(start, Math.min(to, start + chunkSize));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            pool.shutdown();
        }
    }
}
