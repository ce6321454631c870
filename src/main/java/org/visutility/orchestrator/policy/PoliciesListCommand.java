package org.visutility.orchestrator.policy;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", description = "Each policy, its current version and the state of its model.")
public final class PoliciesListCommand implements Callable<Integer> {
    private static final String LIST = SqlFiles.load(PoliciesListCommand.class, "ListPolicies");

    @Mixin
    ConfigOption config;

    @Mixin
    JsonOption json;

    record Row(String policy, int version, boolean enabled, String model, String state, Instant since, Instant lastEvaluatedAt,
               Double lastObserved, Long openExperiment, String sourceFile) {
    }

    @Override
    public Integer call() throws Exception {
        List<Row> rows;
        try (Database db = DatabaseConnector.open(config.load())) {
            new Migrations(db.dataSource()).migrate();
            rows = db.jdbi().withHandle(h -> h.createQuery(LIST)
                    .map((rs, ctx) -> new Row(rs.getString("name"), rs.getInt("current_version"), rs.getBoolean("enabled"),
                            rs.getString("model"), rs.getString("state"), SqlValues.instant(rs, "since"), SqlValues.instant(rs, "last_evaluated_at"),
                            SqlValues.doubleOrNull(rs, "last_observed"), SqlValues.longOrNull(rs, "open_experiment"), rs.getString("source_file")))
                    .list());
        }
        if (json.enabled()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (Row r : rows) {
                ObjectNode n = out.addObject();
                n.put("name", r.policy());
                n.put("version", r.version());
                n.put("enabled", r.enabled());
                n.put("model", r.model());
                n.put("state", r.state());
                n.put("since", r.since() == null ? null : r.since().toString());
                n.put("last_evaluated_at", r.lastEvaluatedAt() == null ? null : r.lastEvaluatedAt().toString());
                n.put("last_observed", r.lastObserved());
                n.put("open_experiment", r.openExperiment());
                n.put("source_file", r.sourceFile());
            }
            System.out.println(Json.MAPPER.writeValueAsString(out));
            return ExitCode.OK;
        }
        if (rows.isEmpty()) {
            System.out.println("no policies; apply a policy file with: orchestrator policies apply FILE");
            return ExitCode.OK;
        }
        String format = "%-32s %-7s %-20s %-8s %-9s %-22s %-14s %s%n";
        System.out.printf(format, "POLICY", "VERSION", "MODEL", "ENABLED", "STATE", "SINCE", "LAST OBSERVED", "OPEN EXPERIMENT");
        for (Row r : rows) {
            System.out.printf(format, r.policy(), "v" + r.version(), r.model(), r.enabled() ? "yes" : "no",
                    r.state() == null ? "-" : r.state(), r.since() == null ? "not evaluated yet" : r.since().toString(),
                    r.lastObserved() == null ? "-" : String.format("%.6g", r.lastObserved()),
                    r.openExperiment() == null ? "-" : r.openExperiment().toString());
        }
        return ExitCode.OK;
    }
}
