package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.notify.VerificationDecided;

import java.time.Instant;
import java.util.Locale;

/**
 * Decides one open verification at an evaluation time, or leaves it open. The judged window is the
 * latest window of the new version's snapshots since activation, ending at the evaluation time but
 * never after the deadline, and only once a whole window has passed since activation (a window in
 * snapshots: once that many have arrived). A version that stops being active (a rollback, a newer
 * version) is judged on its window up to then, or decided inconclusive at once when that window
 * is not judgeable, so that its policy is not held back. With at least min_samples in it, the value is
 * recovered when it is on the good side of the threshold (at or above it when higher is better,
 * at or below it otherwise) and not worse than the baseline, each check skipped when that line is
 * unknown; not_recovered otherwise. Not ready by the deadline, or nothing to compare with:
 * inconclusive.
 */
final class VerificationJudgement {
    /** At most this many snapshot ids are kept in a decision's evidence (the window's newest). */
    static final int MAX_EVIDENCE_IDS = 100;

    record Verdict(String outcome, Double observed, long samples, String reason, ObjectNode evidence) {
    }

    private VerificationJudgement() {
    }

    /**
     * The instant a verification's window ends when judged at {@code at}: never past its deadline,
     * nor past the moment the version stopped being active.
     */
    static Instant windowEnd(OpenVerification v, Instant at) {
        Instant end = at.isBefore(v.deadline()) ? at : v.deadline();
        return stoppedBy(v, end) ? v.retiredAt() : end;
    }

    /** Whether the version had stopped being active by {@code t} (a rollback, or a newer version). */
    private static boolean stoppedBy(OpenVerification v, Instant t) {
        return v.retiredAt() != null && !v.retiredAt().isAfter(t);
    }

    /** @return the verdict, or null while the verification stays open */
    static Verdict judge(OpenVerification v, WindowAggregates.Stats s, Instant at) {
        Instant end = windowEnd(v, at);
        if (v.metric() == null) {
            return new Verdict(VerificationDecided.INCONCLUSIVE, null, 0,
                    "the policy has no threshold or drop condition (and no verify:) to judge its retrain by", evidence(v, s, end));
        }
        long samples = s == null ? 0 : s.samples();
        long snapshots = s == null ? 0 : s.snapshots();
        Double value = s == null ? null : s.value(v.aggregate());
        boolean elapsed = v.window().duration() == null || !end.isBefore(v.openedAt().plus(v.window().duration()));
        boolean whole = v.window().snapshots() == null || snapshots >= v.window().snapshots();
        boolean ready = elapsed && whole && snapshots > 0 && samples >= v.minSamples() && value != null;
        ObjectNode evidence = evidence(v, s, end);
        if (!ready) {
            if (stoppedBy(v, at) && v.retiredAt().isBefore(v.deadline())) {
                return new Verdict(VerificationDecided.INCONCLUSIVE, value, samples, v.version() + " stopped being active at "
                        + v.retiredAt() + " before it could be judged: " + samples + " of min_samples " + v.minSamples() + " in "
                        + snapshots + " snapshot(s) (" + describe(v) + ")", evidence);
            }
            if (at.isBefore(v.deadline())) return null;
            return new Verdict(VerificationDecided.INCONCLUSIVE, value, samples, "too few samples by the deadline " + v.deadline() + ": "
                    + samples + " of min_samples " + v.minSamples() + " in " + snapshots + " snapshot(s) of " + v.version()
                    + " (" + describe(v) + ")", evidence);
        }
        if (v.threshold() == null && v.baseline() == null) {
            return new Verdict(VerificationDecided.INCONCLUSIVE, value, samples, describe(v) + " " + number(value)
                    + ": nothing to compare with (no threshold on " + v.metric() + " in the policy and no baseline before the breach)",
                    evidence);
        }
        ObjectNode checks = evidence.putObject("checks");
        StringBuilder reason = new StringBuilder(describe(v)).append(' ').append(number(value));
        boolean ok = true;
        if (v.threshold() != null) {
            boolean good = v.maximize() ? value >= v.threshold() : value <= v.threshold();
            checks.putObject("threshold").put("line", v.threshold()).put("ok", good);
            String side = v.maximize() ? (good ? " is back at or above" : " is still below")
                    : (good ? " is back at or below" : " is still above");
            reason.append(side).append(" the threshold ").append(number(v.threshold()));
            ok = good;
        }
        if (v.baseline() != null) {
            boolean notWorse = v.maximize() ? value >= v.baseline() : value <= v.baseline();
            checks.putObject("baseline").put("value", v.baseline()).put("ok", notWorse);
            reason.append(v.threshold() != null ? " and" : "").append(notWorse ? " is not worse than" : " is worse than")
                    .append(" the baseline ").append(number(v.baseline())).append(" of ")
                    .append(v.previousVersion() == null ? "the model before the breach" : v.previousVersion());
            ok = ok && notWorse;
        }
        String outcome = ok ? VerificationDecided.RECOVERED : VerificationDecided.NOT_RECOVERED;
        if (!ok) {
            evidence.put("suggestion", VerificationDecided.ROLLBACK_SUGGESTED);
            reason.append("; ").append(VerificationDecided.ROLLBACK_SUGGESTED);
        }
        return new Verdict(outcome, value, samples, bounded(reason.toString()), evidence);
    }

    /** E.g. {@code weighted_mean(accuracy, 6h) of v2}. */
    static String describe(OpenVerification v) {
        return v.aggregate().spelling() + "(" + v.metric() + ", " + v.window().describe() + ") of " + v.version();
    }

    private static ObjectNode evidence(OpenVerification v, WindowAggregates.Stats s, Instant end) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ObjectNode judged = n.putObject("judged");
        if (v.window() != null && v.window().duration() != null) {
            Instant from = end.minus(v.window().duration());
            judged.put("from", (from.isBefore(v.openedAt()) ? v.openedAt() : from).toString());
        } else {
            judged.put("from", v.openedAt().toString());
        }
        judged.put("to", end.toString());
        judged.put("snapshots", s == null ? 0 : s.snapshots());
        judged.put("samples", s == null ? 0 : s.samples());
        if (s != null && v.aggregate() != null && s.value(v.aggregate()) != null) judged.put("value", s.value(v.aggregate()));
        ArrayNode ids = judged.putArray("snapshot_ids");
        if (s != null) s.evidence().stream().limit(MAX_EVIDENCE_IDS).forEach(ids::add);
        return n;
    }

    private static String number(double d) {
        String s = String.format(Locale.ROOT, "%.6f", d);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String bounded(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }
}
