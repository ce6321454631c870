package org.visutility.orchestrator.config;

import java.util.Optional;

/**
 * One SQL collector: a warehouse reached through JDBC, a query with a {@code :since} bind that
 * returns snapshot columns, and the Quartz cron expression (evaluated in UTC) it runs on.
 *
 * @param onInvalidRow what a row that breaks a rule does to the run (on_invalid_row)
 */
public record SqlCollectorSetting(String name, String url, Optional<String> user, Optional<String> password,
                                  String query, String cron, InvalidRowPolicy onInvalidRow) {

    /** A collector that rejects the whole run on an invalid row (the default). */
    public SqlCollectorSetting(String name, String url, Optional<String> user, Optional<String> password, String query, String cron) {
        this(name, url, user, password, query, cron, InvalidRowPolicy.REJECT_RUN);
    }

    /** For logs and errors: never the password, never URL parameters (they may carry secrets). */
    @Override
    public String toString() {
        int q = url.indexOf('?');
        return "SqlCollectorSetting[name=" + name + ", url=" + (q < 0 ? url : url.substring(0, q)) + ", cron=" + cron + ", on_invalid_row=" + onInvalidRow.key() + "]";
    }
}
