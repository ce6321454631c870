package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.app.Modules;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dashboard's JSON read API against the sample data of seed.sql (see its header for the story). */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");

    private SeededDashboard dashboard;
    private TestDatabase db;

    @BeforeAll
    void start(TestDatabase db) throws Exception {
        this.db = db;
        dashboard = SeededDashboard.start(db);
    }

    @AfterAll
    void stop() {
        if (dashboard != null) dashboard.close();
    }

    @Test
    void serveRunsTheDashboard() {
        assertThat(Modules.all()).anyMatch(m -> m instanceof DashboardModule);
    }

    @Test
    void everyPageAndEveryScriptAndStylesheetItLoadsIsServedFromTheJarIncludingTheChartingLibrary() {
        List<String> assets = new ArrayList<>();
        for (String page : List.of("/", "/model.html", "/experiments.html", "/experiment.html", "/compare.html", "/failed.html")) {
            HttpResponse<String> r = dashboard.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(page).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            Matcher m = ASSET.matcher(r.body());
            while (m.find()) assets.add(m.group(1));
        }
        assertThat(assets).contains("/webjars/echarts/5.3.1/dist/echarts.min.js", "/css/dashboard.css", "/js/page-model.js");
        for (String asset : assets) {
            assertThat(dashboard.get(asset).statusCode()).as(asset).isEqualTo(200);
        }
        for (String module : List.of("/js/api.js", "/js/ui.js", "/js/charts.js")) {
            assertThat(dashboard.get(module).statusCode()).as(module).isEqualTo(200);
        }
    }

    @Test
    void overviewCountsModelsFiringPoliciesOpenAndFailedExperiments() {
        JsonNode o = dashboard.json("/api/v1/overview");
        assertThat(o.path("models").asInt()).isEqualTo(3);
        assertThat(o.path("policies_firing").asInt()).isEqualTo(1);
        assertThat(o.path("experiments_open").asInt()).isEqualTo(2);
        assertThat(o.path("experiments_failed").asInt()).isEqualTo(2);
    }

    @Test
    void modelsListEachModelWithItsServingVersionNewestSnapshotPolicyStatesAndRuns() {
        JsonNode models = dashboard.json("/api/v1/models").path("models");
        assertThat(texts(models, "model")).containsExactly("churn", "fraud", "ranker");
        JsonNode churn = models.get(0);
        assertThat(churn.path("active_version").asText()).isEqualTo("v2");
        assertThat(churn.path("versions").asInt()).isEqualTo(2);
        assertThat(churn.path("last_observed_at").asText()).isEqualTo("2026-11-20T23:00:00Z");
        assertThat(churn.path("last_observed_version").asText()).isEqualTo("v2");
        assertThat(churn.path("latest_metrics").fieldNames()).toIterable().containsExactlyInAnyOrder("accuracy", "precision", "recall");
        assertThat(texts(churn.path("policy_states"), "policy")).containsExactly("churn-accuracy-floor", "churn-recall-precision");
        assertThat(texts(churn.path("policy_states"), "state")).containsExactly("ok", "firing");
        assertThat(churn.path("open_experiments").asInt()).isEqualTo(1);
        assertThat(churn.path("failed_experiments").asInt()).isEqualTo(1);
        assertThat(churn.path("last_retrain_at").asText()).isEqualTo("2026-11-19T21:41:00Z");
        assertThat(models.get(2).path("policy_states").size()).isZero();
    }

    @Test
    void listsAreBoundedByLimitAndABadLimitIsRefusedNamingTheRule() {
        assertThat(dashboard.json("/api/v1/models?limit=1").path("models").size()).isEqualTo(1);
        assertThat(texts(dashboard.json("/api/v1/experiments?limit=2").path("experiments"), "experiment_id"))
                .containsExactly("5", "4");
        for (String bad : List.of("0", "1001", "abc", "-3")) {
            assertError(dashboard.get("/api/v1/models?limit=" + bad), 400, "limit must be an integer from 1 to 1000, got '" + bad + "'");
        }
        assertError(dashboard.get("/api/v1/failed-runs?limit=5000"), 400, "limit must be an integer from 1 to 1000");
        assertError(dashboard.get("/api/v1/models/churn/timelines?points=20001"), 400, "points must be an integer from 1 to 20000");
        assertError(dashboard.get("/api/v1/experiments/1?trials=0"), 400, "trials must be an integer from 1 to 10000");
    }

    @Test
    void oneModelHasItsVersionsAndItsPoliciesWithTheThresholdsOfBothShapesOfWhen() {
        JsonNode churn = dashboard.json("/api/v1/models/churn");
        assertThat(texts(churn.path("versions"), "version")).containsExactly("v2", "v1");
        assertThat(churn.path("versions").get(0).path("experiment_id").asLong()).isEqualTo(1);
        assertThat(texts(churn.path("versions"), "artifact_uri"))
                .containsExactly("file:///var/lib/orchestrator/artifacts/churn/v2/model.tribuo", "null");
        JsonNode policies = churn.path("policies");
        assertThat(texts(policies, "policy")).containsExactly("churn-accuracy-floor", "churn-legacy", "churn-recall-precision");

        JsonNode floor = policies.get(0);
        assertThat(floor.path("policy_version").asInt()).isEqualTo(2);
        assertThat(floor.path("state").asText()).isEqualTo("ok");
        assertThat(floor.path("conditions")).hasSize(1);
        assertThat(floor.path("conditions").get(0).path("description").asText()).isEqualTo("mean(accuracy, 6h) below 0.85 for 30m");

        JsonNode legacy = policies.get(1);
        assertThat(legacy.path("enabled").asBoolean()).isFalse();
        assertThat(legacy.path("conditions")).as("a `when` the dashboard cannot read").isEmpty();

        JsonNode list = policies.get(2);
        assertThat(list.path("state").asText()).isEqualTo("firing");
        assertThat(texts(list.path("conditions"), "metric")).containsExactly("recall", "precision");
        assertThat(texts(list.path("conditions"), "value")).containsExactly("0.75", "0.8");
    }

    @Test
    void unknownModelsAndExperimentsAreNotFoundByName() {
        assertError(dashboard.get("/api/v1/models/nope"), 404, "no model named 'nope'");
        assertError(dashboard.get("/api/v1/models/nope/timelines"), 404, "no model named 'nope'");
        assertError(dashboard.get("/api/v1/experiments?model=nope"), 404, "no model named 'nope'");
        assertError(dashboard.get("/api/v1/models/churn/timelines?metric=latency"), 404, "no metric 'latency' recorded for model 'churn'");
        assertError(dashboard.get("/api/v1/experiments/999"), 404, "no experiment with id 999");
    }

    @Test
    void aModelsTimelinesHaveEveryPointPerVersionThresholdsAsTheyChangedAndFiringResolvedMarks() {
        JsonNode t = dashboard.json("/api/v1/models/churn/timelines");
        assertThat(t.path("window").path("from").asText()).isEqualTo("2026-11-18T00:00:00Z");
        assertThat(t.path("window").path("to").asText()).isEqualTo("2026-11-20T23:00:00Z");
        assertThat(texts(t.path("metrics"), "metric")).containsExactly("accuracy", "precision", "recall");

        JsonNode accuracy = t.path("metrics").get(0);
        assertThat(accuracy.path("truncated").asBoolean()).isFalse();
        assertThat(texts(accuracy.path("series"), "name")).containsExactly("v1", "v2");
        assertThat(accuracy.path("series").get(0).path("points")).hasSize(48);
        assertThat(accuracy.path("series").get(1).path("points")).hasSize(24);
        JsonNode firstPoint = accuracy.path("series").get(0).path("points").get(0);
        assertThat(firstPoint.get(0).asText()).isEqualTo("2026-11-18T00:00:00Z");
        assertThat(firstPoint.get(1).asDouble()).isEqualTo(0.92);
        assertThat(firstPoint.get(2).asLong()).isEqualTo(1000);

        // version 1 of the policy (below 0.80) until version 2 (below 0.85) was applied, both cut to the window
        JsonNode thresholds = accuracy.path("thresholds");
        assertThat(texts(thresholds, "value")).containsExactly("0.8", "0.85");
        assertThat(texts(thresholds, "from")).containsExactly("2026-11-18T00:00:00Z", "2026-11-19T06:00:00Z");
        assertThat(texts(thresholds, "to")).containsExactly("2026-11-19T06:00:00Z", "2026-11-20T23:00:00Z");
        assertThat(texts(thresholds, "direction")).containsOnly("below");

        // pending and ok are not marks; the 2026-11-10 episode is before the window
        assertThat(texts(accuracy.path("marks"), "state")).containsExactly("firing", "resolved");
        assertThat(texts(accuracy.path("marks"), "evaluated_at")).containsExactly("2026-11-19T15:00:00Z", "2026-11-20T03:00:00Z");
        assertThat(accuracy.path("marks").get(0).path("experiment_id").asLong()).isEqualTo(1);

        // a policy whose `when` is a list marks each metric it names
        for (JsonNode metric : List.of(t.path("metrics").get(1), t.path("metrics").get(2))) {
            assertThat(metric.path("thresholds")).hasSize(1);
            assertThat(texts(metric.path("marks"), "policy")).containsExactly("churn-recall-precision");
        }
        assertThat(texts(t.path("state_changes"), "evaluated_at"))
                .containsExactly("2026-11-19T15:00:00Z", "2026-11-19T20:00:00Z", "2026-11-20T03:00:00Z");
    }

    @Test
    void seriesOfSeveralSegmentsAreNamedBySegmentAndAnAboveThresholdIsKept() {
        JsonNode t = dashboard.json("/api/v1/models/fraud/timelines");
        JsonNode fpr = t.path("metrics").get(1);
        assertThat(fpr.path("metric").asText()).isEqualTo("false_positive_rate");
        assertThat(texts(fpr.path("series"), "name")).containsExactly("f1 · eu", "f1 · us");
        assertThat(fpr.path("series").get(0).path("points")).hasSize(24);
        assertThat(fpr.path("series").get(1).path("points")).hasSize(24);
        assertThat(texts(fpr.path("thresholds"), "direction")).containsExactly("above");
        assertThat(texts(fpr.path("marks"), "state")).containsExactly("firing", "resolved");
        assertThat(t.path("metrics").get(0).path("marks")).as("auc has no policy").isEmpty();
    }

    @Test
    void aTimeWindowAndAPointBudgetSelectWhatIsDrawn() {
        JsonNode wide = dashboard.json("/api/v1/models/churn/timelines?metric=accuracy&from=2026-11-09T00:00:00Z");
        assertThat(wide.path("metrics")).hasSize(1);
        JsonNode accuracy = wide.path("metrics").get(0);
        assertThat(texts(accuracy.path("marks"), "evaluated_at"))
                .containsExactly("2026-11-10T00:00:00Z", "2026-11-10T06:00:00Z", "2026-11-19T15:00:00Z", "2026-11-20T03:00:00Z");
        assertThat(accuracy.path("thresholds").get(0).path("from").asText()).isEqualTo("2026-11-09T00:00:00Z");

        JsonNode day = dashboard.json("/api/v1/models/churn/timelines?metric=accuracy&from=2026-11-19T00:00:00%2B00:00&to=2026-11-19T12:00:00Z");
        assertThat(day.path("metrics").get(0).path("series").get(0).path("points")).hasSize(12);
        assertThat(day.path("metrics").get(0).path("marks")).isEmpty();

        JsonNode newest = dashboard.json("/api/v1/models/churn/timelines?metric=accuracy&points=10");
        JsonNode a = newest.path("metrics").get(0);
        assertThat(a.path("truncated").asBoolean()).isTrue();
        assertThat(texts(a.path("series"), "name")).containsExactly("v2");
        assertThat(a.path("series").get(0).path("points")).hasSize(10);
        assertThat(a.path("series").get(0).path("points").get(9).get(0).asText()).isEqualTo("2026-11-20T23:00:00Z");
    }

    @Test
    void badTimesAreRefusedNamingTheParameter() {
        assertError(dashboard.get("/api/v1/models/churn/timelines?from=yesterday"), 400, "from must be an ISO-8601 instant");
        assertError(dashboard.get("/api/v1/models/churn/timelines?to=2026-11-20"), 400, "to must be an ISO-8601 instant");
        assertError(dashboard.get("/api/v1/models/churn/timelines?from=2026-11-20T00:00:00Z&to=2026-11-19T00:00:00Z"), 400,
                "from must be before to");
    }

    @Test
    void aModelsVersionsHaveABandForEachActivePeriodAndMarkersForApprovalsRejectionsAndRollbacks() {
        JsonNode v = dashboard.json("/api/v1/models/churn/versions/events");
        assertThat(v.path("model").asText()).isEqualTo("churn");
        assertThat(v.path("window").path("from").isNull()).isTrue();

        // v1 from the lifecycle's introduction, v2 from its first snapshots, then two rollbacks; v2 is still active
        JsonNode bands = v.path("bands");
        assertThat(texts(bands, "version")).containsExactly("v1", "v2", "v1", "v2");
        assertThat(texts(bands, "active_from"))
                .containsExactly("2026-11-01T00:00:00Z", "2026-11-20T00:00:00Z", "2026-11-20T08:00:00Z", "2026-11-20T10:00:00Z");
        assertThat(texts(bands, "active_until")).containsExactly("2026-11-20T00:00:00Z", "2026-11-20T08:00:00Z", "2026-11-20T10:00:00Z", "null");
        assertThat(bands.get(3).path("active_until").isNull()).as("open-ended").isTrue();
        assertThat(texts(bands, "activated_by")).containsExactly("migration", "serving", "operator:bob", "operator:alice");
        assertThat(texts(bands, "rollback")).containsExactly("false", "false", "true", "true");

        JsonNode markers = v.path("markers");
        assertThat(texts(markers, "kind")).containsExactly("rejection", "approval", "rollback", "rollback");
        assertThat(texts(markers, "at"))
                .containsExactly("2026-11-19T21:42:00Z", "2026-11-19T21:55:00Z", "2026-11-20T08:00:00Z", "2026-11-20T10:00:00Z");
        assertThat(texts(markers, "version")).containsExactly("v2", "v2", "v1", "v2");
        assertThat(texts(markers, "actor")).containsExactly("gate", "operator:alice", "operator:bob", "operator:alice");
        assertThat(markers.get(0).path("reason").asText()).isEqualTo("evaluator failed: the active version v1 has no artifact");
        assertThat(markers.get(2).path("reason").asText()).isEqualTo("rollback: v2 precision dips on eu traffic");
        assertThat(texts(markers, "from_status")).containsExactly("candidate", "rejected", "retired", "retired");

        // the history table: every change of the model's versions, newest first
        JsonNode events = v.path("events");
        assertThat(v.path("events_truncated").asBoolean()).isFalse();
        assertThat(texts(events, "event_id")).containsExactly("12", "11", "10", "9", "8", "7", "6", "5", "4", "1");
        assertThat(texts(events, "kind")).containsExactly("rollback", "retirement", "rollback", "retirement", "activation",
                "retirement", "approval", "rejection", "registration", "migration");
        assertThat(events.get(8).path("from_status").isNull()).isTrue();
        assertThat(events.get(8).path("experiment_id").asLong()).isEqualTo(1);
        assertThat(events.get(0).has("evidence")).as("evidence stays with the analysts' view").isFalse();
    }

    @Test
    void aWindowKeepsTheBandsThatOverlapItAndTheChangesMadeInIt() {
        JsonNode v = dashboard.json("/api/v1/models/churn/versions/events?from=2026-11-20T06:00:00Z&to=2026-11-20T09:00:00Z");
        assertThat(v.path("window").path("from").asText()).isEqualTo("2026-11-20T06:00:00Z");
        assertThat(texts(v.path("bands"), "version")).containsExactly("v2", "v1");
        assertThat(texts(v.path("bands"), "active_from")).containsExactly("2026-11-20T00:00:00Z", "2026-11-20T08:00:00Z");
        assertThat(texts(v.path("markers"), "kind")).containsExactly("rollback");
        assertThat(texts(v.path("events"), "event_id")).containsExactly("10", "9");

        JsonNode before = dashboard.json("/api/v1/models/churn/versions/events?to=2026-11-19T00:00:00Z");
        assertThat(texts(before.path("bands"), "version")).containsExactly("v1");
        assertThat(before.path("markers")).isEmpty();
        assertThat(texts(before.path("events"), "kind")).containsExactly("migration");

        JsonNode fraud = dashboard.json("/api/v1/models/fraud/versions/events");
        assertThat(texts(fraud.path("bands"), "version")).containsExactly("f1");
        assertThat(fraud.path("bands").get(0).path("active_until").isNull()).isTrue();
        assertThat(fraud.path("markers")).isEmpty();
    }

    @Test
    void theVersionHistoryIsBoundedByLimitAndItsBadParametersAndUnknownModelsAreRefused() {
        JsonNode newest = dashboard.json("/api/v1/models/churn/versions/events?limit=3");
        assertThat(newest.path("limit").asInt()).isEqualTo(3);
        assertThat(texts(newest.path("events"), "event_id")).containsExactly("12", "11", "10");
        assertThat(newest.path("events_truncated").asBoolean()).isTrue();
        assertThat(newest.path("markers")).as("markers do not depend on the table's limit").hasSize(4);
        assertThat(dashboard.json("/api/v1/models/churn/versions/events?limit=10").path("events_truncated").asBoolean()).isFalse();

        for (String bad : List.of("0", "1001", "abc")) {
            assertError(dashboard.get("/api/v1/models/churn/versions/events?limit=" + bad), 400,
                    "limit must be an integer from 1 to 1000, got '" + bad + "'");
        }
        assertError(dashboard.get("/api/v1/models/churn/versions/events?from=yesterday"), 400, "from must be an ISO-8601 instant");
        assertError(dashboard.get("/api/v1/models/churn/versions/events?from=2026-11-20T00:00:00Z&to=2026-11-20T00:00:00Z"), 400,
                "from must be before to");
        assertError(dashboard.get("/api/v1/models/nope/versions/events"), 404, "no model named 'nope'");
    }

    @Test
    void experimentsAreListedNewestFirstAndFilteredByModelAndStatus() {
        JsonNode all = dashboard.json("/api/v1/experiments").path("experiments");
        assertThat(texts(all, "experiment_id")).containsExactly("5", "4", "3", "2", "1");
        assertThat(texts(dashboard.json("/api/v1/experiments?status=failed").path("experiments"), "experiment_id"))
                .containsExactly("3", "2");
        assertThat(texts(dashboard.json("/api/v1/experiments?model=churn&status=succeeded").path("experiments"), "experiment_id"))
                .containsExactly("1");
        // ended trials (complete, failed or pruned) of the budget, the count `experiments list` prints
        assertThat(texts(all, "trials_ended")).containsExactly("4", "0", "0", "3", "20");
        assertThat(texts(all, "budget_trials")).containsExactly("null", "null", "null", "10", "20");
        assertError(dashboard.get("/api/v1/experiments?status=done"), 400,
                "status must be one of abandoned, cancelled, failed, queued, running, succeeded, got 'done'");
    }

    @Test
    void anExperimentHasEveryTrialWithItsScoreTheBestSoFarAndItsParameters() {
        JsonNode x = dashboard.json("/api/v1/experiments/1");
        JsonNode e = x.path("experiment");
        assertThat(e.path("status").asText()).isEqualTo("succeeded");
        assertThat(e.path("policy").asText()).isEqualTo("churn-accuracy-floor");
        assertThat(e.path("decision_condition").asText()).isEqualTo("mean(accuracy, 6h) below 0.85");
        assertThat(e.path("evidence_snapshots").asInt()).as("hourly snapshots in the 6h before it fired").isEqualTo(6);
        assertThat(e.path("produced_version").asText()).isEqualTo("v2");
        assertThat(e.path("trials_complete").asInt()).isEqualTo(16);
        assertThat(e.has("restart_command")).isFalse();
        assertThat(e.has("trainer")).as("the trainer's command line is not published").isFalse();
        assertThat(Json.MAPPER.valueToTree(e).toString()).doesNotContain("train.py");

        assertThat(texts(x.path("parameters"), "name")).containsExactly("epochs", "learning_rate", "optimizer");
        assertThat(texts(x.path("parameters"), "kind")).containsExactly("numeric", "numeric", "categorical");
        assertThat(texts(x.path("parameters"), "log")).containsExactly("false", "true", "false");

        JsonNode trials = x.path("trials");
        assertThat(trials).hasSize(20);
        assertThat(x.path("trials_truncated").asBoolean()).isFalse();
        double best = Double.NEGATIVE_INFINITY;
        int complete = 0;
        for (JsonNode t : trials) {
            if (t.path("status").asText().equals("complete")) {
                complete++;
                best = Math.max(best, t.path("score").asDouble());
            }
            if (best > Double.NEGATIVE_INFINITY) {
                assertThat(t.path("best_so_far").asDouble()).as("best so far at trial " + t.path("trial_number")).isEqualTo(best);
            }
        }
        assertThat(complete).isEqualTo(16);
        assertThat(e.path("best_score").asDouble()).isEqualTo(best);
        assertThat(trials.get(3).path("status").asText()).isEqualTo("failed");
        assertThat(trials.get(3).path("error").asText()).contains("loss diverged");

        assertThat(dashboard.json("/api/v1/experiments/1?trials=5").path("trials")).hasSize(5);
        assertThat(dashboard.json("/api/v1/experiments/1?trials=5").path("trials_truncated").asBoolean()).isTrue();
    }

    @Test
    void anExperimentCountsItsTrialsPerNodeThatRanThemHowTheyEndedAndTheirTimeMostTrialsFirst() {
        // experiment 1: trials 0-6 on node-a (3 failed, 6 pruned), 7-19 on node-b (11 failed, 15 pruned), 18 minutes each
        assertThat(dashboard.json("/api/v1/experiments/1").path("trials_per_node").toString()).isEqualTo("["
                + "{\"node\":\"node-b\",\"trials\":13,\"complete\":11,\"failed\":1,\"pruned\":1,\"running\":0,\"trial_seconds\":14040.0},"
                + "{\"node\":\"node-a\",\"trials\":7,\"complete\":5,\"failed\":1,\"pruned\":1,\"running\":0,\"trial_seconds\":7560.0}]");
        // every trial counts, not only the trials asked for
        assertThat(dashboard.json("/api/v1/experiments/1?trials=5").path("trials_per_node").path(0).path("trials").asInt()).isEqualTo(13);
        // experiment 5: four complete trials of 24 minutes and one still running, all on node-b
        assertThat(dashboard.json("/api/v1/experiments/5").path("trials_per_node").toString()).isEqualTo(
                "[{\"node\":\"node-b\",\"trials\":5,\"complete\":4,\"failed\":0,\"pruned\":0,\"running\":1,\"trial_seconds\":5760.0}]");
    }

    @Test
    void anExperimentHasEachTrialsLearningCurveOfTheObjectiveBoundedByTheTrialsAsked() {
        JsonNode reports = dashboard.json("/api/v1/experiments/1").path("reports");
        assertThat(reports.path("metric").asText()).isEqualTo("val_accuracy");
        assertThat(reports.path("truncated").asBoolean()).isFalse();
        JsonNode curves = reports.path("curves");
        assertThat(curves).as("16 complete and 2 pruned trials reported; the failed ones did not").hasSize(18);
        assertThat(texts(curves, "trial_number")).doesNotContain("3", "11").contains("6", "15");
        for (JsonNode c : curves) {
            boolean pruned = c.path("status").asText().equals("pruned");
            assertThat(c.path("points")).as("trial " + c.path("trial_number")).hasSize(pruned ? 2 : 5);
            assertThat(c.path("points").get(0).get(0).asLong()).isEqualTo(1);
        }
        JsonNode trial0 = curves.get(0);
        double score = dashboard.json("/api/v1/experiments/1").path("trials").get(0).path("score").asDouble();
        assertThat(trial0.path("points").get(4).get(1).asDouble()).as("the last epoch's report is the score").isEqualTo(score);

        assertThat(texts(dashboard.json("/api/v1/experiments/1?trials=5").path("reports").path("curves"), "trial_number"))
                .containsExactly("0", "1", "2", "4");
        assertThat(dashboard.json("/api/v1/experiments/2").path("reports").path("curves")).isEmpty();
    }

    @Test
    void anExperimentEstimatesEachParametersImportanceOverItsCompleteTrials() {
        JsonNode importance = dashboard.json("/api/v1/experiments/1").path("importance");
        assertThat(importance.path("method").asText()).isEqualTo("abs_spearman");
        assertThat(importance.path("trials").asInt()).isEqualTo(16);
        JsonNode parameters = importance.path("parameters");
        assertThat(texts(parameters, "name")).containsExactlyInAnyOrder("epochs", "learning_rate", "optimizer");
        double sum = 0;
        double previous = 1;
        for (JsonNode p : parameters) {
            assertThat(p.path("trials").asInt()).isEqualTo(16);
            assertThat(Math.abs(p.path("correlation").asDouble())).isBetween(0.0, 1.0);
            assertThat(p.path("importance").asDouble()).as("most important first").isLessThanOrEqualTo(previous);
            previous = p.path("importance").asDouble();
            sum += previous;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));

        JsonNode none = dashboard.json("/api/v1/experiments/2").path("importance");
        assertThat(none.path("trials").asInt()).isZero();
        assertThat(texts(none.path("parameters"), "importance")).containsOnly("null");
    }

    @Test
    void aMinimisingExperimentsBestSoFarIsTheLowestScore() {
        JsonNode trials = dashboard.json("/api/v1/experiments/5").path("trials");
        assertThat(texts(trials, "best_so_far")).containsExactly("0.42", "0.37", "0.37", "0.35", "0.35");
        assertThat(trials.get(4).path("status").asText()).isEqualTo("running");
    }

    @Test
    void badExperimentIdsAreRefused() {
        assertError(dashboard.get("/api/v1/experiments/abc"), 400, "id must be a positive integer, got 'abc'");
        assertError(dashboard.get("/api/v1/experiments/0"), 400, "id must be a positive integer, got '0'");
    }

    @Test
    void failedRunsShowWhyAndTheCommandThatRestartsThem() {
        JsonNode runs = dashboard.json("/api/v1/failed-runs").path("failed_runs");
        assertThat(texts(runs, "experiment_id")).containsExactly("3", "2");
        // 3 never started its job: resume it; 2 failed by max_failed (its job completed): retry its failed trials
        assertThat(texts(runs, "restart_command")).containsExactly("orchestrator ops restart 3", "orchestrator ops restart 2 --retry-failed");
        assertThat(runs.get(0).path("job_status").isNull()).isTrue();
        assertThat(runs.get(1).path("job_status").asText()).isEqualTo("COMPLETED");
        assertThat(runs.get(0).path("error").asText()).contains("command not found");
        assertThat(runs.get(0).path("trials_total").asInt()).isZero();
        assertThat(runs.get(1).path("trials_failed").asInt()).isEqualTo(3);
        assertThat(runs.get(1).path("last_failed_trial_error").asText()).isEqualTo("trainer exited with status 137: killed (out of memory)");
        assertThat(dashboard.json("/api/v1/experiments/2").path("experiment").path("restart_command").asText())
                .isEqualTo("orchestrator ops restart 2 --retry-failed");
    }

    @Test
    void theDashboardsTransactionsCannotWrite() {
        ReadOnlyDatabase readOnly = new ReadOnlyDatabase(db.jdbi());
        assertThatThrownBy(() -> readOnly.read(h -> h.execute("UPDATE orchestrator.experiment SET status = 'cancelled' WHERE id = 4")))
                .hasMessageContaining("read-only transaction");
        assertThat(dashboard.json("/api/v1/experiments/4").path("experiment").path("status").asText()).isEqualTo("queued");
    }

    /** The field's value in each element of a JSON array, as text (not searching nested objects). */
    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.path(field).asText()));
        return out;
    }

    private static void assertError(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(status);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).contains(message);
    }
}
