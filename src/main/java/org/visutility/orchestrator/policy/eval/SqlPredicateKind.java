package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.policy.spec.SqlCondition;
import org.visutility.orchestrator.store.DatabaseErrors;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Custom SQL predicates. Each predicate's text is its policy's own, so each runs on its own, on the
 * {@link ConditionPool} (the policy-condition role, never the node's), as one subquery
 * ({@link PredicateQuery}) in a read-only transaction with the predicate's statement timeout, and
 * the transaction is always rolled back. A failing predicate (error, timeout, wrong shape) does
 * not count and does not stop the others.
 */
final class SqlPredicateKind implements ConditionKind {
    private static final Logger LOG = LoggerFactory.getLogger(SqlPredicateKind.class);
    private static final String READ_ONLY = SqlFiles.load(SqlPredicateKind.class, "PredicateTransaction");
    private static final String LIMITS = SqlFiles.load(SqlPredicateKind.class, "PredicateLimits");
    private static final String HOLDS_LOCKS = SqlFiles.load(SqlPredicateKind.class, "HoldsSessionLocks");
    /** A predicate's transaction is open only while the node reads its one row. */
    private static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(30);

    private final ConditionPool pool;

    SqlPredicateKind(ConditionPool pool) {
        this.pool = pool;
    }

    @Override
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        Map<Integer, ConditionResult> out = new HashMap<>();
        try {
            pool.jdbi();
        } catch (ConditionPool.UnavailableException e) {
            LOG.warn("{} custom SQL predicate(s) not evaluated: {}", inputs.size(), e.getMessage());
            for (ConditionInput in : inputs) {
                out.put(in.key(), ConditionResult.unknown(in.condition(), "the predicate cannot run: " + e.getMessage(), List.of()));
            }
            return out;
        }
        for (ConditionInput in : inputs) {
            SqlCondition c = (SqlCondition) in.condition();
            try {
                out.put(in.key(), run(pool, in, c));
            } catch (RuntimeException e) {
                String why = "the predicate failed: " + rootMessage(e);
                LOG.warn("Custom SQL predicate for model {} failed: {}", in.modelName(), why);
                out.put(in.key(), ConditionResult.unknown(c, why, List.of()));
            }
        }
        return out;
    }

    /** Runs a predicate once; also used to check a predicate when a policy file is applied. */
    static ConditionResult run(ConditionPool pool, ConditionInput in, SqlCondition c) {
        String sql = PredicateQuery.of(c.sql());
        Jdbi jdbi = pool.jdbi();
        try (Handle h = jdbi.open()) {
            try {
                h.begin();
                h.execute(READ_ONLY);
                h.createQuery(LIMITS)
                        .bind("statement_timeout", millis(c.timeout()))
                        .bind("lock_timeout", millis(c.timeout()))
                        .bind("idle_timeout", millis(IDLE_IN_TRANSACTION))
                        .mapToMap().one();
                return h.createQuery(sql)
                        .configure(SqlStatements.class, s -> s.setUnusedBindingAllowed(true).setTemplateEngine(TemplateEngine.NOP))
                        .bind("model_id", in.modelId())
                        .bind("model", in.modelName())
                        .bind("at", SqlValues.utc(in.at()))
                        // today's current values: infinity, which no superseded_at passes
                        .bind("known_at", in.knownAt() == null ? OffsetDateTime.MAX : SqlValues.utc(in.knownAt()))
                        .scanResultSet((supplier, ctx) -> {
                            try (ResultSet rs = supplier.get()) {
                                return read(c, rs);
                            } catch (SQLException e) {
                                throw new IllegalStateException(e.getMessage(), e);
                            }
                        });
            } finally {
                end(pool, h);
            }
        }
    }

    /** Rolls the predicate's transaction back; a connection left holding a lock (or broken) is closed, not pooled. */
    private static void end(ConditionPool pool, Handle h) {
        boolean clean;
        try {
            h.rollback();
            clean = !h.createQuery(HOLDS_LOCKS).mapTo(Boolean.class).one();
        } catch (RuntimeException e) {
            clean = false;
        }
        if (!clean) {
            LOG.warn("A custom SQL predicate left its connection holding a lock; the connection is closed");
            pool.discard(h);
        }
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
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
        return DatabaseErrors.describe(t);
    }
}
