package org.visutility.orchestrator.store;

import org.jdbi.v3.core.Handle;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The names of a database's own roles. Roles belong to the whole PostgreSQL server, so each name
 * carries the database's: {@code <database>_lineage_reader} (analysts, read-only) and
 * {@code <database>_policy_sql} (the login custom SQL policy conditions run as).
 */
public record DatabaseRoleNames(String reader, String conditions) {
    /** PostgreSQL cuts longer identifiers short (NAMEDATALEN - 1), which could make two databases share a role. */
    public static final int MAX_NAME_BYTES = 63;
    private static final String NAMES = SqlFiles.load(DatabaseRoleNames.class, "DatabaseRoleNames");

    /** The names for the database the handle is connected to. */
    public static DatabaseRoleNames of(Handle handle) {
        return handle.createQuery(NAMES)
                .map((rs, ctx) -> new DatabaseRoleNames(rs.getString("reader"), rs.getString("conditions")))
                .one();
    }

    /** Why these names cannot be used (a name longer than PostgreSQL keeps), or empty. */
    public Optional<String> problem() {
        for (String name : new String[] {reader, conditions}) {
            if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                return Optional.of("the role name " + name + " is longer than PostgreSQL's " + MAX_NAME_BYTES
                        + " bytes; the database's name must be at most " + (MAX_NAME_BYTES - "_lineage_reader".length()) + " bytes");
            }
        }
        return Optional.empty();
    }
}
