package org.visutility.orchestrator.tuning.builtin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file into a {@link Table}: a header row naming the columns, one of them the label
 * (any text), every other one a numeric feature. Fields may be double-quoted (with "" for a
 * quote inside); a quoted field may not span lines. Every problem names the file, the line, the
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
        BufferedReader reader = new BufferedReader(in);
        String headerLine = reader.readLine();
        if (headerLine == null) throw new BadCsvException(source + ": empty file (a header row is needed)");
        if (headerLine.startsWith("\uFEFF")) headerLine = headerLine.substring(1);
        List<String> header = fields(headerLine, source, 1).stream().map(String::trim).toList();
        int label = header.indexOf(labelColumn);
        if (label < 0) {
            throw new BadCsvException(source + " line 1: the header row has no column '" + labelColumn + "' (the label column;"
                    + " trainer.label names another) among its " + header.size() + " columns"
                    + (shipped ? ": " + String.join(", ", header) : ""));
        }
        if (header.size() < 2) throw new BadCsvException(source + ": needs at least one feature column besides the label");
        List<String> features = new ArrayList<>(header);
        features.remove(label);
        for (String f : features) {
            if (f.isBlank()) throw new BadCsvException(source + " line 1: a column has no name");
        }
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        String line;
        int number = 1;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) continue;
            List<String> cells = fields(line, source, number);
            if (cells.size() != header.size()) {
                throw new BadCsvException(source + " line " + number + ": " + cells.size() + " fields, the header has " + header.size());
            }
            double[] row = new double[features.size()];
            int j = 0;
            for (int c = 0; c < cells.size(); c++) {
                String cell = cells.get(c).trim();
                if (c == label) {
                    if (cell.isEmpty()) throw new BadCsvException(source + " line " + number + ", column '" + labelColumn + "': the label is empty");
                    labels.add(cell);
                    continue;
                }
                row[j++] = number(cell, source, number, c + 1);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) throw new BadCsvException(source + ": no rows after the header");
        return new Table(source, features, rows, labels);
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

    /** The fields of one line, quotes removed. */
    static List<String> fields(String line, String source, int number) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) throw new BadCsvException(source + " line " + number + ": a quoted field is not closed");
        fields.add(field.toString());
        return fields;
    }
}
