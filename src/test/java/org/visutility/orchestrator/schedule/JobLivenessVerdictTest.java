package org.visutility.orchestrator.schedule;

import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/** When a cluster-wide job counts as overdue: the run due after its last success is three intervals late. */
class JobLivenessVerdictTest {
    private static final Instant SCHEDULED = Instant.parse("2026-03-02T08:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void aJobIsOverdueOnceTheRunDueAfterItsLastSuccessIsThreeIntervalsLate() {
        Instant success = SCHEDULED.plus(Duration.ofHours(1));
        JobStatus justInTime = judge(every(MINUTE, "WAITING"), success, success.plus(MINUTE.multipliedBy(4)));
        JobStatus late = judge(every(MINUTE, "WAITING"), success, success.plus(MINUTE.multipliedBy(4)).plusMillis(1));

        assertThat(justInTime.verdict()).isEqualTo(JobStatus.Verdict.OK);
        assertThat(justInTime.overdueAt()).contains(success.plus(MINUTE.multipliedBy(4)));
        assertThat(late.verdict()).isEqualTo(JobStatus.Verdict.OVERDUE);
        assertThat(late.interval()).contains(MINUTE);
    }

    @Test
    void aJobNeverRunSinceItWasScheduledIsOverdueCountedFromItsScheduling() {
        JobStatus fresh = JobLiveness.judge("policy.evaluate-policies", Optional.of(every(MINUTE, "WAITING")), JobRuns.NONE,
                SCHEDULED.plus(MINUTE.multipliedBy(3)));
        JobStatus never = JobLiveness.judge("policy.evaluate-policies", Optional.of(every(MINUTE, "WAITING")), JobRuns.NONE,
                SCHEDULED.plus(MINUTE.multipliedBy(5)));

        assertThat(fresh.verdict()).isEqualTo(JobStatus.Verdict.OK);
        assertThat(never.verdict()).isEqualTo(JobStatus.Verdict.OVERDUE);
        assertThat(never.runs().lastSuccessAt()).isEmpty();
    }

    @Test
    void aTriggerScheduledAgainAfterTheLastSuccessCountsFromItsNewScheduling() {
        // a serve node's start replaces the trigger: a success from before the downtime does not make it overdue at once
        JobStatus s = judge(every(MINUTE, "WAITING"), SCHEDULED.minus(Duration.ofDays(1)), SCHEDULED.plusSeconds(30));
        assertThat(s.verdict()).isEqualTo(JobStatus.Verdict.OK);
        assertThat(s.overdueAt()).contains(SCHEDULED.plus(MINUTE.multipliedBy(4)));
    }

    @Test
    void aTriggerInErrorIsReportedAtOnceAndAJobWithoutTriggerAsUnscheduled() {
        JobStatus error = judge(every(MINUTE, "ERROR"), SCHEDULED.plusSeconds(1), SCHEDULED.plusSeconds(2));
        JobStatus unscheduled = JobLiveness.judge("ops.rescue-stale-runs", Optional.empty(), JobRuns.NONE, SCHEDULED);

        assertThat(error.verdict()).isEqualTo(JobStatus.Verdict.ERROR);
        assertThat(error.toJson()).containsEntry("status", "error").containsEntry("trigger_state", "ERROR");
        assertThat(unscheduled.verdict()).isEqualTo(JobStatus.Verdict.UNSCHEDULED);
        assertThat(unscheduled.ok()).isFalse();
    }

    @Test
    void aCronJobIsOverdueAtTheFourthFireTimeAfterItsLastSuccess() throws Exception {
        // weekdays at 09:00 UTC: last success Friday 09:00; due Monday, overdue after Thursday 09:00
        CronExpression weekdays = new CronExpression("0 0 9 ? * MON-FRI");
        weekdays.setTimeZone(TimeZone.getTimeZone("UTC"));
        JobTrigger trigger = new JobTrigger("WAITING", SCHEDULED, Optional.empty(), Optional.of(weekdays));
        Instant friday = Instant.parse("2026-03-06T09:00:00Z");

        JobStatus wednesday = judge(trigger, friday, Instant.parse("2026-03-11T12:00:00Z"));
        JobStatus thursday = judge(trigger, friday, Instant.parse("2026-03-12T09:00:01Z"));

        assertThat(wednesday.verdict()).isEqualTo(JobStatus.Verdict.OK);
        assertThat(thursday.verdict()).isEqualTo(JobStatus.Verdict.OVERDUE);
        assertThat(thursday.overdueAt()).contains(Instant.parse("2026-03-12T09:00:00Z"));
        assertThat(thursday.cron()).contains("0 0 9 ? * MON-FRI");
    }

    private static JobTrigger every(Duration interval, String state) {
        return new JobTrigger(state, SCHEDULED, Optional.of(interval), Optional.empty());
    }

    private static JobStatus judge(JobTrigger trigger, Instant lastSuccess, Instant now) {
        JobRuns runs = new JobRuns(Optional.of(lastSuccess), Optional.of("node-a"), Optional.empty(), Optional.empty(), Optional.empty());
        return JobLiveness.judge("policy.evaluate-policies", Optional.of(trigger), runs, now);
    }
}
