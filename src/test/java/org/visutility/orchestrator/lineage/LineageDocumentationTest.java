package org.visutility.orchestrator.lineage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs every query of docs/lineage.md as a member of the database's reader role on the sample lineage and
 * compares its rows with the result table printed under it. Run with
 * {@code -Dlineage.docs.write=true} to rewrite the tables after a deliberate change.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LineageDocumentationTest {
    private static final Path DOC = Path.of("docs/lineage.md");
    private static final String ANALYST = "analyst_docs";
    private static final String ANALYST_PASSWORD = "analyst-docs-password";

    private TestDatabase db;

    @BeforeAll
    void seed(TestDatabase db) throws Exception {
        this.db = db;
        String seed = new String(getClass().getResourceAsStream("seed.sql").readAllBytes(), StandardCharsets.UTF_8);
        String reader = db.createRoles().reader();
        db.jdbi().useHandle(h -> {
            h.createScript(seed).execute();
            h.execute("CREATE ROLE " + ANALYST + " LOGIN PASSWORD '" + ANALYST_PASSWORD + "' IN ROLE " + reader);
        });
    }

    private Connection asAnalyst() throws SQLException {
        Connection c = DriverManager.getConnection(db.url(), ANALYST, ANALYST_PASSWORD);
        try (Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
        }
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedQueryReturnsTheDocumentedRows() throws Exception {
        String doc = Files.readString(DOC);
        int start = DocumentedQuestions.sectionStart(doc);
        List<DynamicTest> tests = new ArrayList<>();
        StringBuilder rewritten = new StringBuilder(doc.substring(0, start));
        int last = start;
        for (DocumentedQuestions.Question q : DocumentedQuestions.parse(doc)) {
            String actual = markdown(run(q.sql()));
            rewritten.append(doc, last, q.start()).append(q.heading()).append("\n\n").append(q.prose()).append("```sql\n").append(q.sql())
                    .append("```\n\n").append(actual).append("\n");
            last = q.end();
            tests.add(DynamicTest.dynamicTest(q.title(), () ->
                    assertThat(actual).as("result of: " + q.sql()).isEqualTo(q.documented())));
        }
        rewritten.append(doc.substring(last));
        if (Boolean.getBoolean("lineage.docs.write")) Files.writeString(DOC, rewritten.toString());
        assertThat(tests).as("documented questions").hasSizeGreaterThanOrEqualTo(10);
        // every question of the section is run: one whose layout the pattern misses would go untested
        assertThat(tests).as("questions run, of the headings in " + DocumentedQuestions.SECTION)
                .hasSize(DocumentedQuestions.headingCount(doc));
        return tests.stream();
    }

    @Test
    void theReaderCanWriteNothing() throws Exception {
        try (Connection c = asAnalyst(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("INSERT INTO orchestrator.model (name) VALUES ('intruder')"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.execute("UPDATE orchestrator.experiment SET status = 'cancelled'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.execute("DELETE FROM orchestrator.trial"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void theReaderReadsTheVersionEventsButCannotChangeThem() throws Exception {
        try (Connection c = asAnalyst(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM orchestrator.model_version_event")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(6);
            }
            assertThatThrownBy(() -> st.execute("UPDATE orchestrator.model_version_event SET reason = 'rewritten'"))
                    .hasMessageContaining("permission denied");
            // the gate's verdicts and the verifications, listed in orchestrator.reader_table
            try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM orchestrator.gate_result), (SELECT count(*) FROM orchestrator.retrain_verification)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getLong(2)).isEqualTo(1);
            }
            assertThatThrownBy(() -> st.execute("DELETE FROM orchestrator.gate_result")).hasMessageContaining("permission denied");
        }
    }

    @Test
    void theReaderCannotSeeSchedulerOrBatchInternalsOrTablesNotGrantedToIt() throws Exception {
        db.jdbi().useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS orchestrator.secret_settings (webhook_url text)"));
        try (Connection c = asAnalyst(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM orchestrator.secret_settings"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM quartz.qrtz_job_details"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM batch.batch_job_execution"))
                    .hasMessageContaining("permission denied");
        } finally {
            db.jdbi().useHandle(h -> h.execute("DROP TABLE orchestrator.secret_settings"));
        }
    }

    private List<List<String>> run(String sql) throws SQLException {
        try (Connection c = asAnalyst(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<String>> rows = new ArrayList<>();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) header.add(md.getColumnLabel(i));
            rows.add(header);
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String v = rs.getString(i);
                    row.add(v == null ? "" : v.replace("|", "\\|").replace("\n", " "));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static String markdown(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) out.append("|").append(" --- |".repeat(rows.get(0).size())).append("\n");
        }
        return out.toString().strip();
    }
}
