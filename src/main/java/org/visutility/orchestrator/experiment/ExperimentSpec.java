package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.NamedServices;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.core.UserFiles;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.builtin.BuiltinTrainer;
import org.visutility.orchestrator.tuning.builtin.Datasets;
import org.visutility.orchestrator.tuning.pruning.Pruners;
import org.visutility.orchestrator.tuning.strategy.StrategyProvider;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import org.visutility.orchestrator.tuning.strategy.WarmStartUse;
import org.visutility.orchestrator.tuning.trainer.CommandTrainer;
import org.visutility.orchestrator.tuning.trainer.Trainers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A validated experiment spec (the YAML users write, or the {@code experiment} of a policy):
 * model, objective, strategy, budget, search space, trainer, pruning, the challenger gate
 * ({@link GateSpec}) and what happens to an approved version ({@link Activation}). {@link #parse} checks
 * the whole spec, strategy, trainer and pruning options included (through their providers), and
 * reports every problem at once; policies call it when they are applied, the engine when it
 * launches an experiment.
 */
public record ExperimentSpec(Optional<String> name, String model, ObjectiveChoice objectives, Strategy strategy,
                             Budget budget, SearchSpace space, Plugin trainer, Optional<Plugin> pruning,
                             Optional<GateSpec> gate, Activation activate, Placement placement) {

    /**
     * The objective a trial's score holds: the only one, or with several objectives the one
     * {@code select.metric} names ({@link ObjectiveChoice#primary()}).
     */
    public Objective objective() {
        return objectives.primary();
    }

    /** True when {@code objective} is a list: the best set is chosen from the Pareto front by {@code select}. */
    public boolean severalObjectives() {
        return objectives.several();
    }

    /**
     * The chosen strategy: its name, its seed (0 when not given), its mapping (without
     * {@code warm_start}, which the engine handles for every strategy) and its warm start.
     */
    public record Strategy(String name, long seed, ObjectNode options, Optional<WarmStart> warmStart) {
        public Strategy(String name, long seed, ObjectNode options) {
            this(name, seed, options, Optional.empty());
        }
    }

    /** A trainer or a pruning rule: the name it goes by and its whole mapping. */
    public record Plugin(String name, ObjectNode options) {
    }

    /** A spec file larger than this is refused unread. */
    public static final long MAX_FILE_BYTES = 1L << 20;
    /** YAML without source text in its error locations. */
    private static final ObjectReader YAML = Json.YAML.reader().without(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION);
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,250}");
    private static final int MAX_NAME = 200;
    private static final String[] KEYS = {"name", "description", "model", "objective", "strategy", "budget", "space", "trainer", "pruning", "gate", "activate", "select", "placement"};

    /**
     * Reads and validates a spec file (YAML or JSON); a command trainer's workdir defaults to the
     * file's folder. Only a regular file of at most {@link #MAX_FILE_BYTES} is read, and no problem
     * quotes it: a path to a file that is not a spec (/etc/shadow) must not be echoed back.
     */
    public static ExperimentSpec read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(UserFiles.readText(file, MAX_FILE_BYTES));
        } catch (UserFiles.RefusedFile e) {
            throw new InvalidSpecException(file.toString(), List.of("file: " + e.getMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(file.toString(), List.of("file: not valid YAML: " + YamlErrors.describe(e)));
        } catch (IOException e) {
            throw new InvalidSpecException(file.toString(), List.of("file: cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
        resolveRelativePaths(root, file.toAbsolutePath().normalize().getParent());
        return parse(root, file.toString());
    }

    /**
     * Makes the spec's relative file paths absolute against {@code folder} (the folder of the file
     * the spec came from), since the run may happen on another node, in another working directory:
     * a command trainer's {@code workdir} (set to {@code folder} when missing), a built-in
     * trainer's CSV {@code dataset} and the gate's CSV {@code gate.data} (a shipped dataset's name is
     * left alone). Callers that read a spec from a file of their own (a policy file) call this before
     * {@link #parse}.
     */
    public static void resolveRelativePaths(JsonNode root, Path folder) {
        if (root != null && root.isObject()) GateSpec.resolveData(root, folder);
        if (root == null || !root.isObject() || !(root.get("trainer") instanceof ObjectNode trainer)) {
            return;
        }
        String type = trainer.path("type").asText();
        if (CommandTrainer.TYPE.equals(type)) {
            JsonNode workdir = trainer.get("workdir");
            if (workdir == null || workdir.isNull()) {
                trainer.put("workdir", folder.toString());
            } else if (workdir.isTextual() && !Path.of(workdir.asText()).isAbsolute()) {
                trainer.put("workdir", folder.resolve(workdir.asText()).normalize().toString());
            }
        } else if (BuiltinTrainer.TYPE.equals(type) && trainer.path("dataset").isTextual()) {
            String name = trainer.get("dataset").asText().trim();
            if (!name.isEmpty() && !Datasets.SHIPPED.contains(name) && !Path.of(name).isAbsolute()) {
                trainer.put("dataset", folder.resolve(name).normalize().toString());
            }
        }
    }

    /**
     * Validates a spec sent without a file (over the control API): YAML or JSON text. It has no
     * folder to resolve relative paths against, so a command trainer needs an absolute
     * {@code workdir} and a built-in trainer's CSV {@code dataset} an absolute path (a path on the
     * nodes that run it); a relative one is refused, naming the key, with the spec's other problems.
     */
    public static ExperimentSpec parseSent(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(source, List.of("spec: not valid YAML or JSON: " + YamlErrors.describe(e)));
        }
        List<String> pathProblems = pathsWithoutFolder(root);
        try {
            ExperimentSpec spec = parse(root, source);
            if (pathProblems.isEmpty()) return spec;
        } catch (InvalidSpecException e) {
            if (pathProblems.isEmpty()) throw e;
            List<String> all = new java.util.ArrayList<>(pathProblems);
            all.addAll(e.violations());
            throw new InvalidSpecException(source, all);
        }
        throw new InvalidSpecException(source, pathProblems);
    }

    /**
     * The problems of a spec that has no folder of its own (sent over HTTP): its relative or missing
     * file paths, each naming its key. A policy file sent over HTTP checks its inline specs with it.
     */
    public static List<String> pathsWithoutFolder(JsonNode root) {
        if (root == null || !root.isObject()) return List.of();
        List<String> problems = new java.util.ArrayList<>(2);
        trainerPathWithoutFolder(root).ifPresent(problems::add);
        GateSpec.dataWithoutFolder(root).ifPresent(problems::add);
        return problems;
    }

    private static Optional<String> trainerPathWithoutFolder(JsonNode root) {
        if (!(root.get("trainer") instanceof ObjectNode trainer)) return Optional.empty();
        String type = trainer.path("type").asText();
        if (CommandTrainer.TYPE.equals(type)) {
            JsonNode workdir = trainer.get("workdir");
            if (workdir == null || workdir.isNull()) {
                return Optional.of("trainer.workdir: is required in a spec sent without its file (it has no folder): an absolute path on the nodes");
            }
            if (workdir.isTextual() && !Path.of(workdir.asText()).isAbsolute()) {
                return Optional.of("trainer.workdir: must be an absolute path in a spec sent without its file (it has no folder to be relative to)");
            }
        } else if (BuiltinTrainer.TYPE.equals(type) && trainer.path("dataset").isTextual()) {
            String name = trainer.get("dataset").asText().trim();
            if (!name.isEmpty() && !Datasets.SHIPPED.contains(name) && !Path.of(name).isAbsolute()) {
                return Optional.of("trainer.dataset: must be a shipped dataset's name or an absolute path in a spec sent without its file"
                        + " (it has no folder to be relative to)");
            }
        }
        return Optional.empty();
    }

    /** Validates a spec given as YAML text. */
    public static ExperimentSpec parseYaml(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(source, List.of("spec: not valid YAML: " + YamlErrors.describe(e)));
        }
        return parse(root, source);
    }

    /** Validates a spec given as a JSON/YAML tree (e.g. the spec column of an experiment). */
    public static ExperimentSpec parse(JsonNode root, String source) {
        Violations v = new Violations();
        if (root == null || !root.isObject()) {
            throw new InvalidSpecException(source, List.of("spec: must be a mapping with model, objective, strategy, budget, space and trainer"));
        }
        if (root.size() > 0 && !hasAnyKey(root)) {
            // a file that is not a spec at all: its keys are its contents, so none is named
            throw new InvalidSpecException(source, List.of("spec: is not an experiment spec: none of its " + root.size()
                    + " top-level keys is one of " + String.join(", ", KEYS)));
        }
        Fields.onlyKeys(root, "", v, KEYS);
        Optional<String> name = Fields.text(root, "name", "", v, false);
        name.filter(n -> n.length() > MAX_NAME).ifPresent(n -> v.add("name", "must be at most " + MAX_NAME + " characters"));
        Fields.text(root, "description", "", v, false);
        Optional<String> model = Fields.text(root, "model", "", v, true);
        model.filter(m -> !MODEL_NAME.matcher(m).matches()).ifPresent(m ->
                v.add("model", "must be 1-250 characters of letters, digits and _ . : / - (is '" + m + "')"));

        Optional<ObjectiveChoice> objective = ObjectiveChoice.parse(root, v);
        Optional<SearchSpace> space = Fields.object(root, "space", "", v, true).map(s -> {
            int before = v.size();
            SearchSpace parsed = SearchSpace.parse(s, "space", v);
            return v.size() == before ? parsed : null;
        });
        Optional<Budget> budget = Fields.object(root, "budget", "", v, true).flatMap(b -> budget(b, v));
        Optional<Strategy> strategy = Fields.object(root, "strategy", "", v, true).flatMap(s -> strategy(s, space, v));
        Optional<Plugin> trainer = Fields.object(root, "trainer", "", v, true).flatMap(t -> trainer(t, v));
        Optional<Plugin> pruning = Fields.object(root, "pruning", "", v, false).flatMap(p -> pruning(p, v));
        if (trainer.isPresent() && space.isPresent()) {
            Trainers.all().find(trainer.get().name()).orElseThrow().checkSpace(trainer.get().options(), space.get(), v);
        }
        Optional<GateSpec> gate = GateSpec.parse(root, v);
        Optional<String> activateText = Fields.text(root, "activate", "", v, false);
        activateText.filter(a -> !Activation.SPELLINGS.contains(a)).ifPresent(a ->
                v.add("activate", "must be auto or wait (is '" + a + "')"));
        Activation activate = activateText.filter(Activation.SPELLINGS::contains).map(a -> Activation.valueOf(a.toUpperCase(java.util.Locale.ROOT)))
                .orElse(Activation.WAIT);

        objective.filter(ObjectiveChoice::several).ifPresent(o -> severalObjectives(o, strategy, pruning, budget, v));

        Optional<String> placementText = Fields.text(root, "placement", "", v, false);
        placementText.filter(p -> !Placement.SPELLINGS.contains(p)).ifPresent(p ->
                v.add("placement", "must be auto, local or cluster (is '" + p + "')"));
        Placement placement = placementText.filter(Placement.SPELLINGS::contains).map(Placement::parse).orElse(Placement.AUTO);

        if (!v.isEmpty()) throw new InvalidSpecException(source, v.messages());
        return new ExperimentSpec(name, model.get(), objective.get(), strategy.get(), budget.get(), space.get(),
                trainer.get(), pruning, gate, activate, placement);
    }

    private static boolean hasAnyKey(JsonNode root) {
        for (String key : KEYS) {
            if (root.has(key)) return true;
        }
        return false;
    }

    /** What several objectives rule out: a single-objective strategy, pruning on one metric, a goal on one metric. */
    private static void severalObjectives(ObjectiveChoice o, Optional<Strategy> strategy, Optional<Plugin> pruning,
                                          Optional<Budget> budget, Violations v) {
        strategy.ifPresent(s -> {
            StrategyProvider p = Strategies.all().find(s.name()).orElseThrow();
            if (!p.severalObjectives()) {
                List<String> able = Strategies.all().names().stream()
                        .filter(n -> Strategies.all().find(n).orElseThrow().severalObjectives()).toList();
                v.add("strategy.name", s.name() + " optimizes a single objective; with several objectives use one of "
                        + String.join(", ", able));
            }
        });
        pruning.ifPresent(p -> v.add("pruning", "not with several objectives: a pruning rule compares one metric's intermediate"
                + " values; remove pruning or use one objective"));
        budget.filter(b -> b.goal().isPresent()).ifPresent(b -> v.add("budget.goal", "not with several objectives: a goal is one"
                + " metric's value; bound the others with select.constraint"));
    }

    private static Optional<Budget> budget(ObjectNode b, Violations v) {
        Fields.onlyKeys(b, "budget", v, "trials", "parallel", "max_failed", "timeout", "goal");
        int before = v.size();
        Optional<Long> trials = Fields.wholeNumber(b, "trials", "budget", v, true, 1, Budget.MAX_TRIALS);
        Optional<Long> parallel = Fields.wholeNumber(b, "parallel", "budget", v, false, 1, Budget.MAX_PARALLEL);
        Optional<Long> maxFailed = Fields.wholeNumber(b, "max_failed", "budget", v, false, 1, Budget.MAX_TRIALS);
        var timeout = Fields.duration(b, "timeout", "budget", v, false);
        Optional<Double> goal = Fields.number(b, "goal", "budget", v, false);
        if (trials.isPresent() && parallel.isPresent() && parallel.get() > trials.get()) {
            v.add("budget.parallel", "must not exceed budget.trials (" + trials.get() + ")");
        }
        if (trials.isPresent() && maxFailed.isPresent() && maxFailed.get() > trials.get()) {
            v.add("budget.max_failed", "must not exceed budget.trials (" + trials.get() + ")");
        }
        if (v.size() > before) return Optional.empty();
        return Optional.of(new Budget(trials.get().intValue(), parallel.orElse(1L).intValue(),
                maxFailed.map(m -> OptionalInt.of(m.intValue())).orElse(OptionalInt.empty()), timeout,
                goal.map(OptionalDouble::of).orElse(OptionalDouble.empty())));
    }

    private static Optional<Strategy> strategy(ObjectNode s, Optional<SearchSpace> space, Violations v) {
        Optional<String> name = Fields.text(s, "name", "strategy", v, true);
        Optional<Long> seed = Fields.wholeNumber(s, "seed", "strategy", v, false, Long.MIN_VALUE, Long.MAX_VALUE);
        if (name.isEmpty()) return Optional.empty();
        Optional<StrategyProvider> provider = Strategies.all().find(name.get());
        if (provider.isEmpty()) {
            v.add("strategy.name", Strategies.all().unknown(name.get()));
            return Optional.empty();
        }
        ObjectNode options = s.deepCopy();
        JsonNode warmNode = options.remove(WarmStart.KEY);
        Optional<WarmStart> warmStart = Optional.empty();
        if (warmNode != null && !warmNode.isNull()) {
            if (provider.get().warmStartUse() == WarmStartUse.REFUSES) {
                v.add("strategy." + WarmStart.KEY, "not with strategy " + name.get() + ": it proposes every point of its grid exactly once"
                        + " and cannot take earlier trials or a baseline first trial; use tpe (or random) to warm-start");
                return Optional.empty();
            }
            warmStart = WarmStart.parse(warmNode, v);
            if (warmStart.isEmpty()) return Optional.empty();
        }
        // a strategy can only judge a space that is itself valid
        if (space.isEmpty()) return Optional.empty();
        int before = v.size();
        provider.get().validate(options, space.get(), v);
        if (v.size() > before) return Optional.empty();
        return Optional.of(new Strategy(name.get(), seed.orElse(0L), options, warmStart));
    }

    private static Optional<Plugin> trainer(ObjectNode t, Violations v) {
        return plugin(t, "trainer", "type", Trainers.all(), (p, options) -> p.validate(options, v), v);
    }

    private static Optional<Plugin> pruning(ObjectNode p, Violations v) {
        return plugin(p, "pruning", "rule", Pruners.all(), (provider, options) -> provider.validate(options, v), v);
    }

    /** A mapping that names its implementation ({@code trainer.type}, {@code pruning.rule}), checked by that implementation. */
    private static <P> Optional<Plugin> plugin(ObjectNode node, String path, String key, NamedServices<P> services,
                                               BiConsumer<P, ObjectNode> validate, Violations v) {
        Optional<String> name = Fields.text(node, key, path, v, true);
        if (name.isEmpty()) return Optional.empty();
        Optional<P> provider = services.find(name.get());
        if (provider.isEmpty()) {
            v.add(path + "." + key, services.unknown(name.get()));
            return Optional.empty();
        }
        int before = v.size();
        validate.accept(provider.get(), node);
        return v.size() > before ? Optional.empty() : Optional.of(new Plugin(name.get(), node.deepCopy()));
    }

    /** The spec as stored (experiment.spec): every default written out, keys in a fixed order. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode n = f.objectNode();
        name.ifPresent(x -> n.put("name", x));
        n.put("model", model);
        objectives.write(n);
        ObjectNode s = strategy.options().deepCopy();
        s.put("seed", strategy.seed());
        strategy.warmStart().ifPresent(w -> s.set(WarmStart.KEY, w.toJson()));
        n.set("strategy", s);
        ObjectNode b = f.objectNode().put("trials", budget.trials()).put("parallel", budget.parallel());
        budget.maxFailed().ifPresent(m -> b.put("max_failed", m));
        budget.timeout().ifPresent(t -> b.put("timeout", Durations.format(t)));
        budget.goal().ifPresent(g -> b.put("goal", g));
        n.set("budget", b);
        n.set("space", space.toJson());
        n.set("trainer", trainer.options().deepCopy());
        pruning.ifPresent(p -> n.set("pruning", p.options().deepCopy()));
        // written only when given: the stored form (and sha256) of a spec without them stays as it was
        gate.ifPresent(g -> n.set("gate", g.toJson()));
        if (activate == Activation.AUTO) n.put("activate", activate.spelling());
        if (placement != Placement.AUTO) n.put("placement", placement.spelling());
        return n;
    }

    /** SHA-256 of the stored form, for experiment.spec_sha256. */
    public String sha256() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(toJson().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
