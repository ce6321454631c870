package org.visutility.orchestrator.tuning.builtin;

import org.visutility.orchestrator.core.CsvRows;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file into a {@link Table}: a header row naming the columns, one of them the label
 * (any text), every other one a numeric feature. The file is RFC 4180 ({@link CsvRows}): fields may
 * be double-quoted (with "" for a quote inside), and a quoted field may hold commas and span lines;
 * spaces around a field are dropped. Every problem names the file, the line (where the row starts), the
 * column's number and the rule, and never quotes a user's file: a path to a file that is no
 * dataset (/etc/shadow) must not be echoed back.
 */
final class CsvTable {
    /** A row or cell that does not fit; the message names the source, the line and the column. */
    static final class BadCsvException extends IllegalArgumentException {
        BadCsvException(String message) {
            super(message);
        }
    }

    private CsvTable() {
    }

    /** @param shipped the file is one of the jar's datasets: its column names may be quoted in a problem */
    static Table read(Reader in, String source, String labelColumn, boolean shipped) throws IOException {
        // the file's size is bounded (Datasets.MAX_CSV_BYTES), so a row needs no bound of its own
        try (CsvRows csv = new CsvRows(in, CsvRows.Spaces.IGNORED, Long.MAX_VALUE)) {
            CsvRows.Row headerRow = next(csv, source);
            if (headerRow == null) throw new BadCsvException(source + ": empty file (a header row is needed)");
            List<String> header = headerRow.cells().stream().map(String::trim).toList();
            int label = header.indexOf(labelColumn);
            if (label < 0) {
                throw new BadCsvException(source + " line " + headerRow.line() + ": the header row has no column '" + labelColumn
                        + "' (the label column; trainer.label names another) among its " + header.size() + " columns"
                        + (shipped ? ": " + String.join(", ", header) : ""));
            }
            if (header.size() < 2) throw new BadCsvException(source + ": needs at least one feature column besides the label");
            List<String> features = new ArrayList<>(header);
            features.remove(label);
            for (String f : features) {
                if (f.isBlank()) throw new BadCsvException(source + " line " + headerRow.line() + ": a column has no name");
            }
            List<double[]> rows = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            CsvRows.Row row;
            while ((row = next(csv, source)) != null) {
                if (row.isBlank()) continue;
                List<String> cells = row.cells();
                int number = row.line();
                if (cells.size() != header.size()) {
                    throw new BadCsvException(source + " line " + number + ": " + cells.size() + " fields, the header has " + header.size());
                }
                double[] values = new double[features.size()];
                int j = 0;
                for (int c = 0; c < cells.size(); c++) {
                    String cell = cells.get(c).trim();
                    if (c == label) {
                        if (cell.isEmpty()) throw new BadCsvException(source + " line " + number + ", column '" + labelColumn + "': the label is empty");
                        labels.add(cell);
                        continue;
                    }
                    values[j++] = number(cell, source, number, c + 1);
                }
                rows.add(values);
            }
            if (rows.isEmpty()) throw new BadCsvException(source + ": no rows after the header");
            return new Table(source, features, rows, labels);
        }
    }

    /** The next row; a row that is not valid CSV is a problem naming its line (never its text). */
    private static CsvRows.Row next(CsvRows csv, String source) throws IOException {
        try {
            return csv.next();
        } catch (CsvRows.MalformedCsvException e) {
            throw new BadCsvException(source + " line " + e.line() + ": " + e.problem());
        }
    }

    private static double number(String cell, String source, int line, int column) {
        try {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadCsvException(source + " line " + line + ", column " + column
                + ": not a finite number (features must be numeric, with no missing values)");
    }
}
