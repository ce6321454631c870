package org.visutility.orchestrator.policy.spec;

import org.visutility.orchestrator.experiment.Activation;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.InvalidSpecException;

import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.core.UserFiles;
import org.visutility.orchestrator.policy.spec.ThresholdCondition.Direction;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and validates a policy file (the format in docs/policies.md) as a whole: every problem
 * is collected with its line, and a file with any problem is rejected whole.
 */
public final class PolicyFileParser {
    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(24);
    public static final Duration DEFAULT_FOR = Duration.ZERO;
    public static final Aggregate DEFAULT_AGGREGATE = Aggregate.MEAN;
    public static final int DEFAULT_BASELINE_SNAPSHOTS = 10;
    /** Bounds a window or a baseline in snapshots, so that no condition reads an unbounded history. */
    public static final int MAX_SNAPSHOTS = 10_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,250}");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
    private static final Set<String> TOP_KEYS = Set.of("policies");
    private static final Set<String> POLICY_KEYS = Set.of("name", "model", "when", "for", "cooldown", "experiment", "activate", Verify.KEY);
    private static final Set<String> VERIFY_KEYS = Set.of("metric", "window", "min_samples", "within");
    private static final Set<String> WINDOW_KEYS = Set.of("metric", "aggregate", "window", "snapshots", "min_samples", "resolve",
            ConditionJson.SETTLED_ONLY);
    private static final Set<String> THRESHOLD_KEYS = union(WINDOW_KEYS, Set.of("below", "above"));
    private static final Set<String> DROP_KEYS = union(WINDOW_KEYS, Set.of("drop", "baseline"));
    private static final Set<String> STALENESS_KEYS = Set.of(StalenessCondition.KEY);
    private static final Set<String> SQL_KEYS = Set.of("sql", "timeout");
    private static final Set<String> DRIFT_OUTER_KEYS = Set.of(DriftCondition.KEY);
    private static final Set<String> ESTIMATED_OUTER_KEYS = Set.of(EstimatedCondition.KEY);
    private static final Set<String> DRIFT_KEYS = Set.of("features", "method", "above", "below", "share", "window", "min_samples",
            Reconcile.KEY);
    private static final Set<String> ESTIMATED_KEYS = Set.of("metric", "above", "below", "window", "min_samples", Reconcile.KEY);
    private static final Set<String> RECONCILE_KEYS = Set.of("metric", "above", "below");
    private static final Set<String> ANY_CONDITION_KEYS = union(union(union(THRESHOLD_KEYS, DROP_KEYS), union(STALENESS_KEYS, SQL_KEYS)),
            union(DRIFT_OUTER_KEYS, ESTIMATED_OUTER_KEYS));
    private static final Pattern FEATURE = Pattern.compile("[A-Za-z0-9_.:/-]{1,250}");
    /** Bounds a drift condition's feature list. */
    public static final int MAX_FEATURES = 1000;
    /** Bounds a drift or estimated condition's window: its histograms are summed at each pass. */
    public static final Duration MAX_DISTRIBUTION_WINDOW = Duration.ofDays(31);

    /** A policy file larger than this is refused unread. */
    public static final long MAX_POLICY_FILE_BYTES = 4L << 20;

    private PolicyFileParser() {
    }

    /** Reads a policy file; experiment spec paths are relative to the file's folder. */
    public static PolicyFile parse(Path file) {
        String label = file.toString();
        String text;
        try {
            text = UserFiles.readText(file, MAX_POLICY_FILE_BYTES);
        } catch (UserFiles.RefusedFile e) {
            throw new PolicyFileException(label, List.of(new Problem(0, "", "cannot be read: " + e.getMessage())));
        } catch (IOException e) {
            throw new PolicyFileException(label, List.of(new Problem(0, "", "cannot be read (" + e.getMessage() + ")")));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, label, base);
    }

    public static PolicyFile parse(String text, String label, Path baseDirectory) {
        LocatedYaml doc;
        try {
            doc = LocatedYaml.read(text);
        } catch (LocatedYaml.Syntax s) {
            throw new PolicyFileException(label, List.of(s.problem()));
        }
        Reader r = new Reader(doc, baseDirectory);
        List<PolicyFile.Entry> entries = r.file();
        if (!r.problems.isEmpty()) throw new PolicyFileException(label, r.problems);
        return new PolicyFile(label, entries);
    }

    /** Reads back a normalised spec stored in retrain_policy_version.spec. */
    public static PolicySpec readStored(JsonNode spec) {
        Reader r = new Reader(LocatedYaml.withoutLines(spec), null);
        PolicySpec parsed = r.policy(new At(spec, "", ""));
        if (!r.problems.isEmpty()) {
            throw new IllegalStateException("stored policy spec is invalid: " + r.problems.get(0).field() + ": " + r.problems.get(0).reason());
        }
        return parsed;
    }

    /** A node with its JSON pointer (for lines) and its path as users read it (for messages). */
    private record At(JsonNode node, String pointer, String path) {
        At field(String name) {
            return new At(node == null ? null : node.get(name), pointer + "/" + name, path.isEmpty() ? name : path + "." + name);
        }

        At item(int i) {
            return new At(node.get(i), pointer + "/" + i, path + "[" + i + "]");
        }

        boolean present() {
            return node != null && !node.isNull();
        }
    }

    private static final class Reader {
        private final LocatedYaml doc;
        private final Path baseDirectory;
        private final List<Problem> problems = new ArrayList<>();

        Reader(LocatedYaml doc, Path baseDirectory) {
            this.doc = doc;
            this.baseDirectory = baseDirectory;
        }

        void problem(At at, String reason) {
            problems.add(new Problem(doc.line(at.pointer()), at.path(), reason));
        }

        List<PolicyFile.Entry> file() {
            At root = new At(doc.root(), "", "");
            if (!root.present() || !root.node().isObject()) {
                problem(root, "the file must be a mapping with the key policies (a list of policies)");
                return List.of();
            }
            knownKeys(root, TOP_KEYS);
            At list = root.field("policies");
            if (!list.present() || !list.node().isArray()) {
                problem(list, "must be a list of policies");
                return List.of();
            }
            List<PolicyFile.Entry> entries = new ArrayList<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < list.node().size(); i++) {
                At item = list.item(i);
                int before = problems.size();
                PolicySpec spec = policy(item);
                if (spec == null || problems.size() > before) continue;
                String first = seen.putIfAbsent(spec.name(), item.path());
                if (first != null) problem(item.field("name"), "duplicate policy name '" + spec.name() + "' (first at " + first + ")");
                else entries.add(new PolicyFile.Entry(spec, doc.line(item.pointer()), conditionLines(item), item.path()));
            }
            return entries;
        }

        List<Integer> conditionLines(At policy) {
            At when = policy.field("when");
            if (when.node().isObject()) return List.of(doc.line(when.pointer()));
            List<Integer> lines = new ArrayList<>();
            for (int i = 0; i < when.node().size(); i++) lines.add(doc.line(when.item(i).pointer()));
            return lines;
        }

        PolicySpec policy(At at) {
            if (!at.present() || !at.node().isObject()) {
                problem(at, "must be a mapping with name, model, when and experiment");
                return null;
            }
            knownKeys(at, POLICY_KEYS);
            String name = name(at.field("name"));
            String model = name(at.field("model"));
            At when = at.field("when");
            Duration holdFor = null;
            List<Condition> conditions = new ArrayList<>();
            if (!when.present()) {
                problem(when, "is required: one condition (a mapping) or a list of conditions");
            } else if (when.node().isObject()) {
                // the design's short form: one condition, with for: beside it
                At inner = when.field("for");
                if (inner.present()) {
                    if (at.field("for").present()) problem(inner, "for is given twice (here and at the policy level)");
                    holdFor = duration(inner, false);
                }
                Condition c = condition(when, true);
                if (c != null) conditions.add(c);
            } else if (when.node().isArray() && !when.node().isEmpty()) {
                for (int i = 0; i < when.node().size(); i++) {
                    Condition c = condition(when.item(i), false);
                    if (c != null) conditions.add(c);
                }
            } else {
                problem(when, "must be a condition (a mapping) or a non-empty list of conditions");
            }
            if (holdFor == null) holdFor = at.field("for").present() ? duration(at.field("for"), false) : DEFAULT_FOR;
            Duration cooldown = at.field("cooldown").present() ? duration(at.field("cooldown"), false) : DEFAULT_COOLDOWN;
            JsonNode experiment = experiment(at.field("experiment"), model, activate(at.field("activate")));
            At verifyAt = at.field(Verify.KEY);
            Verify verify = verifyAt.present() ? verify(verifyAt) : null;
            if (name == null || model == null || holdFor == null || cooldown == null || experiment == null) return null;
            if (verifyAt.present() && verify == null) return null;
            return new PolicySpec(name, model, conditions, holdFor, cooldown, experiment, verify);
        }

        /** {@code verify: {metric, window, min_samples, within}}: metric and window required, within at least window. */
        Verify verify(At at) {
            if (!at.node().isObject()) {
                problem(at, "must be a mapping: {metric: accuracy, window: 6h, min_samples: 1000, within: 3d}");
                return null;
            }
            int before = problems.size();
            knownKeys(at, VERIFY_KEYS);
            String metric = metric(at.field("metric"));
            Duration window = at.field("window").present() ? bounded(at.field("window"), Verify.MAX_WINDOW) : null;
            if (!at.field("window").present()) problem(at.field("window"), "is required: how long a window of the new version's snapshots to judge, e.g. 6h");
            long minSamples = Verify.DEFAULT_MIN_SAMPLES;
            At ms = at.field("min_samples");
            if (ms.present()) {
                if (!ms.node().isIntegralNumber() || ms.node().asLong() < 1) problem(ms, "must be a whole number of samples, 1 or more");
                else minSamples = ms.node().asLong();
            }
            Duration within = at.field("within").present() ? bounded(at.field("within"), Verify.MAX_WITHIN) : Verify.DEFAULT_WITHIN;
            if (window != null && within != null && within.compareTo(window) < 0) {
                problem(at.field("within").present() ? at.field("within") : at, "within (" + Durations.format(within)
                        + ") must be at least window (" + Durations.format(window) + "): the window is judged after activation");
            }
            if (problems.size() > before || metric == null || window == null || within == null) return null;
            return new Verify(metric, window, minSamples, within);
        }

        /** A positive duration of at most {@code max}. */
        Duration bounded(At at, Duration max) {
            Duration d = duration(at, true);
            if (d != null && d.compareTo(max) > 0) {
                problem(at, "must be at most " + Durations.format(max));
                return null;
            }
            return d;
        }

        Condition condition(At at, boolean forAllowed) {
            if (!at.present() || !at.node().isObject()) {
                problem(at, "a condition must be a mapping");
                return null;
            }
            JsonNode n = at.node();
            if (n.has("sql")) {
                knownKeys(at, with(SQL_KEYS, forAllowed));
                return sql(at);
            }
            if (n.has(StalenessCondition.KEY)) {
                knownKeys(at, with(STALENESS_KEYS, forAllowed));
                Duration d = duration(at.field(StalenessCondition.KEY), true);
                return d == null ? null : new StalenessCondition(d);
            }
            if (n.has(DriftCondition.KEY)) {
                knownKeys(at, with(DRIFT_OUTER_KEYS, forAllowed));
                return drift(at.field(DriftCondition.KEY));
            }
            if (n.has(EstimatedCondition.KEY)) {
                knownKeys(at, with(ESTIMATED_OUTER_KEYS, forAllowed));
                return estimated(at.field(EstimatedCondition.KEY));
            }
            if (n.has("drop")) {
                knownKeys(at, with(DROP_KEYS, forAllowed));
                return drop(at);
            }
            if (n.has("below") || n.has("above")) {
                knownKeys(at, with(THRESHOLD_KEYS, forAllowed));
                return threshold(at);
            }
            // no kind: name the keys no kind knows (a typo such as belw), and check the fields the kinds share,
            // so that one run lists every problem of the condition
            knownKeys(at, with(ANY_CONDITION_KEYS, forAllowed));
            if (WINDOW_KEYS.stream().anyMatch(n::has)) windowed(at);
            problem(at, "cannot tell the kind of condition: give below or above (threshold), drop (drop from baseline), "
                    + StalenessCondition.KEY + " (staleness), sql (custom predicate), drift (distribution drift) or estimated"
                    + " (estimated performance)");
            return null;
        }

        /** What threshold and drop conditions share: a metric, an aggregate, a window and min_samples. */
        private record Windowed(String metric, Aggregate aggregate, Window window, long minSamples, Boolean settledOnly) {
            boolean complete() {
                return metric != null && aggregate != null && window != null && minSamples >= 0 && settledOnly != null;
            }
        }

        Windowed windowed(At at) {
            return new Windowed(metric(at.field("metric")), aggregate(at.field("aggregate")), window(at), minSamples(at.field("min_samples")),
                    settledOnly(at.field(ConditionJson.SETTLED_ONLY)));
        }

        /** settled_only: true or false (default false); null after a problem. */
        Boolean settledOnly(At at) {
            if (!at.present()) return false;
            if (!at.node().isBoolean()) {
                problem(at, "must be true or false (true: only snapshots whose window is final at the evaluation time count,"
                        + " for min_samples and as evidence)");
                return null;
            }
            return at.node().asBoolean();
        }

        ThresholdCondition threshold(At at) {
            Windowed w = windowed(at);
            At below = at.field("below");
            At above = at.field("above");
            if (below.present() && above.present()) {
                problem(above, "give either below or above, not both");
                return null;
            }
            Direction direction = below.present() ? Direction.BELOW : Direction.ABOVE;
            At lineAt = below.present() ? below : above;
            Double line = number(lineAt);
            Double resolve = null;
            At res = at.field("resolve");
            if (res.present()) {
                resolve = number(res);
                if (resolve != null && line != null) {
                    if (direction == Direction.BELOW && resolve < line) {
                        problem(res, "must be at or above the below line " + line + " (a policy firing below " + line
                                + " resolves once the value is back at or above resolve)");
                    } else if (direction == Direction.ABOVE && resolve > line) {
                        problem(res, "must be at or below the above line " + line + " (a policy firing above " + line
                                + " resolves once the value is back at or below resolve)");
                    }
                }
            }
            if (!w.complete() || line == null) return null;
            return new ThresholdCondition(w.metric(), w.aggregate(), w.window(), direction, line, resolve, w.minSamples(), w.settledOnly());
        }

        DropCondition drop(At at) {
            Windowed w = windowed(at);
            At dropAt = at.field("drop");
            Amount amount = amount(dropAt);
            DropCondition.Baseline baseline = baseline(at.field("baseline"));
            Double resolve = null;
            At res = at.field("resolve");
            if (res.present() && amount != null) {
                Amount r = amount(res);
                if (r != null) {
                    if (r.relative() != amount.relative()) {
                        problem(res, "must be in the same unit as drop (" + (amount.relative() ? "a percentage" : "an absolute amount") + ")");
                    } else if (r.value() > amount.value()) {
                        problem(res, "must not exceed drop (a firing policy resolves once the drop is back at or under resolve)");
                    } else {
                        resolve = r.value();
                    }
                }
            }
            if (!w.complete() || amount == null || baseline == null || (res.present() && resolve == null)) return null;
            return new DropCondition(w.metric(), w.aggregate(), w.window(), amount.value(), amount.relative(), baseline, resolve,
                    w.minSamples(), w.settledOnly());
        }

        /**
         * {@code drift: {features, method, above | below, share, window, min_samples, reconcile}}: chi_square
         * is a test, judged on its p-value (below); the other methods on their score (above).
         */
        DriftCondition drift(At at) {
            if (!at.node().isObject()) {
                problem(at, "must be a mapping: {features: [tenure, plan] or all, method: psi, above: 0.2, window: 6h, min_samples: 500}");
                return null;
            }
            int before = problems.size();
            knownKeys(at, DRIFT_KEYS);
            List<String> features = features(at.field("features"));
            At methodAt = at.field("method");
            DriftMethod method = null;
            if (!methodAt.present()) {
                problem(methodAt, "is required: one of " + DriftMethod.spellings());
            } else {
                method = methodAt.node().isTextual() ? DriftMethod.bySpelling(methodAt.node().asText()).orElse(null) : null;
                if (method == null) problem(methodAt, "unknown method '" + methodAt.node().asText() + "'; expected one of " + DriftMethod.spellings());
            }
            Double line = null;
            if (method != null) {
                String side = method.onPValue() ? "below" : "above";
                String other = method.onPValue() ? "above" : "below";
                if (at.field(other).present()) {
                    problem(at.field(other), method.onPValue()
                            ? "chi_square is a test: the condition is on its p-value, give below (e.g. below: 0.01), not above"
                            : method.spelling() + " drifts when its score rises: give above (e.g. above: 0.2), not below");
                } else if (!at.field(side).present()) {
                    problem(at.field(side), "is required: " + (method.onPValue() ? "the p-value under which a feature drifted, e.g. 0.01"
                            : "the score over which a feature drifted, e.g. 0.2"));
                } else {
                    line = number(at.field(side));
                    if (line != null && (line <= 0 || line > method.maxLine() || (method.onPValue() && line >= 1))) {
                        problem(at.field(side), method.onPValue() ? "must be a p-value between 0 and 1 (exclusive), e.g. 0.01"
                                : "must be above 0 and at most " + (method.maxLine() == 1 ? "1 (" + method.spelling() + " is between 0 and 1)"
                                : String.valueOf((int) method.maxLine())));
                        line = null;
                    }
                }
            }
            Double share = null;
            At shareAt = at.field("share");
            if (shareAt.present()) {
                share = number(shareAt);
                if (share != null && (share <= 0 || share > 1)) {
                    problem(shareAt, "must be a fraction of the features above 0 and at most 1, e.g. 0.3");
                    share = null;
                }
            }
            Duration window = distributionWindow(at.field("window"));
            long minSamples = minSamples(at.field("min_samples"));
            Reconcile reconcile = at.field(Reconcile.KEY).present() ? reconcile(at.field(Reconcile.KEY)) : null;
            if (problems.size() > before || method == null || line == null || window == null || minSamples < 0) return null;
            return new DriftCondition(features, method, line, share, window, minSamples, reconcile);
        }

        /** {@code estimated: {metric: accuracy | precision | recall, below | above, window, min_samples, reconcile}}. */
        EstimatedCondition estimated(At at) {
            if (!at.node().isObject()) {
                problem(at, "must be a mapping: {metric: accuracy, below: 0.85, window: 6h}");
                return null;
            }
            int before = problems.size();
            knownKeys(at, ESTIMATED_KEYS);
            At metricAt = at.field("metric");
            EstimatedCondition.Metric metric = null;
            if (!metricAt.present()) {
                problem(metricAt, "is required: one of " + EstimatedCondition.Metric.spellings());
            } else {
                metric = metricAt.node().isTextual() ? EstimatedCondition.Metric.bySpelling(metricAt.node().asText()).orElse(null) : null;
                if (metric == null) {
                    problem(metricAt, "cannot be estimated from predicted probabilities: '" + metricAt.node().asText() + "'; expected one of "
                            + EstimatedCondition.Metric.spellings());
                }
            }
            Side side = side(at, "an estimated metric between 0 and 1, e.g. below: 0.85");
            Duration window = distributionWindow(at.field("window"));
            long minSamples = minSamples(at.field("min_samples"));
            Reconcile reconcile = at.field(Reconcile.KEY).present() ? reconcile(at.field(Reconcile.KEY)) : null;
            if (problems.size() > before || metric == null || side == null || window == null || minSamples < 0) return null;
            return new EstimatedCondition(metric, side.direction(), side.line(), window, minSamples, reconcile);
        }

        private record Side(Direction direction, double line) {
        }

        /** Exactly one of below or above, a number in [0, 1] (metrics estimated and reconciled are rates). */
        Side side(At at, String example) {
            At below = at.field("below");
            At above = at.field("above");
            if (below.present() == above.present()) {
                problem(below.present() ? above : at, "give exactly one of below or above: " + example);
                return null;
            }
            At lineAt = below.present() ? below : above;
            Double line = number(lineAt);
            if (line == null) return null;
            if (line < 0 || line > 1) {
                problem(lineAt, "must be between 0 and 1");
                return null;
            }
            return new Side(below.present() ? Direction.BELOW : Direction.ABOVE, line);
        }

        /** {@code reconcile: {metric, below | above}}: the realised metric a decision is checked against. */
        Reconcile reconcile(At at) {
            if (!at.node().isObject()) {
                problem(at, "must be a mapping: {metric: accuracy, below: 0.85} (the realised metric a decision is checked against)");
                return null;
            }
            knownKeys(at, RECONCILE_KEYS);
            String metric = metric(at.field("metric"));
            Side side = side(at, "the realised metric's line, e.g. below: 0.85");
            return metric == null || side == null ? null : new Reconcile(metric, side.direction(), side.line());
        }

        List<String> features(At at) {
            if (!at.present()) {
                problem(at, "is required: a list of feature names (e.g. [tenure, plan, prediction]) or all");
                return null;
            }
            if (at.node().isTextual() && at.node().asText().equals(DriftCondition.ALL)) return null;
            if (!at.node().isArray() || at.node().isEmpty() || at.node().size() > MAX_FEATURES) {
                problem(at, "must be a non-empty list of at most " + MAX_FEATURES + " feature names, or all");
                return null;
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < at.node().size(); i++) {
                At item = at.item(i);
                String f = item.node().isTextual() ? item.node().asText() : null;
                if (f == null || !FEATURE.matcher(f).matches()) {
                    problem(item, "must be a feature name: 1-250 characters of letters, digits and _ . : / -");
                } else if (names.contains(f)) {
                    problem(item, "feature '" + f + "' is listed twice");
                } else {
                    names.add(f);
                }
            }
            return names;
        }

        Duration distributionWindow(At at) {
            if (!at.present()) {
                problem(at, "is required: how long a window of histograms to judge, e.g. 6h");
                return null;
            }
            return bounded(at, MAX_DISTRIBUTION_WINDOW);
        }

        SqlCondition sql(At at) {
            At sqlAt = at.field("sql");
            String sql = sqlAt.node().isTextual() ? sqlAt.node().asText().strip() : null;
            if (sql == null || sql.isEmpty()) {
                problem(sqlAt, "must be the text of a query returning one row with a boolean column breach");
                return null;
            }
            if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1).strip();
            Set<String> unknown = new TreeSet<>(parameterNames(sql));
            unknown.removeAll(SqlCondition.PARAMETERS);
            if (!unknown.isEmpty()) {
                problem(sqlAt, "unknown parameter(s) :" + String.join(", :", unknown) + "; the predicate may use :"
                        + String.join(", :", new TreeSet<>(SqlCondition.PARAMETERS)));
                return null;
            }
            Duration timeout = SqlCondition.DEFAULT_TIMEOUT;
            At t = at.field("timeout");
            if (t.present()) {
                timeout = duration(t, true);
                if (timeout == null) return null;
                if (timeout.compareTo(SqlCondition.MAX_TIMEOUT) > 0) {
                    problem(t, "must be at most " + Durations.format(SqlCondition.MAX_TIMEOUT));
                    return null;
                }
            }
            return new SqlCondition(sql, timeout);
        }

        private static Set<String> parameterNames(String sql) {
            return new LinkedHashSet<>(new ColonPrefixSqlParser().parse(sql, null).getParameters().getParameterNames());
        }

        Window window(At at) {
            At w = at.field("window");
            At s = at.field("snapshots");
            if (w.present() == s.present()) {
                problem(w.present() ? s : at, "give exactly one of window (a duration, e.g. 6h) or snapshots (the last N)");
                return null;
            }
            if (w.present()) {
                Duration d = duration(w, true);
                return d == null ? null : Window.of(d);
            }
            Integer n = count(s);
            return n == null ? null : Window.lastSnapshots(n);
        }

        DropCondition.Baseline baseline(At at) {
            if (!at.present()) return new DropCondition.Baseline(null, DEFAULT_BASELINE_SNAPSHOTS);
            if (at.node().isNumber()) {
                Double v = number(at);
                return v == null ? null : new DropCondition.Baseline(v, null);
            }
            if (at.node().isObject()) {
                knownKeys(at, Set.of("first"));
                Integer n = count(at.field("first"));
                return n == null ? null : new DropCondition.Baseline(null, n);
            }
            problem(at, "must be a value (e.g. 0.93) or {first: K} (the mean of the model version's first K snapshots)");
            return null;
        }

        private record Amount(double value, boolean relative) {
        }

        Amount amount(At at) {
            JsonNode n = at.node();
            if (n != null && n.isNumber()) {
                Double v = number(at);
                if (v == null) return null;
                if (v < 0) {
                    problem(at, "must not be negative");
                    return null;
                }
                return new Amount(v, false);
            }
            if (n != null && n.isTextual()) {
                var m = PERCENT.matcher(n.asText().strip());
                if (m.matches()) {
                    double pct = Double.parseDouble(m.group(1));
                    if (pct > 100) {
                        problem(at, "a percentage must be at most 100%");
                        return null;
                    }
                    return new Amount(pct / 100.0, true);
                }
            }
            problem(at, "must be an absolute amount (e.g. 0.03) or a percentage of the baseline (e.g. 5%)");
            return null;
        }

        /**
         * The policy's {@code activate}: {@code auto} applies to the experiments it enqueues, so it is
         * written into their spec (the spec's own key, which the gate step reads); empty when not given.
         */
        Optional<String> activate(At at) {
            if (!at.present()) return Optional.empty();
            if (!at.node().isTextual() || !Activation.SPELLINGS.contains(at.node().asText())) {
                problem(at, "must be auto or wait");
                return Optional.empty();
            }
            return Optional.of(at.node().asText());
        }

        JsonNode experiment(At at, String model, Optional<String> activate) {
            if (!at.present()) {
                problem(at, "is required: a path to an experiment spec (relative to this file) or the spec inline");
                return null;
            }
            JsonNode spec;
            String origin;
            // relative paths inside the spec are taken from the folder of the file that holds it
            Path specFolder = baseDirectory != null ? baseDirectory : Path.of("").toAbsolutePath();
            if (at.node().isTextual()) {
                if (baseDirectory == null) {
                    problem(at, "must be the spec inline in a policy file sent without its file (over HTTP): a path has no folder to be relative to");
                    return null;
                }
                Path path = baseDirectory.resolve(at.node().asText());
                origin = at.node().asText() + ": ";
                specFolder = path.toAbsolutePath().normalize().getParent();
                try {
                    spec = LocatedYaml.read(UserFiles.readText(path, ExperimentSpec.MAX_FILE_BYTES)).root();
                } catch (UserFiles.RefusedFile e) {
                    problem(at, "cannot read the experiment spec " + e.getMessage());
                    return null;
                } catch (LocatedYaml.Syntax s) {
                    problem(at, origin + "line " + s.problem().line() + ": " + s.problem().reason());
                    return null;
                } catch (IOException e) {
                    problem(at, "cannot read the experiment spec " + path + " (" + e.getClass().getSimpleName() + ")");
                    return null;
                }
            } else {
                spec = at.node();
                origin = "";
            }
            if (spec == null || !spec.isObject()) {
                problem(at, origin + "an experiment spec must be a mapping (model, objective, strategy, budget, space, trainer)");
                return null;
            }
            JsonNode specModel = spec.get("model");
            if (specModel != null && model != null && !(specModel.isTextual() && specModel.asText().equals(model))) {
                problem(at, origin + "the experiment's model '" + specModel.asText() + "' is not the policy's model '" + model + "'");
                return null;
            }
            // Validate the spec now, as the launcher will, so that a bad spec is refused at apply
            // time instead of failing the experiment a breach enqueues months later.
            if (specModel == null && model != null && spec instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.put("model", model);
            }
            if (activate.isPresent() && spec instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                JsonNode own = o.get("activate");
                if (own != null && !own.isNull() && !activate.get().equals(own.asText())) {
                    problem(at, origin + "the experiment spec says activate: " + own.asText() + ", the policy activate: " + activate.get());
                    return null;
                }
                o.put("activate", activate.get());
            }
            if (baseDirectory == null) {
                // sent without a file (over HTTP): no folder to resolve against, so relative paths are refused
                List<String> pathProblems = ExperimentSpec.pathsWithoutFolder(spec);
                pathProblems.forEach(p -> problem(at, origin + "experiment spec " + p));
                if (!pathProblems.isEmpty()) return null;
            } else {
                ExperimentSpec.resolveRelativePaths(spec, specFolder);
            }
            try {
                ExperimentSpec.parse(spec, origin.isEmpty() ? "inline spec" : origin);
            } catch (InvalidSpecException e) {
                for (String violation : e.violations()) problem(at, origin + "experiment spec " + violation);
                return null;
            }
            return spec;
        }

        // ------------------------------------------------------------------ field helpers

        void knownKeys(At at, Set<String> known) {
            int unnamed = 0;
            for (Iterator<String> it = at.node().fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (known.contains(key)) continue;
                if (Fields.PLAIN_KEY.matcher(key).matches()) {
                    String meant = NearestKey.to(key, known).map(k -> " (did you mean " + k + "?)").orElse("");
                    problem(at.field(key), "unknown key '" + key + "'" + meant + "; expected one of "
                            + String.join(", ", new TreeSet<>(known)));
                } else {
                    unnamed++;
                }
            }
            if (unnamed > 0) {
                // keys no one would write, perhaps the lines of a file that is no policy file: counted, not echoed
                problem(at, "has " + unnamed + " unknown key(s) that are not plain names (letters, digits, _ . -, at most 64);"
                        + " expected one of " + String.join(", ", new TreeSet<>(known)));
            }
        }

        String name(At at) {
            if (!at.present()) {
                problem(at, "is required");
                return null;
            }
            String v = at.node().isTextual() ? at.node().asText() : null;
            if (v == null || !NAME.matcher(v).matches()) {
                problem(at, "must be 1-250 characters of letters, digits and _ . : / -");
                return null;
            }
            return v;
        }

        String metric(At at) {
            if (!at.present()) {
                problem(at, "is required: the metric's name, e.g. accuracy");
                return null;
            }
            if (!at.node().isTextual() || at.node().asText().isBlank() || at.node().asText().length() > 250) {
                problem(at, "must be a metric name (1-250 characters)");
                return null;
            }
            return at.node().asText();
        }

        Aggregate aggregate(At at) {
            if (!at.present()) return DEFAULT_AGGREGATE;
            Aggregate a = at.node().isTextual() ? Aggregate.bySpelling(at.node().asText()).orElse(null) : null;
            if (a == null) problem(at, "must be one of " + Aggregate.spellings());
            return a;
        }

        Double number(At at) {
            if (!at.present() || !at.node().isNumber() || !Double.isFinite(at.node().asDouble())) {
                problem(at, "must be a finite number");
                return null;
            }
            return at.node().asDouble();
        }

        Integer count(At at) {
            if (!at.present() || !at.node().canConvertToInt() || !at.node().isIntegralNumber()
                    || at.node().asInt() < 1 || at.node().asInt() > MAX_SNAPSHOTS) {
                problem(at, "must be a whole number of snapshots from 1 to " + MAX_SNAPSHOTS);
                return null;
            }
            return at.node().asInt();
        }

        long minSamples(At at) {
            if (!at.present()) return 0;
            if (!at.node().isIntegralNumber() || at.node().asLong() < 0) {
                problem(at, "must be a whole number of samples, 0 or more");
                return -1;
            }
            return at.node().asLong();
        }

        Duration duration(At at, boolean positive) {
            if (!at.present() || !at.node().isTextual()) {
                problem(at, "must be a duration such as 30s, 5m, 6h or 1d");
                return null;
            }
            try {
                Duration d = Durations.parse(at.node().asText());
                if (positive && d.isZero()) {
                    problem(at, "must be longer than zero");
                    return null;
                }
                return d;
            } catch (IllegalArgumentException e) {
                problem(at, e.getMessage());
                return null;
            }
        }

        private static Set<String> with(Set<String> keys, boolean forAllowed) {
            return forAllowed ? union(keys, Set.of("for")) : keys;
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
