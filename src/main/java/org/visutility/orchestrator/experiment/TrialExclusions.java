package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Trial quarantine (trials exclude|include): one append-only row of
 * orchestrator.trial_exclusion_event per change, and, when the experiment has a best set already
 * (finalize ran), that set recomputed from the trials left: a new current set, the old one kept and
 * marked replaced (append-only, so the registered version's set stays what it was trained with). Runs in the caller's transaction, under
 * the experiment's row lock, which finalize takes too: a running experiment's best-set choice reads
 * the exclusions committed before it. The model version an experiment registered is never
 * registered again: it keeps the artifact of the trial it was trained from.
 */
public final class TrialExclusions {
    public enum Action {
        EXCLUDE, INCLUDE;

        String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The best set before and after a change that replaced it. */
    public record BestChange(int previousNumber, double previousScore, int number, double score) {
    }

    /** What a change did. */
    public record Outcome(long experimentId, int number, Action action, String actor, String reason, Instant at,
                          String experimentStatus, Optional<BestChange> bestChange, boolean hadBestSet) {
        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("experiment", experimentId).put("trial", number)
                    .put("action", action.spelling()).put("excluded", action == Action.EXCLUDE)
                    .put("actor", actor).put("reason", reason).put("at", at.toString())
                    .put("experiment_status", experimentStatus);
            if (bestChange.isPresent()) {
                BestChange b = bestChange.get();
                n.putObject("best_set").put("changed", true).put("previous_trial", b.previousNumber())
                        .put("previous_score", b.previousScore()).put("trial", b.number()).put("score", b.score())
                        .put("model_version_registered_again", false);
            } else {
                n.putObject("best_set").put("changed", false).put("recorded", hadBestSet);
            }
            return n;
        }
    }

    /** How long a change waits for the experiment's row (its run holds it while it stops trainers, up to 30 s). */
    static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(60);
    private static final String BOUND_LOCK_WAITS = SqlFiles.load(TrialExclusions.class, "BoundLockWaits");
    private static final String LOCK = SqlFiles.load(TrialExclusions.class, "LockExperimentForExclusion");
    private static final String STATE = SqlFiles.load(TrialExclusions.class, "TrialExclusionState");
    private static final String CURRENT_BEST = SqlFiles.load(TrialExclusions.class, "CurrentBestSet");
    private static final String BEST_AFTER = SqlFiles.load(TrialExclusions.class, "BestTrialAfterChange");
    private static final String RETIRE_BEST = SqlFiles.load(TrialExclusions.class, "RetireBestSet");
    private static final String REPLACE_BEST = SqlFiles.load(TrialExclusions.class, "ReplaceBestSet");
    private static final String INSERT = SqlFiles.load(TrialExclusions.class, "InsertTrialExclusion");
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** @param objectives set when the experiment has several objectives (its best set comes from the Pareto front) */
    private record Experiment(String status, boolean maximize, Optional<ObjectiveChoice> objectives) {
    }

    private record TrialState(long id, int number, String status, int sequence) {
        boolean excluded() {
            return sequence % 2 == 1;
        }
    }

    private record BestSet(long id, long trialId, int number, double score) {
    }

    /** @param selection hyperparameter_set.selection of the new set (several objectives), or null */
    private record Candidate(long id, int number, String params, double score, String selection) {
        Candidate(long id, int number, String params, double score) {
            this(id, number, params, score, null);
        }
    }

    private TrialExclusions() {
    }

    /** Excludes or includes trial {@code number} of {@code experiment}; the reason is checked by the caller ({@code TrialArguments}). */
    public static Outcome change(Handle h, long experiment, int number, Action action, Actor actor, String reason) {
        h.createQuery(BOUND_LOCK_WAITS).bind("timeout", LOCK_WAIT.toMillis() + "ms").mapTo(String.class).one();
        Experiment e;
        try {
            e = h.createQuery(LOCK).bind("experiment", experiment)
                    .map((rs, ctx) -> new Experiment(rs.getString("status"), "maximize".equals(rs.getString("direction")),
                            rs.getString("objective").startsWith("[")
                                    ? Optional.of(ParetoChoice.objectivesOf(rs.getString("objective"), rs.getString("select_rule")))
                                    : Optional.empty()))
                    .findOne().orElseThrow(() -> new ExclusionRefused(ExclusionRefused.Kind.UNKNOWN, "no experiment " + experiment));
        } catch (UnableToExecuteStatementException ex) {
            if (ex.getCause() instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                throw new ExclusionRefused(ExclusionRefused.Kind.CONFLICT, "experiment " + experiment + " was busy for more than "
                        + LOCK_WAIT.toSeconds() + " s (its run held it); nothing changed; try again");
            }
            throw ex;
        }
        TrialState t = h.createQuery(STATE).bind("experiment", experiment).bind("number", number)
                .map((rs, ctx) -> new TrialState(rs.getLong("id"), rs.getInt("number"), rs.getString("status"), rs.getInt("sequence")))
                .findOne().orElseThrow(() -> new ExclusionRefused(ExclusionRefused.Kind.UNKNOWN,
                        "experiment " + experiment + " has no trial " + number));
        boolean excluding = action == Action.EXCLUDE;
        if (excluding && t.excluded()) {
            throw new ExclusionRefused(ExclusionRefused.Kind.CONFLICT, "trial " + number + " of experiment " + experiment
                    + " is already excluded; nothing changed");
        }
        if (!excluding && !t.excluded()) {
            throw new ExclusionRefused(ExclusionRefused.Kind.CONFLICT, "trial " + number + " of experiment " + experiment
                    + " is not excluded; nothing changed");
        }
        Optional<BestSet> best = h.createQuery(CURRENT_BEST).bind("experiment", experiment)
                .map((rs, ctx) -> new BestSet(rs.getLong("id"), rs.getLong("trial_id"), rs.getInt("number"), rs.getDouble("score")))
                .findOne();
        Optional<BestChange> change = Optional.empty();
        if (best.isPresent()) {
            Candidate next = e.objectives().isPresent() ? fromFront(h, experiment, e.objectives().get(), t, excluding) : h.createQuery(BEST_AFTER).bind("experiment", experiment).bind("trial", t.id())
                    .bind("excluding", excluding).bind("maximize", e.maximize())
                    .map((rs, ctx) -> new Candidate(rs.getLong("id"), rs.getInt("number"), rs.getString("params"), rs.getDouble("score")))
                    .findOne().orElseThrow(() -> new ExclusionRefused(ExclusionRefused.Kind.CONFLICT, "trial " + number
                            + " is the last complete trial of experiment " + experiment
                            + " left in; excluding it would leave its best set with no trial; nothing changed"));
            BestSet b = best.get();
            if (next.id() != b.trialId()) {
                replaceBestSet(h, b.id(), next);
                change = Optional.of(new BestChange(b.number(), b.score(), next.number(), next.score()));
            }
        }
        Optional<BestChange> changed = change;
        Instant at;
        try {
            at = h.createQuery(INSERT).bind("trial", t.id()).bind("experiment", experiment).bind("number", number)
                    .bind("sequence", t.sequence() + 1).bind("action", action.spelling()).bind("actor", actor.value())
                    .bind("reason", reason)
                    .bind("previousBestNumber", changed.map(BestChange::previousNumber).orElse(null))
                    .bind("previousBestScore", changed.map(BestChange::previousScore).orElse(null))
                    .bind("bestNumber", changed.map(BestChange::number).orElse(null))
                    .bind("bestScore", changed.map(BestChange::score).orElse(null))
                    .map((rs, ctx) -> SqlValues.instant(rs, "at")).one();
        } catch (UnableToExecuteStatementException ex) {
            if (ex.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new ExclusionRefused(ExclusionRefused.Kind.CONFLICT, "trial " + number + " of experiment " + experiment
                        + " was changed at the same moment by someone else; nothing changed");
            }
            throw ex;
        }
        return new Outcome(experiment, number, action, actor.value(), reason, at, e.status(), changed, best.isPresent());
    }

    /**
     * Several objectives: the trial select picks from the front as the change leaves it. A change that
     * leaves no front member meeting select.constraint is refused, as one that leaves no complete trial:
     * the best set would have none.
     */
    private static Candidate fromFront(Handle h, long experiment, ObjectiveChoice objectives, TrialState t, boolean excluding) {
        ParetoChoice.Outcome o = ParetoChoice.choose(h, experiment, objectives, t.id(), excluding);
        if (o.chosen().isEmpty()) {
            String what = o.front().isEmpty()
                    ? "trial " + t.number() + " is the last complete trial of experiment " + experiment + " left in; "
                            + (excluding ? "excluding" : "including") + " it would leave its best set with no trial"
                    : (excluding ? "excluding" : "including") + " trial " + t.number() + " would leave experiment " + experiment
                            + " with " + o.whyNone() + ", so no best set";
            throw new ExclusionRefused(ExclusionRefused.Kind.CONFLICT, what + "; nothing changed");
        }
        ParetoChoice.Trial c = o.chosen().get();
        return new Candidate(c.id(), c.number(), c.params(), o.score(), o.selectionJson());
    }

    /**
     * Appends the new best set and marks {@code set} replaced by it, never rewriting it: the model
     * version registered from the experiment points at that row and was trained with it.
     */
    private static void replaceBestSet(Handle h, long set, Candidate next) {
        if (h.createUpdate(RETIRE_BEST).bind("set", set).execute() != 1) {
            throw new IllegalStateException("hyperparameter set " + set + " was no longer current under its experiment's lock");
        }
        h.createQuery(REPLACE_BEST).bind("set", set).bind("trial", next.id()).bind("params", next.params())
                .bind("score", next.score()).bind("selection", next.selection()).mapTo(Long.class).one();
    }
}
