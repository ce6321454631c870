package org.visutility.orchestrator.schedule;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Creates Quartz jobs with their dependencies: each capability registers a supplier for its
 * job classes when the node wires up, and Quartz asks here whenever a trigger fires.
 */
public final class JobRegistry implements JobFactory {
    private final Map<Class<? extends Job>, Supplier<? extends Job>> suppliers = new ConcurrentHashMap<>();

    public <J extends Job> JobRegistry register(Class<J> type, Supplier<J> supplier) {
        suppliers.put(type, supplier);
        return this;
    }

    /** The job classes this node can run. */
    public Set<Class<? extends Job>> registered() {
        return Set.copyOf(suppliers.keySet());
    }

    /** An unregistered class gets a {@link MissingJob}: throwing here would leave the job's triggers in ERROR for good. */
    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        Supplier<? extends Job> supplier = suppliers.get(type);
        if (supplier == null) return new MissingJob(type);
        return supplier.get();
    }
}
