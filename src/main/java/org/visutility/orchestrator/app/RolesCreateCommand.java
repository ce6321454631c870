package org.visutility.orchestrator.app;

import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.JsonOption;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.DatabaseErrors;
import org.visutility.orchestrator.store.RoleSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "create", description = {
        "Create the database's reader role <database>_lineage_reader and the login <database>_policy_sql that custom SQL "
                + "policy conditions run as. Run it as an administrator (a role with CREATEROLE): the service needs no such "
                + "right. It sets ORCHESTRATOR_POLICY_SQL_PASSWORD, when given, as that login's password. It migrates nothing."})
public final class RolesCreateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        OrchestratorConfig cfg = config.load();
        RoleSetup.Outcome o;
        String where;
        try (Database db = DatabaseConnector.open(cfg); Handle h = db.jdbi().open()) {
            where = db.description();
            o = RoleSetup.run(h, cfg.policySqlPassword());
        } catch (RoleSetup.UnfitRoleException e) {
            throw new UsageException(e.getMessage());
        } catch (JdbiException e) {
            throw new IllegalStateException("cannot create the database's roles (run roles create as a role with CREATEROLE): "
                    + DatabaseErrors.describe(e), e);
        }
        if (json.enabled()) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("database", where);
            out.putObject("reader").put("role", o.names().reader()).put("created", o.readerCreated());
            out.putObject("policy_sql").put("role", o.names().conditions()).put("created", o.conditionsCreated())
                    .put("password_set", o.passwordSet());
            out.put("privileges_granted", o.grantedNow());
            o.legacyReaderMembers().forEach(out.putArray("legacy_reader_members")::add);
            System.out.println(Json.MAPPER.writeValueAsString(out));
            return ExitCode.OK;
        }
        System.out.printf("%-8s %s (no login): analysts read the lineage through it; GRANT %s TO <analyst>;%n",
                o.readerCreated() ? "created" : "checked", o.names().reader(), o.names().reader());
        System.out.printf("%-8s %s (login, read-only, statements bounded to 1m): custom SQL policy conditions run as it; %s%n",
                o.conditionsCreated() ? "created" : "checked", o.names().conditions(),
                o.passwordSet() ? "password set from ORCHESTRATOR_POLICY_SQL_PASSWORD"
                        : o.conditionsCreated() ? "no password (ORCHESTRATOR_POLICY_SQL_PASSWORD is unset): nodes log in only where pg_hba.conf trusts them"
                        : "password left as it was (ORCHESTRATOR_POLICY_SQL_PASSWORD is unset)");
        System.out.println(o.grantedNow() ? "privileges granted on " + where
                : "privileges: granted by the orchestrator's own user at its next migrate or node start (this user does not own the schema)");
        if (!o.legacyReaderMembers().isEmpty()) {
            System.out.printf("note: the server-wide role lineage_reader reads this database no more; its members (%s) need GRANT %s TO <member>;%n",
                    String.join(", ", o.legacyReaderMembers()), o.names().reader());
        }
        return ExitCode.OK;
    }
}
