package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** How trials exclude and include print their outcome for people (from the JSON both paths have). */
final class ExclusionText {
    private ExclusionText() {
    }

    /** The answer as the command prints it without --json. */
    static String text(JsonNode out) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder().append("trial ").append(out.path("trial").asInt()).append(" of experiment ")
                .append(out.path("experiment").asLong()).append(out.path("excluded").asBoolean() ? " is excluded" : " is included again")
                .append(" (").append(out.path("actor").asText()).append(')').append(nl);
        JsonNode best = out.path("best_set");
        if (best.path("changed").asBoolean()) {
            b.append(String.format(Locale.ROOT, "best set recomputed: trial %d (score %s) -> trial %d (score %s)%n",
                    best.path("previous_trial").asInt(), ExperimentText.number(best.path("previous_score").asDouble()),
                    best.path("trial").asInt(), ExperimentText.number(best.path("score").asDouble())));
            b.append("no model version is registered again: a version made from trial ").append(best.path("previous_trial").asInt())
                    .append(" keeps what it was trained with").append(nl);
        } else if (best.path("recorded").asBoolean()) {
            b.append("best set unchanged").append(nl);
        } else {
            b.append("the experiment has no best set yet (").append(out.path("experiment_status").asText())
                    .append("): its finalize step leaves excluded trials out").append(nl);
        }
        return b.toString();
    }
}
