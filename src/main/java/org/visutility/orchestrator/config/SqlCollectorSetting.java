package org.visutility.orchestrator.config;

import java.time.Duration;
import java.util.Optional;

/**
 * One SQL collector: a warehouse reached through JDBC, a query with a {@code :since} bind that
 * returns snapshot columns, and the Quartz cron expression (evaluated in UTC) it runs on.
 *
 * @param onChangedValue what a recomputed, changed value of a collected key does (default revise)
 * @param settle         a window is final once this long after its observed_at; empty: provisional
 *                       until a row says final (revise) or final when recorded (reject)
 * @param maxRevisionAge a changed value of a key observed longer ago than this is rejected as too late; empty: no limit
 * @param returns        what the query's rows are: metric snapshots (the default) or distribution histograms
 */
public record SqlCollectorSetting(String name, String url, Optional<String> user, Optional<String> password,
                                  String query, String cron, OnChangedValue onChangedValue, Optional<Duration> settle,
                                  Optional<Duration> maxRevisionAge, InvalidRowPolicy onInvalidRow, CollectedItems returns) {
    /** The collector's default for on_changed_value: its numbers are recomputed by design. */
    public static final OnChangedValue DEFAULT_ON_CHANGED_VALUE = OnChangedValue.REVISE;

    /** A collector of metric snapshots. */
    public SqlCollectorSetting(String name, String url, Optional<String> user, Optional<String> password, String query, String cron,
                               OnChangedValue onChangedValue, Optional<Duration> settle, Optional<Duration> maxRevisionAge,
                               InvalidRowPolicy onInvalidRow) {
        this(name, url, user, password, query, cron, onChangedValue, settle, maxRevisionAge, onInvalidRow, CollectedItems.SNAPSHOTS);
    }

    /** A collector with the defaults: changed values revise, no settle time, no revision age limit. */
    public SqlCollectorSetting(String name, String url, Optional<String> user, Optional<String> password, String query, String cron) {
        this(name, url, user, password, query, cron, DEFAULT_ON_CHANGED_VALUE, Optional.empty(), Optional.empty());
    }

    /** A collector with the given revision rules that rejects the whole run on an invalid row (the default). */
    public SqlCollectorSetting(String name, String url, Optional<String> user, Optional<String> password, String query, String cron,
                               OnChangedValue onChangedValue, Optional<Duration> settle, Optional<Duration> maxRevisionAge) {
        this(name, url, user, password, query, cron, onChangedValue, settle, maxRevisionAge, InvalidRowPolicy.REJECT_RUN);
    }

    /** A collector with the default revision rules and the given on_invalid_row. */
    public SqlCollectorSetting(String name, String url, Optional<String> user, Optional<String> password, String query, String cron,
                               InvalidRowPolicy onInvalidRow) {
        this(name, url, user, password, query, cron, DEFAULT_ON_CHANGED_VALUE, Optional.empty(), Optional.empty(), onInvalidRow);
    }

    /** For logs and errors: never the password, never URL parameters (they may carry secrets). */
    @Override
    public String toString() {
        int q = url.indexOf('?');
        return "SqlCollectorSetting[name=" + name + ", url=" + (q < 0 ? url : url.substring(0, q)) + ", cron=" + cron
                + ", on_changed_value=" + onChangedValue.word() + ", on_invalid_row=" + onInvalidRow.key() + ", returns=" + returns.key() + "]";
    }
}
