package org.visutility.orchestrator.store;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The optional admin step, {@code orchestrator roles create}: creates the database's own roles
 * ({@link DatabaseRoleNames}). It needs CREATEROLE, which the service itself never has, so an
 * administrator runs it (the embedded server, the orchestrator's own, runs it at start). Running it
 * again is harmless: an existing role is checked and its settings and password are set again.
 *
 * <p>The roles' privileges on the orchestrator's objects are granted by their owner, the service
 * ({@link RoleGrants}, after every migrate); this step grants them itself only when its user may
 * (a superuser, or the owner).
 */
public final class RoleSetup {
    private static final String ATTRIBUTES = SqlFiles.load(RoleSetup.class, "RoleAttributes");
    private static final String READER_STATEMENTS = SqlFiles.load(RoleSetup.class, "ReaderRoleStatements");
    private static final String CONDITION_STATEMENTS = SqlFiles.load(RoleSetup.class, "ConditionRoleStatements");
    private static final String MAY_GRANT = SqlFiles.load(RoleSetup.class, "MayGrantDatabaseRoles");
    private static final String LEGACY_MEMBERS = SqlFiles.load(RoleSetup.class, "LegacyReaderMembers");

    /**
     * What the step did: which roles it created, whether it set the condition role's password,
     * whether it granted the privileges now (else the service does at its next migrate), and the
     * members of the old server-wide {@code lineage_reader}, who read this database no more.
     */
    public record Outcome(DatabaseRoleNames names, boolean readerCreated, boolean conditionsCreated, boolean passwordSet,
                          boolean grantedNow, List<String> legacyReaderMembers) {
    }

    /** A role exists but is not fit to be one of the database's roles, or the names cannot be used. */
    public static final class UnfitRoleException extends RuntimeException {
        UnfitRoleException(String message) {
            super(message);
        }
    }

    private RoleSetup() {
    }

    /** Creates or checks both roles in one transaction, as the handle's user (an administrator). */
    public static Outcome run(Handle handle, Optional<String> conditionsPassword) {
        return handle.inTransaction(h -> {
            DatabaseRoleNames names = DatabaseRoleNames.of(h);
            names.problem().ifPresent(p -> {
                throw new UnfitRoleException(p);
            });
            boolean readerCreated = !exists(h, names.reader());
            if (readerCreated) {
                h.execute(h.createQuery(READER_STATEMENTS).bind("reader", names.reader()).mapTo(String.class).one());
            }
            boolean conditionsCreated = !exists(h, names.conditions());
            for (String statement : h.createQuery(CONDITION_STATEMENTS).bind("conditions", names.conditions())
                    .bind("create", conditionsCreated).mapTo(String.class).list()) {
                h.execute(statement);
            }
            if (conditionsPassword.isPresent()) setPassword(h, names.conditions(), conditionsPassword.get());
            boolean grantedNow = h.createQuery(MAY_GRANT).mapTo(Boolean.class).one();
            if (grantedNow) RoleGrants.grant(h);
            List<String> legacy = h.createQuery(LEGACY_MEMBERS).mapTo(String.class).list();
            return new Outcome(names, readerCreated, conditionsCreated, conditionsPassword.isPresent(), grantedNow, legacy);
        });
    }

    /** Whether the role exists; an existing one must not give its members more than it is granted here. */
    private static boolean exists(Handle h, String role) {
        List<String> unfit = new ArrayList<>();
        boolean found = h.createQuery(ATTRIBUTES).bind("name", role).map((rs, ctx) -> {
            if (rs.getBoolean("privileged")) {
                unfit.add("has SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS");
            }
            String memberOf = rs.getString("member_of");
            if (memberOf != null) unfit.add("is a member of " + memberOf + " and would read what they read");
            return true;
        }).findOne().orElse(false);
        if (!unfit.isEmpty()) {
            throw new UnfitRoleException("role " + role + " exists but " + String.join(" and ", unfit)
                    + "; drop it or take that away, then run roles create again");
        }
        return found;
    }

    /** Sets the password hashed on this side (SCRAM), so that it is not in the statement the server may log. */
    private static void setPassword(Handle h, String role, String password) {
        try {
            h.getConnection().unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), null);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the password of " + role + ": " + e.getMessage(), e);
        }
    }
}
