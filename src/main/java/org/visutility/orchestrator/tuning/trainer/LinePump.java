package org.visutility.orchestrator.tuning.trainer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one of a trainer's output streams on its own thread, in chunks, and hands on its lines
 * (ended by \n, \r or \r\n). A line is never held beyond {@code maxLineBytes}: a longer one is
 * reported once, with its first bytes, through {@link Sink#tooLong} and the rest of it is skipped,
 * so a trainer printing a 600 MB line costs this node one buffer, not its heap.
 *
 * <p>The pump reads only what the pipe holds ({@code available()}) and otherwise waits a few
 * milliseconds: a blocking read would wait for end of file, which a process the trainer left
 * behind can withhold forever by keeping the pipe open. So once {@link #finish()} is called (the
 * trainer is gone and its processes killed) the pump takes what is left in the pipe and ends.
 */
final class LinePump {
    private static final Logger LOG = LoggerFactory.getLogger(LinePump.class);
    /** How long the pump waits when the pipe is empty. */
    private static final long IDLE_MS = 10;
    private static final int CHUNK = 8192;
    /** What the pump still reads once finishing, at most: a process that escaped the kill may go on writing. */
    private static final long FINAL_BYTES = 1 << 20;

    /** Where the lines go; called on the pump's thread. */
    interface Sink {
        void line(String line);

        /** A line longer than the limit, seen when it passed the limit; {@code start} is its first bytes (decoded). */
        void tooLong(String start);
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final Sink sink;
    private final Thread thread;
    private final byte[] line;
    private int length;
    private boolean overflowing;
    private boolean afterCarriageReturn;
    private volatile boolean finishing;

    private LinePump(InputStream in, int maxLineBytes, Sink sink, String name) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
        this.line = new byte[maxLineBytes];
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    static LinePump start(InputStream in, int maxLineBytes, Sink sink, String name) {
        LinePump pump = new LinePump(in, maxLineBytes, sink, name);
        pump.thread.start();
        return pump;
    }

    /** The stream's writers are gone (or killed): read what is left, then end. */
    void finish() {
        finishing = true;
    }

    /** Waits at most {@code millis} for the pump to end; true when it did. */
    boolean join(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private void run() {
        byte[] chunk = new byte[CHUNK];
        long finalBudget = FINAL_BYTES;
        try {
            while (true) {
                boolean last = finishing; // read before looking at the pipe: nothing written before finish() is missed
                int available = in.available();
                if (available > 0 && (!last || finalBudget > 0)) {
                    int n = in.read(chunk, 0, Math.min(available, chunk.length));
                    if (n < 0) break;
                    if (last) finalBudget -= n;
                    accept(chunk, n);
                } else if (last) {
                    break;
                } else {
                    Thread.sleep(IDLE_MS);
                }
            }
            if (length > 0 && !overflowing) emit();
        } catch (IOException e) {
            LOG.debug("{} closed: {}", thread.getName(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("{} did not close: {}", thread.getName(), e.getMessage());
            }
        }
    }

    private void accept(byte[] chunk, int n) {
        for (int i = 0; i < n; i++) {
            byte b = chunk[i];
            if (b == '\n' && afterCarriageReturn) {
                afterCarriageReturn = false;
                continue;
            }
            afterCarriageReturn = b == '\r';
            if (b == '\n' || b == '\r') {
                if (!overflowing) emit();
                length = 0;
                overflowing = false;
            } else if (overflowing) {
                // the rest of an over-long line: skipped
            } else if (length == maxLineBytes) {
                overflowing = true;
                sink.tooLong(new String(line, 0, length, StandardCharsets.UTF_8));
            } else {
                line[length++] = b;
            }
        }
    }

    private void emit() {
        sink.line(new String(line, 0, length, StandardCharsets.UTF_8));
        length = 0;
    }
}
