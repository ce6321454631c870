package org.visutility.orchestrator.policy;

import io.javalin.Javalin;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.notify.LogNotifier;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.policy.notify.WebhookNotifier;
import org.visutility.orchestrator.schedule.JobRegistry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Retrain policies in a serving node: the clustered evaluation job and its notifiers. */
public final class PolicyModule implements Module {
    private ConditionPool sqlConditions;

    @Override
    public void registerJobs(NodeContext context, JobRegistry jobs) {
        sqlConditions = ConditionPool.of(context.database(), context.config());
        List<PolicyObserver> observers = new ArrayList<>();
        PolicyMetrics metrics = new PolicyMetrics();
        observers.add(metrics);
        observers.add(new LogNotifier());
        context.config().policyWebhookUrl().ifPresent(url -> observers.add(new WebhookNotifier(WebhookNotifier.Settings.defaults(url))));
        PolicyEvaluator evaluator = new PolicyEvaluator(context.database().jdbi(), sqlConditions, Clock.systemUTC(),
                PolicyObserver.all(observers));
        jobs.register(PolicyEvaluationJob.class, () -> new PolicyEvaluationJob(evaluator, metrics));
    }

    @Override
    public void routes(NodeContext context, Javalin app) {
        new PolicyControlRoutes(context.database().jdbi(), sqlConditions, context.config(),
                new ApiAccess(context.config().apiTokens())).routes(app);
    }

    @Override
    public void started(NodeContext context) throws Exception {
        PolicySchedule.ensure(context.scheduler(), context.config().policyInterval());
    }

    @Override
    public void stopped(NodeContext context) {
        if (sqlConditions != null) sqlConditions.close();
    }
}
