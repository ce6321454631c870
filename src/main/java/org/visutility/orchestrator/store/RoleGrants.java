package org.visutility.orchestrator.store;

import org.jdbi.v3.core.Handle;

/**
 * Grants the database's own roles their privileges ({@code orchestrator.grant_database_roles},
 * V95). Run by the owner of the schema, which alone may grant on its objects: after every migrate,
 * and when a node first finds the policy-condition role. A role not created yet is skipped.
 */
public final class RoleGrants {
    private static final String GRANT = SqlFiles.load(RoleGrants.class, "GrantDatabaseRoles");

    private RoleGrants() {
    }

    /** How many of the two roles exist and were granted. */
    public static int grant(Handle handle) {
        DatabaseRoleNames names = DatabaseRoleNames.of(handle);
        return handle.createQuery(GRANT).bind("reader", names.reader()).bind("conditions", names.conditions())
                .mapTo(Integer.class).one();
    }
}
