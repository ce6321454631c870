package org.visutility.orchestrator.policy.eval;

import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

import java.sql.SQLException;
import java.util.List;

/**
 * A custom predicate's text as the one statement that runs it: a subquery of a SELECT, so that it
 * can only be one query. {@code SELECT true AS breach; COMMIT; INSERT ...} or {@code SET LOCAL ...}
 * would otherwise run as statements of their own (the driver splits a text at its semicolons).
 * Whether the text holds more than one statement is decided by the driver's own splitter, so what
 * passes here is sent as exactly one statement, which the server parses as one or rejects.
 */
final class PredicateQuery {
    /** The newline before the closing parenthesis ends a trailing {@code --} comment of the predicate's. */
    private static final String WRAP_OPEN = "SELECT * FROM (\n";
    private static final String WRAP_CLOSE = "\n) AS predicate";

    private PredicateQuery() {
    }

    /** The statement to run; throws {@link IllegalArgumentException} when the text holds several statements. */
    static String of(String predicate) {
        String sql = WRAP_OPEN + predicate + WRAP_CLOSE;
        // the text alone (a plain "SELECT ...; COMMIT; ..."), then wrapped (a text that closes the
        // subquery's parenthesis to put statements after it)
        if (statements(predicate) > 1 || statements(sql) > 1) {
            throw new IllegalArgumentException("the predicate must be a single query (a SELECT, VALUES or WITH ... SELECT), "
                    + "not statements separated by ';': it runs as a subquery, so nothing else can run with it");
        }
        return sql;
    }

    /** How many statements the driver would send for the text. */
    private static int statements(String text) {
        try {
            List<NativeQuery> parsed = Parser.parseJdbcSql(text, true, false, true, false, false);
            return parsed.size();
        } catch (SQLException e) {
            throw new IllegalArgumentException("the predicate cannot be read: " + e.getMessage(), e);
        }
    }
}
