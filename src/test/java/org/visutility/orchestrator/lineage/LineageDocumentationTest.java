package org.visutility.orchestrator.lineage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.RealHistory;
import org.visutility.orchestrator.support.Slow;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs every question of docs/lineage.md ("Questions and their SQL") as a member of the database's
 * reader role, one SELECT each, on a history made by the real commands ({@link RealHistory}), and
 * checks what each answers with {@link DocumentedAnswers}. The result table printed under a
 * question is a sample of that history: its header must be the query's columns; its rows are
 * illustrative (times differ from run to run). Run with {@code -Dlineage.docs.write=true} to
 * rewrite the samples from this run.
 *
 * <p>Slow: the history kills a node in a trial (a child JVM) and lets another rescue the run;
 * building it takes about half a minute.
 */
@Slow
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LineageDocumentationTest {
    private static final Path DOC = Path.of("docs/lineage.md");
    private static final String QUESTIONS = "## Questions and their SQL";
    // a question: its heading, optional paragraphs that explain it, its SQL, the documented rows and what they show
    private static final Pattern QUERY = Pattern.compile(
            "(### [^\\n]+)\\n\\n((?:(?!```)[^#|\\n][^\\n]*\\n)*\\n)?```sql\\n(.*?)```\\n(\\n(?:\\|[^\\n]*\\n)+)?(\\n(?:(?!```)[^#|\\n][^\\n]*\\n)+)?",
            Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("### (\\d+)\\. ");
    private static final String ANALYST = "analyst_docs";
    private static final String ANALYST_PASSWORD = "analyst-docs-password";

    private TestDatabase db;
    private Path dir;
    private RealHistory history;

    @BeforeAll
    void buildTheHistory(TestDatabase db) throws Exception {
        this.db = db;
        this.dir = Files.createTempDirectory("lineage-history-");
        history = RealHistory.build(db, dir);
        System.out.println("the real-command history took " + history.took.toMillis() + " ms to build");
        String reader = db.createRoles().reader();
        db.jdbi().useHandle(h -> h.execute("CREATE ROLE " + ANALYST + " LOGIN PASSWORD '" + ANALYST_PASSWORD + "' IN ROLE " + reader));
    }

    @AfterAll
    void removeTheFiles() throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private Connection asAnalyst() throws SQLException {
        Connection c = DriverManager.getConnection(db.url(), ANALYST, ANALYST_PASSWORD);
        try (Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
        }
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedQuestionAnswersOnTheRealHistory() throws Exception {
        String doc = Files.readString(DOC);
        int start = doc.indexOf(QUESTIONS);
        assertThat(start).as("section " + QUESTIONS).isPositive();
        assertThat(DocumentedQuestions.parse(doc)).as("every question as bench lineage reads them (a paragraph starting with a backtick hides one)")
                .hasSize(DocumentedQuestions.headingCount(doc));
        Map<Integer, DocumentedAnswers.Check> checks = DocumentedAnswers.checks();
        Matcher m = QUERY.matcher(doc);
        m.region(start, doc.length());
        List<DynamicTest> tests = new ArrayList<>();
        StringBuilder rewritten = new StringBuilder(doc.substring(0, start));
        int last = start;
        while (m.find()) {
            String title = m.group(1);
            String prose = m.group(2) == null ? "" : m.group(2);
            String sql = m.group(3);
            String documented = m.group(4) == null ? "" : m.group(4).strip();
            String after = m.group(5) == null ? "" : m.group(5);
            Matcher n = NUMBER.matcher(title);
            assertThat(n.lookingAt()).as("a numbered question: " + title).isTrue();
            int number = Integer.parseInt(n.group(1));
            List<List<String>> result = run(sql);
            String actual = markdown(result);
            rewritten.append(doc, last, m.start()).append(title).append("\n\n").append(prose).append("```sql\n").append(sql)
                    .append("```\n\n").append(actual).append("\n").append(after);
            last = m.end();
            tests.add(DynamicTest.dynamicTest(title.substring(4), () -> {
                assertThat(statements(sql)).as("one SELECT").isEqualTo(1);
                assertThat(documented.lines().findFirst().orElse("")).as("the documented sample's columns").isEqualTo(actual.lines().findFirst().orElse(""));
                assertThat(after.strip()).as("a sentence under the result saying what it shows").isNotEmpty();
                DocumentedAnswers.Check check = checks.get(number);
                assertThat(check).as("what question " + number + " must answer on the real history (DocumentedAnswers)").isNotNull();
                check.verify(new DocumentedAnswers.Answer(rows(result)), history);
            }));
        }
        rewritten.append(doc.substring(last));
        if (Boolean.getBoolean("lineage.docs.write")) Files.writeString(DOC, rewritten.toString());
        assertThat(tests).as("documented questions").hasSizeGreaterThanOrEqualTo(10);
        // every question of the section is run: one whose layout the pattern misses would go untested
        assertThat(tests).as("questions run, of the headings in " + QUESTIONS)
                .hasSize((int) doc.substring(start).lines().filter(l -> l.startsWith("### ")).count());
        return tests.stream();
    }

    @Test
    void computeByMonthIsTheSumOfTheAttemptsAfterACancelATakeoverARetryRoundAndAFailedRun() {
        // the trials step writes its own trials' attempts and their compute (V392), the triggers every other path's
        String summed = """
                SELECT string_agg(x, ',' ORDER BY x) FROM (
                    SELECT model_id || ':' || date_trunc('month', started_at AT TIME ZONE 'UTC')::date || ':' || count(*) || ':'
                           || count(*) FILTER (WHERE outcome = 'interrupted') || ':' || coalesce(sum(duration_seconds), 0) || ':'
                           || coalesce(sum(duration_seconds) FILTER (WHERE NOT is_last_attempt), 0) AS x
                      FROM lineage.trial_attempts GROUP BY model_id, date_trunc('month', started_at AT TIME ZONE 'UTC')) s""";
        String kept = """
                SELECT string_agg(model_id || ':' || month || ':' || attempts || ':' || interrupted || ':' || seconds || ':' || seconds_lost,
                                  ',' ORDER BY model_id || ':' || month || ':' || attempts || ':' || interrupted || ':' || seconds || ':' || seconds_lost)
                  FROM lineage.compute_by_month""";
        String interrupted = "SELECT count(*) FROM lineage.trial_attempts WHERE outcome = 'interrupted' AND experiment_id IN (:cancelled, :killed)";
        db.jdbi().useHandle(h -> {
            assertThat(h.createQuery(interrupted).bind("cancelled", history.cancelled).bind("killed", history.killed)
                    .mapTo(Long.class).one()).as("the cancelled run's attempt and the killed node's").isGreaterThanOrEqualTo(2);
            assertThat(h.createQuery(kept).mapTo(String.class).one()).isNotEmpty().isEqualTo(h.createQuery(summed).mapTo(String.class).one());
        });
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
            assertThatThrownBy(() -> st.execute("UPDATE orchestrator.model_version_event SET reason = 'rewritten'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.execute("DELETE FROM orchestrator.gate_result")).hasMessageContaining("permission denied");
        }
    }

    @Test
    void theReaderReadsTheGateVerdictsAndTheVerifications() throws Exception {
        try (Connection c = asAnalyst(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT (SELECT count(*) FROM orchestrator.gate_result), (SELECT count(*) FROM orchestrator.retrain_verification),
                            (SELECT count(*) FROM orchestrator.model_version_event)""")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("a verdict per successful run (\"no gate\" without one), pricing's two-objective run too").isEqualTo(7);
            assertThat(rs.getLong(2)).as("its verification").isEqualTo(1);
            assertThat(rs.getLong(3)).isGreaterThanOrEqualTo(6);
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

    /** Statements in the query text: semicolons outside quotes that end one. */
    private static long statements(String sql) {
        String unquoted = sql.replaceAll("'[^']*'", "''");
        return Stream.of(unquoted.split(";")).filter(s -> !s.isBlank()).count();
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
                for (int i = 1; i <= md.getColumnCount(); i++) row.add(rs.getString(i));
                rows.add(row);
            }
            return rows;
        }
    }

    /** The rows as column name to value (NULL as null). */
    private static List<Map<String, String>> rows(List<List<String>> result) {
        List<Map<String, String>> out = new ArrayList<>();
        List<String> header = result.get(0);
        for (List<String> r : result.subList(1, result.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) row.put(header.get(i), r.get(i));
            out.add(row);
        }
        return out;
    }

    private static String markdown(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> cells = rows.get(r).stream().map(v -> v == null ? "" : v.replace("|", "\\|").replace("\n", " ")).toList();
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
            if (r == 0) out.append("|").append(" --- |".repeat(rows.get(0).size())).append("\n");
        }
        return out.toString().strip();
    }
}
