package org.visutility.orchestrator.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The questions of docs/lineage.md's section "Questions and their SQL", each with its SQL and the
 * result table printed under it. One parser for the test that runs them against the sample lineage
 * and for {@code bench lineage}, which times them on a large history.
 */
public final class DocumentedQuestions {
    /** The section's heading. */
    public static final String SECTION = "## Questions and their SQL";
    // a question: its heading, optional paragraphs that explain it, its SQL, and the documented rows
    private static final Pattern QUESTION = Pattern.compile(
            "(### [^\\n]+)\\n\\n((?:[^`#|\\n][^\\n]*\\n)*\\n)?```sql\\n(.*?)```\\n(\\n(?:\\|[^\\n]*\\n)+)?", Pattern.DOTALL);

    /**
     * One question as written.
     *
     * @param heading    its heading line, {@code ### ...}
     * @param prose      the paragraphs between heading and SQL (empty when none), as written
     * @param sql        the SQL block's text
     * @param documented the result table under it, stripped (empty when none)
     * @param start      where the question starts in the document
     * @param end        where it ends
     */
    public record Question(String heading, String prose, String sql, String documented, int start, int end) {
        /** The heading without its {@code ###}. */
        public String title() {
            return heading.substring(4);
        }
    }

    private DocumentedQuestions() {
    }

    /** Where the section starts in the document. */
    public static int sectionStart(String doc) {
        int start = doc.indexOf(SECTION);
        if (start < 0) throw new IllegalArgumentException("the document has no section \"" + SECTION + "\"");
        return start;
    }

    /** The questions of the section, in document order. */
    public static List<Question> parse(String doc) {
        int start = sectionStart(doc);
        Matcher m = QUESTION.matcher(doc);
        m.region(start, doc.length());
        List<Question> out = new ArrayList<>();
        while (m.find()) {
            out.add(new Question(m.group(1), m.group(2) == null ? "" : m.group(2), m.group(3),
                    m.group(4) == null ? "" : m.group(4).strip(), m.start(), m.end()));
        }
        return out;
    }

    /** How many {@code ###} headings the section has: a question whose layout the parser misses shows as a difference. */
    public static int headingCount(String doc) {
        return (int) doc.substring(sectionStart(doc)).lines().filter(l -> l.startsWith("### ")).count();
    }
}
