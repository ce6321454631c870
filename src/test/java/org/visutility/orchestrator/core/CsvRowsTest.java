package org.visutility.orchestrator.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one CSV reader: RFC 4180 rows, each with the line it starts on. */
class CsvRowsTest {

    private static List<CsvRows.Row> rows(String text, CsvRows.Spaces spaces) throws IOException {
        List<CsvRows.Row> rows = new ArrayList<>();
        try (CsvRows csv = new CsvRows(new StringReader(text), spaces, 1 << 20)) {
            for (CsvRows.Row row; (row = csv.next()) != null; ) rows.add(row);
        }
        return rows;
    }

    private static List<CsvRows.Row> rows(String text) throws IOException {
        return rows(text, CsvRows.Spaces.KEPT);
    }

    @Test
    void quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws IOException {
        List<CsvRows.Row> rows = rows("a,\"b,c\",,\"d\"\"e\",\n\"two\nlines, and \"\"more\"\"\r\nstill\",x\nlast,row\n");
        assertThat(rows).extracting(CsvRows.Row::cells).containsExactly(
                List.of("a", "b,c", "", "d\"e", ""),
                List.of("two\nlines, and \"more\"\r\nstill", "x"),
                List.of("last", "row"));
        assertThat(rows).extracting(CsvRows.Row::line).as("each row's first line").containsExactly(1, 2, 5);
    }

    @Test
    void aByteOrderMarkCrlfBlankLinesAndTheLastNewlineKeepLinesNumbered() throws IOException {
        List<CsvRows.Row> rows = rows("\uFEFFh1,h2\r\n\r\n1,2\r\n   \r\n3,4");
        assertThat(rows).extracting(CsvRows.Row::line).containsExactly(1, 2, 3, 4, 5);
        assertThat(rows).extracting(CsvRows.Row::isBlank).containsExactly(false, true, false, true, false);
        assertThat(rows.get(0).cells()).containsExactly("h1", "h2");
        assertThat(rows.get(4).cells()).containsExactly("3", "4");
        assertThat(rows("a,b\n")).hasSize(1);
        assertThat(rows("")).isEmpty();
    }

    @Test
    void spacesAroundFieldsAreKeptOrIgnoredAsAsked() throws IOException {
        assertThat(rows(" a , b ").get(0).cells()).containsExactly(" a ", " b ");
        assertThat(rows(" a , \"b, c\" ,d", CsvRows.Spaces.IGNORED).get(0).cells()).containsExactly("a", "b, c", "d");
    }

    @Test
    void anUnterminatedQuoteNamesTheLineItOpensOn() {
        assertThatThrownBy(() -> rows("h1,h2\n1,2\n3,\"open\n4,5\n6,7\n"))
                .isInstanceOfSatisfying(CsvRows.MalformedCsvException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.problem()).startsWith("has an unterminated quote").contains("not closed before the end of the file");
                });
    }

    @Test
    void textAfterAClosingQuoteNamesItsLineWithoutQuotingIt() {
        assertThatThrownBy(() -> rows("h1,h2\n\"multi\nline\",\"SECRET\"x,1\n"))
                .isInstanceOfSatisfying(CsvRows.MalformedCsvException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.problem()).isEqualTo("has text after the closing quote of a quoted field (a quote inside a quoted field is written \"\")");
                    assertThat(e.getMessage()).doesNotContain("SECRET");
                });
    }

    @Test
    void aRowLongerThanTheLimitIsRefusedAtItsFirstLine() {
        String text = "h\n1\n\"" + "x\n".repeat(20_000) + "\n";
        assertThatThrownBy(() -> {
            try (CsvRows csv = new CsvRows(new StringReader(text), CsvRows.Spaces.KEPT, 16_384)) {
                while (csv.next() != null) {
                    // read to the end
                }
            }
        }).isInstanceOfSatisfying(CsvRows.MalformedCsvException.class, e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.problem()).isEqualTo("is part of a row longer than 16384 characters (is a quoted field not closed?)");
        });
    }
}
