package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a backtest's decisions to fire against the realised metrics of their windows, with the
 * same database function as the live reconciliation ({@code orchestrator.realised_verdict}), so a
 * replayed decision and a recorded one get the same verdict. One statement for all decisions.
 */
final class RealisedVerdicts {
    private static final String SQL = SqlFiles.load(RealisedVerdicts.class, "RealisedVerdicts");

    /** A decision to fire: its model, its conditions as policy_evaluation.detail records them (JSON array), its instant. */
    record Decided(long modelId, String conditions, Instant at) {
    }

    /** Verdicts by the decision's position in {@code decided}; decisions without a realised check are absent. */
    static Map<Integer, Backtester.Realised> of(Handle handle, List<Decided> decided) {
        Map<Integer, Backtester.Realised> out = new HashMap<>();
        if (decided.isEmpty()) return out;
        Integer[] keys = new Integer[decided.size()];
        for (int i = 0; i < keys.length; i++) keys[i] = i;
        handle.createQuery(SQL)
                .bindArray("keys", Integer.class, (Object[]) keys)
                .bindArray("model_ids", Long.class, decided.stream().map(Decided::modelId).toArray())
                .bindArray("conditions", String.class, decided.stream().map(Decided::conditions).toArray())
                .bindArray("decided_us", Long.class, decided.stream().map(d -> SqlValues.micros(d.at())).toArray())
                .map((rs, ctx) -> out.put(rs.getInt("key"), new Backtester.Realised(
                        Backtester.Verdict.valueOf(rs.getString("verdict").toUpperCase(java.util.Locale.ROOT)),
                        rs.getString("metric"), rs.getString("direction"), rs.getDouble("line"),
                        SqlValues.instant(rs, "window_start"), SqlValues.doubleOrNull(rs, "realised_value"),
                        SqlValues.longOrNull(rs, "realised_samples"))))
                .forEach(x -> { });
        return out;
    }
}
