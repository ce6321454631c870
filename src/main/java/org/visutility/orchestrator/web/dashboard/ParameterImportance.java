package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A simple estimate of how much each hyperparameter mattered to the score, over the complete
 * trials: the absolute Spearman rank correlation of the parameter with the score, normalised so
 * that the parameters' importances sum to 1. A numeric parameter is log-scaled when its space
 * says so (ranks do not change, but a value at or below zero is then left out); a categorical
 * one is encoded by the mean score rank of its category, which flatters it a little (the encoding
 * is fitted on the same trials). Not fANOVA: it sees one parameter at a time, monotonic effects
 * only, and no interactions (docs/dashboard.md).
 */
final class ParameterImportance {
    static final String METHOD = "abs_spearman";
    /** Below this many complete trials a rank correlation says nothing. */
    static final int MIN_TRIALS = 3;

    private ParameterImportance() {
    }

    /** {method, trials, parameters: [{name, importance, correlation, trials}] most important first}. */
    static ObjectNode estimate(JsonNode parameters, List<ObjectNode> trials) {
        List<ObjectNode> complete = trials.stream()
                .filter(t -> "complete".equals(t.path("status").asText()) && t.path("score").isNumber()).toList();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("method", METHOD);
        out.put("trials", complete.size());
        List<ObjectNode> rows = new ArrayList<>();
        double sum = 0;
        for (JsonNode p : parameters) {
            String name = p.path("name").asText();
            List<double[]> pairs = "categorical".equals(p.path("kind").asText())
                    ? categoricalPairs(name, complete) : numericPairs(name, p.path("log").asBoolean(), complete);
            ObjectNode row = Json.MAPPER.createObjectNode();
            row.put("name", name);
            row.put("trials", pairs.size());
            double rho = pairs.size() < MIN_TRIALS ? Double.NaN : spearman(pairs);
            if (Double.isFinite(rho)) {
                row.put("correlation", rho);
                sum += Math.abs(rho);
            } else {
                row.putNull("correlation");
            }
            rows.add(row);
        }
        for (ObjectNode row : rows) {
            JsonNode rho = row.get("correlation");
            if (sum > 0 && rho.isNumber()) row.put("importance", Math.abs(rho.asDouble()) / sum);
            else row.putNull("importance");
        }
        rows.sort(Comparator.comparingDouble((ObjectNode r) -> r.path("importance").asDouble(-1)).reversed()
                .thenComparing(r -> r.get("name").asText()));
        ArrayNode list = out.putArray("parameters");
        rows.forEach(list::add);
        return out;
    }

    private static List<double[]> numericPairs(String name, boolean log, List<ObjectNode> trials) {
        List<double[]> pairs = new ArrayList<>();
        for (ObjectNode t : trials) {
            JsonNode v = t.path("params").path(name);
            if (!v.isNumber() || (log && v.asDouble() <= 0)) continue;
            pairs.add(new double[] {log ? Math.log(v.asDouble()) : v.asDouble(), t.get("score").asDouble()});
        }
        return pairs;
    }

    /** Each category stands for the mean rank of its trials' scores. */
    private static List<double[]> categoricalPairs(String name, List<ObjectNode> trials) {
        List<ObjectNode> with = trials.stream().filter(t -> {
            JsonNode v = t.path("params").path(name);
            return !v.isMissingNode() && !v.isNull();
        }).toList();
        double[] scoreRanks = ranks(with.stream().mapToDouble(t -> t.get("score").asDouble()).toArray());
        Map<String, double[]> byCategory = new HashMap<>(); // {sum of ranks, count}
        for (int i = 0; i < with.size(); i++) {
            double[] acc = byCategory.computeIfAbsent(with.get(i).path("params").path(name).asText(), k -> new double[2]);
            acc[0] += scoreRanks[i];
            acc[1]++;
        }
        List<double[]> pairs = new ArrayList<>();
        for (ObjectNode t : with) {
            double[] acc = byCategory.get(t.path("params").path(name).asText());
            pairs.add(new double[] {acc[0] / acc[1], t.get("score").asDouble()});
        }
        return pairs;
    }

    /** Spearman's rho: the Pearson correlation of the ranks (ties share their mean rank); NaN when either side is constant. */
    static double spearman(List<double[]> pairs) {
        double[] x = ranks(pairs.stream().mapToDouble(p -> p[0]).toArray());
        double[] y = ranks(pairs.stream().mapToDouble(p -> p[1]).toArray());
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return v.length == 0 ? 0 : s / v.length;
    }
}
