package org.visutility.orchestrator.schedule;

import org.quartz.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * A cluster-wide job's trigger as Quartz stores it: its state, when it was scheduled, and its
 * interval, fixed (a simple trigger) or a cron expression's. Knows when a job counts as overdue.
 */
record JobTrigger(String state, Instant scheduledAt, Optional<Duration> repeat, Optional<CronExpression> cron) {
    /** A job is overdue when the run due after its last success is this many intervals late. */
    static final int LATE_INTERVALS = 3;
    static final String ERROR = "ERROR";

    /**
     * When a job last successful (or scheduled) at {@code since} becomes overdue: the run due one
     * interval after it is three intervals late. For a cron trigger, the fourth fire time after it.
     * Empty when the trigger has no interval or will never fire again.
     */
    Optional<Instant> overdueAt(Instant since) {
        if (repeat.isPresent()) return Optional.of(since.plus(repeat.get().multipliedBy(LATE_INTERVALS + 1)));
        if (cron.isEmpty()) return Optional.empty();
        Date t = Date.from(since);
        for (int i = 0; i <= LATE_INTERVALS && t != null; i++) t = cron.get().getNextValidTimeAfter(t);
        return Optional.ofNullable(t).map(Date::toInstant);
    }

    /** The interval: the repeat interval, or the gap between the cron expression's next two fire times after {@code at}. */
    Optional<Duration> interval(Instant at) {
        if (repeat.isPresent()) return repeat;
        if (cron.isEmpty()) return Optional.empty();
        Date first = cron.get().getNextValidTimeAfter(Date.from(at));
        Date second = first == null ? null : cron.get().getNextValidTimeAfter(first);
        return second == null ? Optional.empty() : Optional.of(Duration.between(first.toInstant(), second.toInstant()));
    }
}
