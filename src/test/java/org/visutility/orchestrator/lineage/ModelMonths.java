package org.visutility.orchestrator.lineage;

import org.visutility.orchestrator.support.TestDatabase;

import java.util.List;

/**
 * An experiment's model's compute per month, two ways, as model:month:attempts:interrupted:seconds:lost
 * lines: as lineage.compute_by_month keeps it, and as the sums over lineage.trial_attempts it must equal.
 */
final class ModelMonths {
    private static final String SUMMED = """
            SELECT model || ':' || to_char(date_trunc('month', started_at AT TIME ZONE 'UTC'), 'YYYY-MM') || ':' || count(*) || ':'
                   || count(*) FILTER (WHERE outcome = 'interrupted') || ':' || coalesce(sum(duration_seconds), 0) || ':'
                   || coalesce(sum(duration_seconds) FILTER (WHERE NOT is_last_attempt), 0)
              FROM lineage.trial_attempts
             WHERE model_id = (SELECT model_id FROM orchestrator.experiment WHERE id = :id)
             GROUP BY model, date_trunc('month', started_at AT TIME ZONE 'UTC')
             ORDER BY 1""";
    private static final String KEPT = """
            SELECT c.model || ':' || to_char(c.month, 'YYYY-MM') || ':' || c.attempts || ':' || c.interrupted || ':' || c.seconds || ':' || c.seconds_lost
              FROM lineage.compute_by_month c
             WHERE c.model_id = (SELECT model_id FROM orchestrator.experiment WHERE id = :id)
             ORDER BY 1""";

    private ModelMonths() {
    }

    /** The months lineage.compute_by_month holds for experiment {@code id}'s model. */
    static List<String> kept(TestDatabase db, long id) {
        return rows(db, KEPT, id);
    }

    /** The same months summed over every attempt in lineage.trial_attempts. */
    static List<String> summedFromAttempts(TestDatabase db, long id) {
        return rows(db, SUMMED, id);
    }

    private static List<String> rows(TestDatabase db, String sql, long id) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(String.class).list());
    }
}
