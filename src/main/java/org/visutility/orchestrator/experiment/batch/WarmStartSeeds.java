package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.WarmStart;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.SpaceFit;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.strategy.WarmStartUse;
import org.visutility.orchestrator.tuning.trainer.RoundContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Seeds a warm-started experiment (strategy.warm_start): chooses, once, the earlier trials its strategy
 * learns from and its baseline first trial, records them (orchestrator.warm_start, warm_start_trial),
 * and from then on — every restart included — reads the record back, so the strategy is given the
 * same earlier trials whatever happened to them since (an exclusion, a newer round).
 *
 * <p>The earlier trials: completed and not excluded, of the model's earlier experiments with the same
 * objective metric and direction, most recent first, each kept only when every parameter of today's
 * space is there with a value of its kind inside today's range (parameters dropped since are left out),
 * until {@code max_trials} are kept. The baseline: the serving version's hyperparameters, when they fit.
 */
final class WarmStartSeeds {
    private static final Logger LOG = LoggerFactory.getLogger(WarmStartSeeds.class);
    private static final String SOURCES = SqlFiles.load(WarmStartSeeds.class, "WarmStartSources");
    private static final String CANDIDATES = SqlFiles.load(WarmStartSeeds.class, "WarmStartCandidates");
    private static final String INSERT = SqlFiles.load(WarmStartSeeds.class, "InsertWarmStart");
    private static final String INSERT_TRIAL = SqlFiles.load(WarmStartSeeds.class, "InsertWarmStartTrial");
    private static final String READ = SqlFiles.load(WarmStartSeeds.class, "WarmStart");
    private static final String READ_TRIALS = SqlFiles.load(WarmStartSeeds.class, "WarmStartTrials");
    /** The trial a baseline takes: the first of a round. */
    static final int BASELINE_NUMBER = 0;

    /** What a run starts from: earlier trials for the strategy (oldest first) and the baseline first trial. */
    record Seeding(List<FinishedTrial> prior, Optional<Params> baseline) {
        static final Seeding NONE = new Seeding(List.of(), Optional.empty());
    }

    private record Seed(long source, int number, Params params, double score) {
    }

    private record Choice(List<Long> sources, int candidates, List<Seed> seeds, Optional<Params> baseline, Optional<String> servingVersion,
                          String note) {
    }

    private WarmStartSeeds() {
    }

    /**
     * The recorded seeding of the experiment, chosen and recorded first when there is none yet.
     *
     * @param mayBaseline whether no trial has been numbered yet (a fresh start): only then can trial 0 be the baseline
     */
    static Seeding load(Jdbi jdbi, long experiment, ExperimentSpec spec, WarmStartUse use, RoundContext round, boolean mayBaseline) {
        Optional<WarmStart> warm = spec.strategy().warmStart();
        if (warm.isEmpty()) return Seeding.NONE;
        return jdbi.inTransaction(h -> {
            if (h.createQuery(READ).bind("experiment", experiment).mapToMap().findOne().isEmpty()) {
                record(h, experiment, warm.get(), choose(h, experiment, spec, warm.get(), use, round, mayBaseline), use);
            }
            return read(h, experiment);
        });
    }

    private static Choice choose(Handle h, long experiment, ExperimentSpec spec, WarmStart warm, WarmStartUse use, RoundContext round,
                                 boolean mayBaseline) {
        List<String> notes = new ArrayList<>();
        List<Long> used = new ArrayList<>();
        List<Seed> seeds = new ArrayList<>();
        int candidates = 0;
        int unfit = 0;
        if (use == WarmStartUse.LEARNS) {
            List<Map<String, Object>> sources = h.createQuery(SOURCES).bind("experiment", experiment)
                    .bind("all", warm.from() == WarmStart.Source.PREVIOUS_ROUNDS)
                    .bindArray("ids", Long.class, warm.ids()).mapToMap().list();
            List<Long> otherObjective = new ArrayList<>();
            for (Map<String, Object> s : sources) {
                if (seeds.size() >= warm.maxTrials()) break;
                long id = ((Number) s.get("id")).longValue();
                if (!spec.objective().metric().equals(s.get("metric")) || !spec.objective().direction().spelling().equals(s.get("direction"))) {
                    otherObjective.add(id);
                    continue;
                }
                used.add(id);
                for (Map<String, Object> t : h.createQuery(CANDIDATES).bind("source", id).mapToMap().list()) {
                    candidates++;
                    Optional<Params> fit = SpaceFit.fit(spec.space(), Params.fromJson(json((String) t.get("params"))));
                    if (fit.isEmpty()) {
                        unfit++;
                        continue;
                    }
                    seeds.add(new Seed(id, ((Number) t.get("number")).intValue(), fit.get(), ((Number) t.get("score")).doubleValue()));
                    if (seeds.size() >= warm.maxTrials()) break;
                }
            }
            notes.add(seeds.size() + " earlier trial(s) seed the strategy, from experiment(s) " + used
                    + " (" + candidates + " completed and not excluded looked at, " + unfit + " did not fit today's space)");
            if (!otherObjective.isEmpty()) notes.add("skipped experiment(s) " + otherObjective + ": another objective metric or direction");
            if (warm.from() == WarmStart.Source.EXPERIMENT) {
                List<Long> missing = new ArrayList<>(warm.ids());
                sources.forEach(s -> missing.remove(Long.valueOf(((Number) s.get("id")).longValue())));
                if (!missing.isEmpty()) notes.add("experiment(s) " + missing + " are not earlier experiments of model " + spec.model());
            }
        } else {
            notes.add("strategy " + spec.strategy().name() + " proposes without earlier trials; only the baseline first trial applies");
        }
        Optional<Params> baseline = Optional.empty();
        if (!mayBaseline) {
            notes.add("no baseline: trials were numbered before the warm start was recorded");
        } else if (round.servingHyperparameters().isEmpty()) {
            notes.add("no baseline: the model has no serving version with known hyperparameters");
        } else {
            baseline = SpaceFit.fit(spec.space(), Params.fromJson(round.servingHyperparameters()));
            if (baseline.isEmpty()) {
                notes.add("no baseline: the serving version's hyperparameters " + round.servingHyperparameters()
                        + " do not fit today's space (a parameter missing, of another kind or out of range)");
            } else {
                notes.add("trial " + BASELINE_NUMBER + " is the baseline: version " + round.servingVersion().orElse("?")
                        + "'s hyperparameters measured on today's data");
            }
        }
        Collections.reverse(seeds); // most recent first was the order of choice; the strategy reads the oldest first
        String note = String.join("; ", notes);
        if (note.length() > 4000) note = note.substring(0, 3997) + "...";
        return new Choice(used, candidates, seeds, baseline, baseline.isPresent() ? round.servingVersion() : Optional.empty(), note);
    }

    private static void record(Handle h, long experiment, WarmStart warm, Choice c, WarmStartUse use) {
        boolean inserted = h.createQuery(INSERT).bind("experiment", experiment).bind("source", warm.from().spelling())
                .bind("maxTrials", warm.maxTrials()).bindArray("sources", Long.class, c.sources())
                .bind("candidates", c.candidates()).bind("seeded", c.seeds().size())
                .bind("use", use == WarmStartUse.LEARNS ? "learns" : "ignores")
                .bind("baselineNumber", c.baseline().isPresent() ? (Integer) BASELINE_NUMBER : null)
                .bind("baselineVersion", c.servingVersion().orElse(null))
                .bind("baselineParams", c.baseline().map(p -> p.toJson().toString()).orElse(null))
                .bind("note", c.note())
                .mapTo(Long.class).findOne().isPresent();
        if (!inserted) return; // another run of the experiment recorded it first
        for (int i = 0; i < c.seeds().size(); i++) {
            Seed s = c.seeds().get(i);
            h.createUpdate(INSERT_TRIAL).bind("experiment", experiment).bind("position", i).bind("source", s.source())
                    .bind("number", s.number()).bind("params", s.params().toJson().toString()).bind("score", s.score()).execute();
        }
        LOG.info("Warm start of experiment {}: {}", experiment, c.note());
    }

    private static Seeding read(Handle h, long experiment) {
        Map<String, Object> w = h.createQuery(READ).bind("experiment", experiment).mapToMap().one();
        List<FinishedTrial> prior = new ArrayList<>();
        for (Map<String, Object> t : h.createQuery(READ_TRIALS).bind("experiment", experiment).mapToMap().list()) {
            prior.add(new FinishedTrial(prior.size(), Params.fromJson(json((String) t.get("params"))), TrialStatus.COMPLETE,
                    OptionalDouble.of(((Number) t.get("score")).doubleValue()), List.of()));
        }
        Object baseline = w.get("baseline_params");
        return new Seeding(prior, baseline == null ? Optional.empty() : Optional.of(Params.fromJson(json((String) baseline))));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
