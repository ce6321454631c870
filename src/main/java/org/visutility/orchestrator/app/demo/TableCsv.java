package org.visutility.orchestrator.app.demo;

import org.visutility.orchestrator.tuning.builtin.Table;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a table as CSV with a header row and the label last, as the built-in trainer reads it. */
final class TableCsv {
    private TableCsv() {
    }

    static void write(Table table, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(String.join(",", table.features()));
            out.write(",label\n");
            for (int i = 0; i < table.size(); i++) {
                double[] row = table.row(i);
                StringBuilder line = new StringBuilder();
                for (double v : row) line.append(v).append(',');
                line.append(table.label(i)).append('\n');
                out.write(line.toString());
            }
        }
    }
}
