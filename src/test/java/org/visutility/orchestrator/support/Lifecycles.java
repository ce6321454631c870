package org.visutility.orchestrator.support;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;

/**
 * Model versions for lifecycle tests, and typed reads of what the lifecycle wrote: statuses, each
 * version's events as "from -> to by actor", and the counts that show that nothing was written.
 */
public final class Lifecycles {
    private Lifecycles() {
    }

    /** A version of the model (created if new) registered in the given status (candidate, active or retired) with its first event. */
    public static long version(Jdbi jdbi, String model, String version, String status) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO orchestrator.model (name) VALUES (:name) ON CONFLICT (name) DO NOTHING").bind("name", model).execute();
            long id = h.createQuery("""
                    INSERT INTO orchestrator.model_version (model_id, version, source, status)
                    SELECT id, :version, 'manual', :status FROM orchestrator.model WHERE name = :model RETURNING id""")
                    .bind("model", model).bind("version", version).bind("status", status).mapTo(Long.class).one();
            h.createUpdate("""
                    INSERT INTO orchestrator.model_version_event (model_version_id, from_status, to_status, actor, reason)
                    VALUES (:id, NULL, :status, 'serving', 'registered by the test')""").bind("id", id).bind("status", status).execute();
            return id;
        });
    }

    public static String status(Jdbi jdbi, String model, String version) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT v.status FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :model AND v.version = :version""").bind("model", model).bind("version", version)
                .mapTo(String.class).one());
    }

    /** The model's versions and their statuses, by version label. */
    public static Map<String, String> statuses(Jdbi jdbi, String model) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT v.version, v.status FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :model ORDER BY v.version""").bind("model", model)
                .setMapKeyColumn("version").setMapValueColumn("status")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() {
                }));
    }

    /** The version's events in order, each as "from -> to by actor" ("(new)" for a registration). */
    public static List<String> events(Jdbi jdbi, String model, String version) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT coalesce(e.from_status, '(new)') || ' -> ' || e.to_status || ' by ' || e.actor
                  FROM orchestrator.model_version_event e
                  JOIN orchestrator.model_version v ON v.id = e.model_version_id
                  JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :model AND v.version = :version
                 ORDER BY e.id""").bind("model", model).bind("version", version).mapTo(String.class).list());
    }

    /**
     * The model's events whose from_status is not the previous event's to_status of the same
     * version, or whose to_status is not the version's status now (empty: the histories are whole).
     */
    public static List<String> brokenChains(Jdbi jdbi, String model) {
        return jdbi.withHandle(h -> h.createQuery("""
                WITH e AS (
                    SELECT e.id, v.version, v.status, e.from_status, e.to_status,
                           lag(e.to_status) OVER (PARTITION BY e.model_version_id ORDER BY e.id) AS before,
                           lead(e.id) OVER (PARTITION BY e.model_version_id ORDER BY e.id) AS next
                      FROM orchestrator.model_version_event e
                      JOIN orchestrator.model_version v ON v.id = e.model_version_id
                      JOIN orchestrator.model m ON m.id = v.model_id
                     WHERE m.name = :model)
                SELECT version || ': event ' || id || ' ' || coalesce(from_status, '(new)') || ' -> ' || to_status
                       || CASE WHEN from_status IS DISTINCT FROM before THEN ' follows ' || coalesce(before, 'nothing')
                               ELSE ' but the version is ' || status END
                  FROM e
                 WHERE from_status IS DISTINCT FROM before OR (next IS NULL AND to_status <> status)
                 ORDER BY id""").bind("model", model).mapTo(String.class).list());
    }

    /** How many status changes are recorded, and a fingerprint of every version's status: equal before and after means nothing was written. */
    public record Recorded(long events, String statuses) {
        public static Recorded of(Jdbi jdbi) {
            return jdbi.withHandle(h -> h.createQuery("""
                    SELECT (SELECT count(*) FROM orchestrator.model_version_event) AS events,
                           (SELECT coalesce(string_agg(id || '=' || status, ',' ORDER BY id), '') FROM orchestrator.model_version) AS statuses""")
                    .map((rs, ctx) -> new Recorded(rs.getLong("events"), rs.getString("statuses"))).one());
        }
    }
}
