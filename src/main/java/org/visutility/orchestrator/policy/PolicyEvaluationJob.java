package org.visutility.orchestrator.policy;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;

import java.time.Duration;

/**
 * The clustered evaluation job: one pass over every enabled policy. Never runs twice at once in
 * the cluster ({@link DisallowConcurrentExecution} is enforced through Quartz's JDBC store); the
 * database guards stay in force regardless (state claims, the one-open-experiment index).
 */
@DisallowConcurrentExecution
public final class PolicyEvaluationJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEvaluationJob.class);
    private final PolicyEvaluator evaluator;
    private final PolicyMetrics metrics;

    public PolicyEvaluationJob(PolicyEvaluator evaluator, PolicyMetrics metrics) {
        this.evaluator = evaluator;
        this.metrics = metrics;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            long started = System.nanoTime();
            PolicyEvaluator.PassResult r = evaluator.evaluateOnce();
            metrics.passEnded(r, Duration.ofNanos(System.nanoTime() - started));
            if (!r.changes().isEmpty() || !r.experiments().isEmpty()) {
                LOG.info("Policy pass at {}: {} (policy, model) evaluated, {} state changes, {} experiments enqueued",
                        r.at(), r.evaluated(), r.changes().size(), r.experiments().size());
            } else {
                LOG.debug("Policy pass at {}: {} (policy, model) evaluated, no change", r.at(), r.evaluated());
            }
        } catch (RuntimeException e) {
            metrics.passFailed();
            LOG.error("Policy pass failed (the next one runs at the next interval): {}", e.toString(), e);
            throw new JobExecutionException(e, false);
        }
    }
}
