package org.visutility.orchestrator.lineage;

import org.visutility.orchestrator.support.CreditDrift;
import org.visutility.orchestrator.support.RealHistory;

import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What each question of docs/lineage.md must answer on the real-command history ({@link RealHistory}),
 * by question number. A question added to the page needs its entry here: the test fails without one.
 */
final class DocumentedAnswers {
    private static final DateTimeFormatter PG = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd().appendPattern("X").toFormatter();

    private DocumentedAnswers() {
    }

    /** A question's rows, as column name to value (SQL NULL as null). */
    record Answer(List<Map<String, String>> rows) {
        List<Map<String, String>> where(String column, Object value) {
            return rows.stream().filter(r -> String.valueOf(value).equals(r.get(column))).toList();
        }

        Map<String, String> one(String column, Object value) {
            List<Map<String, String>> found = where(column, value);
            assertThat(found).as("the row with " + column + " = " + value + " in " + rows).hasSize(1);
            return found.get(0);
        }

        List<String> column(String column) {
            return rows.stream().map(r -> r.get(column)).toList();
        }
    }

    @FunctionalInterface
    interface Check {
        void verify(Answer answer, RealHistory history) throws Exception;
    }

    static Instant instant(String value) {
        return OffsetDateTime.parse(value, PG).toInstant();
    }

    static double number(String value) {
        return Double.parseDouble(value);
    }

    /** "feature psi, ..." by PSI, largest first, each rounded to two places as question 31 prints them. */
    private static String moved(Map<String, Double> psi) {
        return psi.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + new java.math.BigDecimal(e.getValue()).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static Map<Integer, Check> checks() {
        Map<Integer, Check> c = new HashMap<>();
        c.put(1, (a, h) -> {
            assertThat(a.rows()).as("the evidence snapshots").isNotEmpty();
            assertThat(a.column("experiment_id")).containsOnly(Long.toString(h.churnRetrain));
            assertThat(a.column("policy_version")).as("decided by version 2, after the threshold change").containsOnly("2");
            assertThat(a.column("decision_condition")).containsOnly("mean(accuracy, 2h) below 0.85");
            assertThat(a.column("model_version")).as("the evidence observed the version serving then").containsOnly("v1");
            assertThat(a.column("segment")).contains("eu", "us");
            for (Map<String, String> r : a.rows()) {
                assertThat(number(r.get("observed"))).isLessThan(0.85);
                Instant at = Instant.parse(r.get("snapshot_time").replace("+00:00", "Z"));
                assertThat(at).as("in the condition's 2h window up to the firing")
                        .isAfter(h.churnFired.minusSeconds(7200)).isBeforeOrEqualTo(h.churnFired);
                assertThat(number(r.get("accuracy"))).isLessThan(0.85);
            }
        });
        c.put(2, (a, h) -> {
            Map<String, String> churn = a.one("produced_version", "experiment-" + h.churnRetrain);
            assertThat(churn).containsEntry("model", "churn").containsEntry("compared_on", "loss").containsEntry("direction", "minimize")
                    .containsEntry("previous_version", "v1");
            double gain = number(churn.get("gain"));
            assertThat(gain).as("a lower loss is a positive gain").isPositive()
                    .isCloseTo(number(churn.get("previous_score")) - number(churn.get("candidate_score")), within(0.0005));
            assertThat(a.one("produced_version", "experiment-" + h.builtin)).as("no gate: nothing compared")
                    .containsEntry("compared_on", null).containsEntry("gain", null);
        });
        c.put(3, (a, h) -> {
            Map<String, String> fraud = a.one("model", "fraud");
            assertThat(fraud.get("error")).contains("exit status 1").contains("loss diverged");
            assertThat(fraud.get("trials")).as("max_failed: 2").isEqualTo("2");
            assertThat(a.where("model", "ranker")).extracting(r -> r.get("error") + ":" + r.get("trials"))
                    .containsExactlyInAnyOrder("stopped: the experiment was cancelled:1", "stopped: the experiment was abandoned:1");
            assertThat(a.column("error")).as("the retried trial's failure was replaced by its next attempt")
                    .noneMatch(e -> e.contains("out of memory"));
        });
        c.put(4, (a, h) -> {
            // two changes into firing each; one of each held back; fraud's held-back firing was enqueued later
            assertThat(a.one("policy", RealHistory.CHURN_POLICY)).containsEntry("times_fired", "2").containsEntry("held_back", "1")
                    .containsEntry("experiments_enqueued", "1");
            Map<String, String> fraud = a.one("policy", RealHistory.FRAUD_POLICY);
            assertThat(fraud).containsEntry("times_fired", "2").containsEntry("held_back", "1").containsEntry("experiments_enqueued", "2");
            assertThat(instant(fraud.get("last_fired"))).isEqualTo(h.fraudFiredAgain);
            // credit's drift rule fired with the estimate, and again while its first run was queued
            assertThat(a.one("policy", CreditDrift.DRIFT_POLICY)).containsEntry("times_fired", "2").containsEntry("held_back", "1")
                    .containsEntry("experiments_enqueued", "1");
            assertThat(a.one("policy", CreditDrift.ESTIMATED_POLICY)).containsEntry("times_fired", "1").containsEntry("held_back", "0")
                    .containsEntry("experiments_enqueued", "1");
            assertThat(instant(a.one("policy", CreditDrift.DRIFT_POLICY).get("last_fired"))).isEqualTo(h.creditFiredAgain);
        });
        c.put(5, (a, h) -> {
            Map<String, String> churn = a.one("experiment_id", h.churnRetrain);
            assertThat(instant(churn.get("first_fired_at"))).isEqualTo(h.churnFired).isEqualTo(instant(churn.get("decided_at")));
            Map<String, String> fraud = a.one("experiment_id", h.fraudRequeued);
            assertThat(instant(fraud.get("first_fired_at"))).as("the held-back firing, not the enqueue")
                    .isEqualTo(h.fraudFiredAgain).isBefore(instant(fraud.get("decided_at")));
            assertThat(a.column("experiment_id")).as("only runs that registered a version from a policy's firing")
                    .doesNotContain(Long.toString(h.fraudRetrain), Long.toString(h.killed));
        });
        c.put(6, (a, h) -> {
            assertThat(a.rows()).hasSize(5);
            assertThat(a.column("version")).containsOnly("experiment-" + h.churnRetrain);
            assertThat(a.rows().subList(0, 2)).extracting(r -> r.get("segment") + ":" + r.get("accuracy")).containsExactly("eu:0.93", "us:0.92");
            assertThat(a.column("source")).containsOnly("serving");
        });
        c.put(7, (a, h) -> {
            // credit's two retrains, enqueued by its rules' firings (no node ran experiments after them), then the ranker's search
            assertThat(a.rows()).extracting(r -> r.get("model") + ":" + r.get("trigger") + ":" + r.get("status"))
                    .containsExactly("credit:policy:queued", "credit:policy:queued", "ranker:submit:queued");
            assertThat(a.rows().get(2)).containsEntry("experiment_id", Long.toString(h.next));
            assertThat(instant(a.rows().get(0).get("queued_at"))).isEqualTo(h.creditFired);
        });
        c.put(8, (a, h) -> {
            assertThat(a.rows()).hasSize(6);
            double best = Double.MAX_VALUE;
            for (Map<String, String> r : a.rows()) {
                assertThat(r.get("status")).isEqualTo("complete");
                best = Math.min(best, number(r.get("score")));
                assertThat(number(r.get("best_so_far"))).as("the lowest loss so far").isEqualTo(best);
                assertThat(number(r.get("x"))).isBetween(-2.0, 3.0);
            }
        });
        c.put(9, (a, h) -> {
            assertThat(a.rows()).extracting(r -> String.join(" ", r.get("policy"), r.get("version"), r.get("condition"), r.get("metric"),
                    r.get("aggregate"), r.get("window"), r.get("below"), r.get("cooldown"))).containsExactly(
                    RealHistory.CHURN_POLICY + " 1 1 accuracy mean 2h 0.78 1h",
                    RealHistory.CHURN_POLICY + " 2 1 accuracy mean 2h 0.85 1h",
                    CreditDrift.ESTIMATED_POLICY + " 1 1 null null null null 1d",
                    CreditDrift.DRIFT_POLICY + " 1 1 null null null null 1d",
                    RealHistory.FRAUD_POLICY + " 1 1 accuracy last 1d 0.9 5s");
        });
        c.put(10, (a, h) -> assertThat(a.rows()).extracting(r -> r.get("experiment_id") + ":" + r.get("trial_number") + ":"
                + r.get("attempt") + ":" + r.get("status")).containsExactly(
                h.killed + ":" + RealHistory.HELD_TRIAL + ":2:complete", h.restarted + ":2:2:complete", h.retried + ":1:2:complete"));
        c.put(11, (a, h) -> {
            Map<String, String> serving = a.one("version", "experiment-" + h.churnRetrain);
            assertThat(serving).containsEntry("model", "churn").containsEntry("version_status", "active")
                    .containsEntry("policy_states", "{\"" + RealHistory.CHURN_POLICY + "\": \"resolved\"}");
            assertThat(number(serving.get("accuracy"))).isIn(0.92, 0.93);
            assertThat(a.one("version", "v1")).containsEntry("version_status", "retired");
            assertThat(a.one("version", "f1")).containsEntry("accuracy", "0.94").containsEntry("open_experiments", "0");
            assertThat(a.one("version", "r1")).containsEntry("open_experiments", "1").containsEntry("accuracy", null);
            assertThat(a.one("version", CreditDrift.VERSION)).as("the latest label landed; both rules' retrains wait")
                    .containsEntry("open_experiments", "2").containsEntry("accuracy", Double.toString(CreditDrift.USUAL_ACCURACY));
            assertThat(instant(a.one("version", "l1").get("last_observed_at"))).as("stopped reporting two days ago")
                    .isEqualTo(h.origin.minus(java.time.Duration.ofHours(48)));
        });
        c.put(12, (a, h) -> {
            assertThat(a.one("model", "fraud")).containsEntry("experiments", "2").containsEntry("failed", "1").containsEntry("failed_pct", "50.0");
            assertThat(a.one("model", "ranker")).as("the failed runs were restarted, retried or abandoned")
                    .containsEntry("experiments", "6").containsEntry("failed", "0");
            assertThat(a.one("model", "churn")).containsEntry("experiments", "1").containsEntry("failed", "0");
            assertThat(a.one("model", "credit")).containsEntry("experiments", "2").containsEntry("failed", "0");
        });
        c.put(13, (a, h) -> {
            assertThat(a.where("experiment_id", h.churnRetrain)).isNotEmpty().allSatisfy(r ->
                    assertThat(r).containsEntry("channel", "http").containsEntry("origin", "127.0.0.1"));
            assertThat(a.where("experiment_id", h.fraudRetrain)).isNotEmpty().allSatisfy(r -> {
                assertThat(r).containsEntry("channel", "file");
                assertThat(r.get("origin")).endsWith("fraud-scores.csv");
            });
        });
        c.put(14, (a, h) -> {
            Map<String, String> r = a.one("experiment_id", h.churnRetrain);
            assertThat(r).containsEntry("strategy", "tpe").containsEntry("strategy_seed", "7").containsEntry("trainer_type", "command")
                    .containsEntry("dataset_bytes", Long.toString(Files.size(h.dir().resolve("churn-train.csv"))));
            assertThat(r.get("spec_sha256_prefix")).hasSize(12);
            assertThat(r.get("dataset_sha256_prefix")).hasSize(12);
            assertThat(r.get("orchestrator_version")).isNotBlank().isEqualTo(r.get("strategy_version"));
        });
        c.put(15, (a, h) -> {
            assertThat(a.one("experiment_id", h.killed)).as("the killed node and the rescuer")
                    .containsEntry("nodes", "2").containsEntry("trials", "5");
            assertThat(a.one("experiment_id", h.restarted)).containsEntry("nodes", "1").containsEntry("trials", "4");
            assertThat(a.one("experiment_id", h.retried)).containsEntry("nodes", "1").containsEntry("trials", "3");
        });
        c.put(16, (a, h) -> {
            assertThat(a.rows()).extracting(r -> r.get("model") + ":" + r.get("version") + ":" + r.get("actor"))
                    .containsExactly("churn:experiment-" + h.churnRetrain + ":serving", "credit:c1:serving", "fraud:f1:serving", "legacy:l1:serving",
                            "ranker:r1:serving");
            assertThat(a.one("model", "churn").get("reason")).contains("first snapshots");
        });
        c.put(17, (a, h) -> {
            String v2 = "experiment-" + h.churnRetrain;
            assertThat(a.rows()).extracting(r -> r.get("version") + ":" + r.get("from_status") + ">" + r.get("to_status") + ":" + r.get("actor"))
                    .containsExactly("v1:(registered)>active:serving", v2 + ":(registered)>candidate:experiment",
                            v2 + ":candidate>approved:gate", "v1:active>retired:serving", v2 + ":approved>active:serving");
            assertThat(a.rows().get(2).get("reason")).startsWith("loss ").contains(" beats ");
            assertThat(a.rows().get(4).get("status_until")).isNull();
        });
        c.put(18, (a, h) -> {
            Map<String, String> r = a.one("experiment_id", h.churnRetrain);
            assertThat(r).containsEntry("outcome", "recovered").containsEntry("gate_verdict", "approved")
                    .containsEntry("candidate_version", "experiment-" + h.churnRetrain);
            assertThat(instant(r.get("first_fired_at"))).isEqualTo(h.churnFired);
            assertThat(number(r.get("metric_after"))).isGreaterThan(number(r.get("metric_before"))).isGreaterThanOrEqualTo(0.85);
            assertThat(number(r.get("gate_candidate_score"))).isLessThan(number(r.get("gate_active_score")));
        });
        c.put(19, (a, h) -> {
            assertThat(a.one("experiment_id", h.fraudRetrain)).containsEntry("outcome", "experiment_failed")
                    .satisfies(r -> assertThat(r.get("why")).contains("max_failed"));
            assertThat(a.one("experiment_id", h.cancelled)).containsEntry("outcome", "experiment_cancelled")
                    .satisfies(r -> assertThat(r.get("why")).contains("cancel"));
            assertThat(a.one("experiment_id", h.abandoned)).containsEntry("outcome", "experiment_abandoned");
            assertThat(a.column("outcome")).doesNotContain("recovered", "awaiting_activation", "tuning");
        });
        c.put(20, (a, h) -> {
            assertThat(a.rows()).hasSize(1);
            assertThat(a.rows().get(0)).containsEntry("model", "churn").containsEntry("retrains_activated", "1");
            assertThat(number(a.rows().get(0).get("median_hours"))).as("the breach was 18 hours of test clock before").isGreaterThan(17.0);
        });
        c.put(21, (a, h) -> {
            assertThat(a.rows()).hasSize(3);
            assertThat(a.one("policy", CreditDrift.DRIFT_POLICY)).containsEntry("held_back_by", "open_experiment")
                    .containsEntry("next_event", "resolved").satisfies(r -> assertThat(instant(r.get("fired_at"))).isEqualTo(h.creditFiredAgain));
            Map<String, String> churn = a.one("policy", RealHistory.CHURN_POLICY);
            assertThat(churn).containsEntry("held_back_by", "open_experiment").containsEntry("held_back_until", null)
                    .containsEntry("blocking_experiment_id", Long.toString(h.churnRetrain)).containsEntry("next_event", "resolved");
            assertThat(instant(churn.get("fired_at"))).isEqualTo(h.churnFiredAgain);
            Map<String, String> fraud = a.one("policy", RealHistory.FRAUD_POLICY);
            assertThat(fraud).containsEntry("held_back_by", "cooldown").containsEntry("blocking_experiment_id", Long.toString(h.fraudRetrain))
                    .containsEntry("next_event", "enqueued");
            assertThat(instant(fraud.get("fired_at"))).isEqualTo(h.fraudFiredAgain);
            assertThat(instant(fraud.get("held_back_until"))).as("the cooldown after the failed run")
                    .isEqualTo(h.ended(h.fraudRetrain).plus(RealHistory.FRAUD_COOLDOWN));
            assertThat(instant(fraud.get("next_at"))).isAfterOrEqualTo(instant(fraud.get("held_back_until")));
        });
        c.put(22, (a, h) -> {
            // per model over the months (a run that crosses midnight of the 1st splits in two rows). ranker: the rescued run's
            // 5 trials and the killed attempt, the restarted run's 4 and the attempt its engine failed in, the retried run's 3
            // and its failed attempt, the abandoned run's one (interrupted) and the cancelled run's one (interrupted)
            Map<String, int[]> perModel = new java.util.TreeMap<>();
            for (Map<String, String> r : a.rows()) {
                int[] sums = perModel.computeIfAbsent(r.get("model"), k -> new int[2]);
                sums[0] += Integer.parseInt(r.get("attempts"));
                sums[1] += Integer.parseInt(r.get("interrupted"));
            }
            assertThat(perModel.entrySet()).extracting(e -> e.getKey() + ":" + e.getValue()[0] + ":" + e.getValue()[1]).containsExactly(
                    "churn:6:0", "fraud:6:0", "pricing:10:0", "ranker:17:4", "screening:2:0");
            Predicate<String> nonNegative = v -> v != null && number(v) >= 0;
            assertThat(a.column("seconds")).allMatch(nonNegative);
            assertThat(a.column("seconds_lost")).allMatch(nonNegative);
            // the maintained sums equal the sums over every attempt (the kill, the engine failure, the retry, the cancel)
            List<String> summed = h.db.jdbi().withHandle(x -> x.createQuery("""
                    SELECT model || ':' || to_char(date_trunc('month', started_at AT TIME ZONE 'UTC'), 'YYYY-MM') || ':' || count(*) || ':'
                           || count(*) FILTER (WHERE outcome = 'interrupted') || ':' || round(coalesce(sum(duration_seconds), 0), 1) || ':'
                           || round(coalesce(sum(duration_seconds) FILTER (WHERE NOT is_last_attempt), 0), 1)
                      FROM lineage.trial_attempts
                     GROUP BY model, date_trunc('month', started_at AT TIME ZONE 'UTC')
                     ORDER BY model, date_trunc('month', started_at AT TIME ZONE 'UTC')""").mapTo(String.class).list());
            assertThat(a.rows()).extracting(r -> r.get("model") + ":" + r.get("month") + ":" + r.get("attempts") + ":" + r.get("interrupted")
                    + ":" + r.get("seconds") + ":" + r.get("seconds_lost")).containsExactlyElementsOf(summed);
        });
        c.put(23, (a, h) -> {
            assertThat(a.where("experiment_id", h.churnRetrain)).extracting(r -> r.get("hyperparameter") + ":" + r.get("trials")
                    + ":" + r.get("strategy") + ":" + r.get("direction")).containsExactly("x:6:tpe:minimize", "y:6:tpe:minimize");
            assertThat(a.where("experiment_id", h.killed)).extracting(r -> r.get("hyperparameter")).containsExactly("n", "x");
            assertThat(a.where("experiment_id", h.builtin)).as("two trials: too few").isEmpty();
            assertThat(a.where("experiment_id", h.retried)).extracting(r -> r.get("hyperparameter") + ":" + r.get("trials"))
                    .containsExactly("x:3");
            assertThat(a.where("experiment_id", h.fraudRequeued)).extracting(r -> r.get("direction")).containsExactly("maximize");
            for (Map<String, String> r : a.rows()) {
                if (r.get("correlation") != null) assertThat(number(r.get("correlation"))).isBetween(-1.0, 1.0);
            }
        });
        c.put(24, (a, h) -> {
            // only the policy timeline's node had the hand-off configured: the churn and fraud retrains' approvals; pricing's
            // two-objective run was approved after that node stopped, so its notification waits for a node to deliver it
            assertThat(a.rows()).extracting(r -> String.join(":", r.get("model"), r.get("version"), r.get("event"), r.get("destination"),
                    r.get("actor"), r.get("state"), r.get("attempts"))).containsExactlyInAnyOrder(
                    "churn:experiment-" + h.churnRetrain + ":approved:command:gate:delivered:1",
                    "fraud:experiment-" + h.fraudRequeued + ":approved:command:gate:delivered:1",
                    "pricing:experiment-" + h.pareto + ":approved:command:gate:pending:0");
        });
        c.put(25, (a, h) -> {
            // the one key the corrected CSV revised: fraud's score of the hour its first firing read
            assertThat(a.rows()).extracting(r -> r.get("model") + ":" + r.get("revision") + ":" + r.get("accuracy") + ":"
                    + r.get("sample_count") + ":" + r.get("channel")).containsExactly("fraud:1:0.86:2000:file", "fraud:2:0.93:2100:file");
            Map<String, String> first = a.rows().get(0);
            Map<String, String> second = a.rows().get(1);
            assertThat(instant(first.get("observed_at"))).isEqualTo(h.origin.minus(java.time.Duration.ofHours(RealHistory.FRAUD_REVISED_HOURS_AGO)))
                    .isEqualTo(instant(second.get("observed_at")));
            assertThat(first.get("replaces_id")).isNull();
            assertThat(second.get("replaces_id")).as("revision 2 names the snapshot it replaced").isNotNull();
            assertThat(instant(first.get("superseded_at"))).as("superseded when revision 2 was recorded")
                    .isEqualTo(instant(second.get("recorded_at"))).isAfter(h.ended(h.fraudRetrain));
            assertThat(second.get("superseded_at")).isNull();
            assertThat(second.get("settled_at")).as("a revise source without settle: provisional").isNull();
            assertThat(second.get("batch_id")).isNotEqualTo(first.get("batch_id"));
        });
        c.put(26, (a, h) -> {
            // every fraud decision whose 24h window held the revised hour; only the first firing read it as its deciding value:
            // below 0.9 then, above it on the corrected value
            assertThat(a.column("policy")).isNotEmpty().containsOnly(RealHistory.FRAUD_POLICY);
            Map<String, String> r = a.one("still_holds", "f");
            assertThat(r).containsEntry("event", "fired")
                    .containsEntry("still_holds", "f").containsEntry("experiment_id", Long.toString(h.fraudRetrain))
                    .containsEntry("observed", "0.860").containsEntry("observed_now", "0.930");
            assertThat(instant(r.get("evaluated_at"))).isEqualTo(h.fraudFired);
            assertThat(a.where("still_holds", "t")).as("the later decisions read a later hour: unchanged")
                    .isNotEmpty().allSatisfy(later -> assertThat(later.get("observed_now")).isEqualTo(later.get("observed")));
            assertThat(a.one("event", "held_back")).satisfies(held -> assertThat(instant(held.get("evaluated_at"))).isEqualTo(h.fraudFiredAgain));
        });
        c.put(27, (a, h) -> {
            assertThat(a.column("experiment_id")).as("the rescued, the restarted and the retried run only")
                    .containsOnly(Long.toString(h.killed), Long.toString(h.restarted), Long.toString(h.retried))
                    .contains(Long.toString(h.killed), Long.toString(h.restarted), Long.toString(h.retried));
            assertThat(a.where("experiment_id", h.retried)).extracting(r -> r.get("event")).as("ops restart --retry-failed")
                    .containsSubsequence("queued", "claimed", "failed", "retried", "succeeded");
            List<Map<String, String>> killed = a.where("experiment_id", h.killed);
            assertThat(killed.get(0)).containsEntry("event", "queued").containsEntry("actor", "submit");
            String nodeA = killed.stream().filter(r -> "claimed".equals(r.get("event"))).findFirst().orElseThrow().get("node");
            Map<String, String> rescue = a.one("event", "rescued");
            assertThat(rescue).containsEntry("experiment_id", Long.toString(h.killed)).containsEntry("previous_node", nodeA);
            assertThat(rescue.get("node")).as("another node took it over").isNotNull().isNotEqualTo(nodeA);
            assertThat(killed.get(killed.size() - 1)).containsEntry("event", "succeeded").containsEntry("node", rescue.get("node"));

            List<Map<String, String>> restarted = a.where("experiment_id", h.restarted);
            assertThat(restarted).extracting(r -> r.get("event")).containsSubsequence("queued", "claimed", "failed", "restarted", "succeeded");
            Map<String, String> failed = restarted.stream().filter(r -> "failed".equals(r.get("event"))).findFirst().orElseThrow();
            assertThat(failed).containsEntry("step", "trials").containsEntry("trial_number", "2");
            assertThat(failed.get("error")).isNotBlank();
            assertThat(a.one("event", "restarted").get("actor")).as("the operator who ran ops restart").isNotBlank();
            for (List<Map<String, String>> run : List.of(killed, restarted)) {
                assertThat(run).extracting(r -> Integer.parseInt(r.get("seq"))).isSorted().doesNotHaveDuplicates();
            }
        });
        c.put(28, (a, h) -> {
            // the policy's re-enqueue after the failed fraud run, and the queued ranker search submitted --supersedes the abandoned run
            assertThat(a.rows()).extracting(r -> String.join(":", r.get("failed_run"), r.get("model"), r.get("was"), r.get("resubmitted_as"),
                    r.get("trigger"), r.get("resubmission"))).containsExactlyInAnyOrder(
                    h.fraudRetrain + ":fraud:failed:" + h.fraudRequeued + ":policy:succeeded",
                    h.abandoned + ":ranker:abandoned:" + h.next + ":submit:queued");
            assertThat(a.one("failed_run", h.fraudRetrain).get("error")).contains("max_failed");
            assertThat(a.one("failed_run", h.fraudRetrain).get("resubmission_error")).isNull();
        });
        c.put(29, (a, h) -> {
            // legacy stopped two days ago; every other model reported within the day (churn's and fraud's new versions, ranker's shadow)
            assertThat(a.rows()).hasSize(1);
            Map<String, String> legacy = a.rows().get(0);
            assertThat(legacy).containsEntry("model", "legacy").containsEntry("version", "l1").containsEntry("source", "serving")
                    .containsEntry("segment", "").containsEntry("last_accuracy", "0.88");
            assertThat(instant(legacy.get("last_observed_at"))).isEqualTo(h.origin.minus(java.time.Duration.ofHours(48)));
        });
        c.put(30, (a, h) -> {
            assertThat(a.rows()).isNotEmpty();
            assertThat(a.column("experiment_id")).containsOnly(Long.toString(h.pareto));
            assertThat(a.column("model")).containsOnly("pricing");
            // the front computed here from the trial rows, by brute force: complete trials no other complete trial dominates
            List<double[]> trials = h.db.jdbi().withHandle(x -> x.createQuery("""
                    SELECT number, (metrics ->> 'accuracy')::float8 AS a, (metrics ->> 'latency_ms')::float8 AS l
                      FROM orchestrator.trial WHERE experiment_id = :id AND status = 'complete' ORDER BY number""")
                    .bind("id", h.pareto).map((rs, ctx) -> new double[]{rs.getInt("number"), rs.getDouble("a"), rs.getDouble("l")}).list());
            List<String> front = trials.stream().filter(t -> trials.stream().noneMatch(u -> u[1] >= t[1] && u[2] <= t[2]
                    && (u[1] > t[1] || u[2] < t[2]))).map(t -> Integer.toString((int) t[0])).toList();
            assertThat(a.column("trial_number")).containsExactlyElementsOf(front);
            List<Map<String, String>> selected = a.where("selected", "t");
            assertThat(selected).as("one trial chosen").hasSize(1);
            double chosenAccuracy = number(selected.get(0).get("accuracy"));
            assertThat(number(selected.get(0).get("latency_ms"))).isLessThanOrEqualTo(20);
            for (Map<String, String> r : a.rows()) {
                if (number(r.get("latency_ms")) <= 20) assertThat(number(r.get("accuracy"))).isLessThanOrEqualTo(chosenAccuracy);
            }
            int best = h.db.jdbi().withHandle(x -> x.createQuery("""
                    SELECT t.number FROM orchestrator.hyperparameter_set hs JOIN orchestrator.trial t ON t.id = hs.trial_id
                     WHERE hs.experiment_id = :id AND hs.replaced_at IS NULL""").bind("id", h.pareto).mapTo(Integer.class).one());
            assertThat(selected.get(0).get("trial_number")).as("the current best set's trial").isEqualTo(Integer.toString(best));
            assertThat(a.column("select_constraint")).containsOnly("latency_ms <= 20");
        });
        c.put(31, (a, h) -> {
            // hourly: four comparable histograms of 1,000 predictions each (income, utilization, age, the score)
            assertThat(a.rows()).hasSizeGreaterThanOrEqualTo(20);
            for (Map<String, String> r : a.rows()) {
                assertThat(r).containsEntry("features", "4").containsEntry("samples", "1000");
                int hoursAgo = (int) java.time.Duration.between(instant(r.get("observed_at")), h.origin).toHours();
                if (CreditDrift.firstEpisode(hoursAgo)) {
                    assertThat(r.get("moved")).as("inputs and scores moved, " + hoursAgo + " hours before").isEqualTo(moved(Map.of(
                            "prediction", CreditDrift.middleScoresPsi(), "utilization", CreditDrift.movedUtilizationPsi(),
                            "income", CreditDrift.movedIncomePsi())));
                } else if (CreditDrift.secondEpisode(hoursAgo)) {
                    assertThat(r.get("moved")).as("only the inputs moved, " + hoursAgo + " hours before").isEqualTo(moved(Map.of(
                            "utilization", CreditDrift.movedUtilizationPsi(), "income", CreditDrift.movedIncomePsi())));
                    assertThat(number(r.get("prediction_psi"))).isZero();
                } else {
                    assertThat(r.get("moved")).as(hoursAgo + " hours before").isNull();
                    assertThat(number(r.get("max_input_psi"))).isZero();
                }
            }
            assertThat(a.rows()).filteredOn(r -> r.get("moved") != null).hasSize(6);
        });
        c.put(32, (a, h) -> {
            assertThat(a.rows()).extracting(r -> String.join(":", r.get("policy"), r.get("verdict"), String.valueOf(r.get("realised")),
                    r.get("realised_direction"), r.get("realised_line"))).containsExactly(
                    CreditDrift.ESTIMATED_POLICY + ":revised:0.820:below:0.8",
                    CreditDrift.DRIFT_POLICY + ":confirmed:0.820:below:0.85",
                    CreditDrift.DRIFT_POLICY + ":pending:null:below:0.85");
            assertThat(instant(a.rows().get(0).get("evaluated_at"))).isEqualTo(h.creditFired).isEqualTo(instant(a.rows().get(1).get("evaluated_at")));
            assertThat(instant(a.rows().get(2).get("evaluated_at"))).isEqualTo(h.creditFiredAgain);
            assertThat(a.rows().get(1).get("realised_samples")).as("the three labelled hours of the 3h window").isEqualTo("3000");
            assertThat(number(a.rows().get(0).get("observed"))).as("the estimate was below its line").isLessThan(0.8);
        });
        c.put(33, (a, h) -> {
            assertThat(a.rows()).extracting(r -> String.join(":", r.get("policy"), r.get("feature"), r.get("method"), r.get("drifted"),
                    r.get("histograms"))).containsExactly(
                    CreditDrift.ESTIMATED_POLICY + ":prediction:estimated:t:3",
                    CreditDrift.DRIFT_POLICY + ":age:psi:f:3", CreditDrift.DRIFT_POLICY + ":income:psi:t:3",
                    CreditDrift.DRIFT_POLICY + ":utilization:psi:t:3",
                    CreditDrift.DRIFT_POLICY + ":age:psi:f:3", CreditDrift.DRIFT_POLICY + ":income:psi:t:3",
                    CreditDrift.DRIFT_POLICY + ":utilization:psi:t:3");
            assertThat(number(a.one("method", "estimated").get("score"))).isLessThan(0.8);
            assertThat(a.where("feature", "income")).allSatisfy(r ->
                    assertThat(number(r.get("score"))).isCloseTo(CreditDrift.movedIncomePsi(), within(0.0005)));
        });
        return c;
    }
}
