package org.visutility.orchestrator.core;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The one CSV reader of the product (snapshot files, the built-in trainer's datasets): RFC 4180 as
 * Apache Commons CSV reads it. Fields are separated by commas; a field may be double-quoted, with
 * {@code ""} for a quote inside, and a quoted field may hold commas and span lines. Lines end in LF
 * or CRLF; a leading byte order mark is dropped. Rows are streamed one at a time, each with the line
 * of the file it starts on; blank lines come back as blank rows (so that lines keep their numbers)
 * for the caller to skip. The header is the caller's: its rules and messages differ by file.
 */
public final class CsvRows implements Closeable {
    /** How the spaces around a field are read. */
    public enum Spaces {
        /** kept as written ({@code a, b} has the field {@code " b"}) */
        KEPT,
        /** dropped outside quotes, so {@code a, "b,c"} is the fields {@code a} and {@code b,c} */
        IGNORED
    }

    /** RFC 4180, empty lines kept as rows; comments, escapes and trailing text after a closing quote are not allowed. */
    private static final CSVFormat RFC_4180 = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();
    private static final CSVFormat RFC_4180_SPACES_IGNORED = RFC_4180.builder().setIgnoreSurroundingSpaces(true).get();
    private static final char BOM = '\uFEFF';

    /** One row: the line of the file it starts on and its fields, quotes removed. */
    public record Row(int line, List<String> cells) {
        /** An empty or all-blank line. */
        public boolean isBlank() {
            return cells.size() == 1 && cells.get(0).isBlank();
        }
    }

    /**
     * The file is not valid CSV at {@link #line()}; {@link #problem()} says why, never quoting the
     * file's text (a dataset path may point at a secret).
     */
    public static final class MalformedCsvException extends IOException {
        private final int line;
        private final String problem;

        MalformedCsvException(int line, String problem) {
            super("line " + line + ": " + problem);
            this.line = line;
            this.problem = problem;
        }

        public int line() {
            return line;
        }

        public String problem() {
            return problem;
        }
    }

    private final LimitedReader limited;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private int rowLine = 1;

    /**
     * @param maxRowChars a row longer than this (about; the parser reads ahead a few KiB) is refused, so
     *                    that a stray quote cannot make one field of a whole large file
     */
    public CsvRows(Reader in, Spaces spaces, long maxRowChars) throws IOException {
        this.limited = new LimitedReader(withoutBom(in), maxRowChars);
        this.parser = CSVParser.builder().setReader(limited)
                .setFormat(spaces == Spaces.IGNORED ? RFC_4180_SPACES_IGNORED : RFC_4180).get();
        this.records = parser.iterator();
    }

    /**
     * The next row, or null at the end of the input.
     *
     * @throws MalformedCsvException the input is not valid CSV there; reading cannot go on
     * @throws IOException          the input cannot be read (bytes that are not UTF-8, among others)
     */
    public Row next() throws IOException {
        int line = Math.toIntExact(parser.getCurrentLineNumber() + 1);
        rowLine = line;
        limited.startRow();
        try {
            if (!records.hasNext()) return null;
            return new Row(line, Arrays.asList(records.next().values()));
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            if (cause instanceof CSVException bad) throw malformed(line, bad);
            if (cause instanceof RowTooLongException) {
                throw new MalformedCsvException(line, "is part of a row longer than " + limited.max
                        + " characters (is a quoted field not closed?)");
            }
            throw cause;
        }
    }

    /**
     * The characters the parser has taken from the input so far: a little ahead of the rows it
     * returned (it reads a few KiB at a time), which is what an estimate of the rest of a file needs.
     */
    public long charsRead() {
        return limited.read;
    }

    /**
     * The line the last row read, or the row being read when an error was thrown, starts on: where
     * an input error (bytes that are not UTF-8) is reported.
     */
    public int rowLine() {
        return rowLine;
    }

    private MalformedCsvException malformed(int rowLine, CSVException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("EOF reached before encapsulated token finished")) {
            return new MalformedCsvException(rowLine, "has an unterminated quote: a quoted field opened on this line is not closed"
                    + " before the end of the file (a quote inside a quoted field is written \"\")");
        }
        if (message.contains("Invalid character between encapsulated token and delimiter")) {
            // the parser has just read the stray character, so its line is the one to name
            int at = Math.toIntExact(Math.max(rowLine, parser.getCurrentLineNumber()));
            return new MalformedCsvException(at, "has text after the closing quote of a quoted field"
                    + " (a quote inside a quoted field is written \"\")");
        }
        return new MalformedCsvException(rowLine, "is not valid CSV (RFC 4180)");
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private static Reader withoutBom(Reader in) throws IOException {
        BufferedReader buffered = in instanceof BufferedReader b ? b : new BufferedReader(in);
        buffered.mark(1);
        if (buffered.read() != BOM) buffered.reset();
        return buffered;
    }

    /** Thrown inside the parser's reads when one row has read more than its limit. */
    private static final class RowTooLongException extends IOException {
    }

    /** Counts the characters handed to the parser since the current row began. */
    private static final class LimitedReader extends FilterReader {
        private final long max;
        private long read;
        private long rowStart;

        LimitedReader(Reader in, long max) {
            super(in);
            this.max = max;
        }

        void startRow() {
            rowStart = read;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) count(1);
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) count(n);
            return n;
        }

        private void count(int n) throws RowTooLongException {
            read += n;
            if (read - rowStart > max) throw new RowTooLongException();
        }
    }
}
