package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.policy.spec.SqlCondition;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Custom SQL predicates. Each predicate's text is its policy's own, so each runs as its own
 * statement, inside a read-only transaction with the predicate's statement timeout; a failing
 * predicate (error, timeout, wrong shape) does not count and does not stop the others.
 */
final class SqlPredicateKind implements ConditionKind {
    private static final Logger LOG = LoggerFactory.getLogger(SqlPredicateKind.class);

    @Override
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        Map<Integer, ConditionResult> out = new HashMap<>();
        for (ConditionInput in : inputs) {
            SqlCondition c = (SqlCondition) in.condition();
            try {
                out.put(in.key(), run(handle, in, c));
            } catch (RuntimeException e) {
                String why = "the predicate failed: " + rootMessage(e);
                LOG.warn("Custom SQL predicate for model {} failed: {}", in.modelName(), why);
                out.put(in.key(), ConditionResult.unknown(c, why, List.of()));
            }
        }
        return out;
    }

    /** Runs a predicate once; also used to check a predicate when a policy file is applied. */
    static ConditionResult run(Handle handle, ConditionInput in, SqlCondition c) {
        if (handle.isInTransaction()) throw new IllegalStateException("a custom predicate needs a transaction of its own");
        return handle.inTransaction(h -> {
            h.execute("SET TRANSACTION READ ONLY");
            h.createQuery("SELECT set_config('statement_timeout', :ms, true)")
                    .bind("ms", Long.toString(c.timeout().toMillis())).mapTo(String.class).one();
            ConditionResult r = h.createQuery(c.sql())
                    .configure(SqlStatements.class, s -> s.setUnusedBindingAllowed(true).setTemplateEngine(TemplateEngine.NOP))
                    .bind("model_id", in.modelId())
                    .bind("model", in.modelName())
                    .bind("at", SqlValues.utc(in.at()))
                    .scanResultSet((supplier, ctx) -> {
                        try (ResultSet rs = supplier.get()) {
                            return read(c, rs);
                        } catch (SQLException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    });
            return r;
        });
    }

    private static ConditionResult read(SqlCondition c, ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        boolean hasObserved = false;
        boolean hasEvidence = false;
        boolean hasBreach = false;
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i);
            if (name.equals("breach")) hasBreach = md.getColumnType(i) == java.sql.Types.BIT || md.getColumnType(i) == java.sql.Types.BOOLEAN;
            if (name.equals("observed")) hasObserved = true;
            if (name.equals("evidence")) hasEvidence = true;
        }
        if (!hasBreach) throw new IllegalStateException("the query must return a boolean column named breach");
        if (!rs.next()) return ConditionResult.unknown(c, "the query returned no row", List.of());
        boolean breach = rs.getBoolean("breach");
        boolean isNull = rs.wasNull();
        Double observed = hasObserved ? SqlValues.doubleOrNull(rs, "observed") : null;
        List<Long> evidence = hasEvidence ? SqlValues.longs(rs, "evidence") : List.of();
        if (rs.next()) throw new IllegalStateException("the query must return one row, it returned more");
        if (isNull) return ConditionResult.unknown(c, "breach is null", evidence);
        return new ConditionResult(c, breach, !breach, observed, null, evidence, null);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.strip().lines().findFirst().orElse(m);
    }
}
