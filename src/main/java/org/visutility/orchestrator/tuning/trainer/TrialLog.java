package org.visutility.orchestrator.tuning.trainer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One of a trainer's output streams kept whole in its trial folder ({@code stdout.log},
 * {@code stderr.log}) up to {@link OutputLimits#MAX_LOG_BYTES}: past it the file keeps the first
 * half and the last half of what was printed, with a line between them saying how much was cut.
 * The head is written as it comes; the tail is held (at most half the cap) and written when the
 * attempt ends. A log that cannot be written is given up with a warning: it never fails a trial.
 */
final class TrialLog implements LinePump.Sink, AutoCloseable {
    static final String STDOUT = "stdout.log";
    static final String STDERR = "stderr.log";
    private static final Logger LOG = LoggerFactory.getLogger(TrialLog.class);

    private final Path file;
    private final long headCap;
    private final long tailCap;
    private final Deque<String> tail = new ArrayDeque<>();
    private Writer out;
    private long headBytes;
    private long tailBytes;
    private long cutBytes;
    private long cutLines;
    private boolean headFull;

    private TrialLog(Path file, long cap, Writer out) {
        this.file = file;
        this.headCap = cap / 2;
        this.tailCap = cap - cap / 2;
        this.out = out;
    }

    /** A log at {@code file} capped at {@code cap} bytes; one that cannot be created keeps nothing. */
    static TrialLog open(Path file, long cap) {
        Writer out = null;
        try {
            out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("Cannot write {}: {}", file, e.getMessage());
        }
        return new TrialLog(file, cap, out);
    }

    @Override
    public synchronized void line(String line) {
        add(line + "\n");
    }

    @Override
    public synchronized void tooLong(String start) {
        add(start + " [this line was longer than " + utf8Length(start) + " bytes; the rest of it was not read]\n");
    }

    private void add(String text) {
        long bytes = utf8Length(text);
        if (!headFull && headBytes + bytes <= headCap) {
            write(text);
            headBytes += bytes;
            return;
        }
        headFull = true;
        tail.addLast(text);
        tailBytes += bytes;
        while (tailBytes > tailCap && !tail.isEmpty()) {
            String dropped = tail.removeFirst();
            long n = utf8Length(dropped);
            tailBytes -= n;
            cutBytes += n;
            cutLines++;
        }
    }

    /** Writes the tail (after a line saying what was cut, if anything was) and closes the file. */
    @Override
    public synchronized void close() {
        if (cutBytes > 0) {
            write("[... " + cutBytes + " bytes in " + cutLines + " lines cut here: the log keeps the first " + headBytes
                    + " and the last " + tailBytes + " bytes (" + OutputLimits.MAX_LOG_BYTES + " bytes at most) ...]\n");
        }
        tail.forEach(this::write);
        tail.clear();
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("Cannot write {}: {}", file, e.getMessage());
            }
            out = null;
        }
    }

    private void write(String text) {
        if (out == null) return;
        try {
            out.write(text);
        } catch (IOException e) {
            LOG.warn("Cannot write {}: {}; the rest of it is not kept", file, e.getMessage());
            try {
                out.close();
            } catch (IOException ignored) {
                // already failing
            }
            out = null;
        }
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** Both sinks get every line (the protocol's reader and the log). */
    static LinePump.Sink tee(LinePump.Sink first, LinePump.Sink second) {
        return new LinePump.Sink() {
            @Override
            public void line(String line) {
                first.line(line);
                second.line(line);
            }

            @Override
            public void tooLong(String start) {
                first.tooLong(start);
                second.tooLong(start);
            }
        };
    }
}
