package org.visutility.orchestrator.schedule;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

import java.util.Map;
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

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        Supplier<? extends Job> supplier = suppliers.get(type);
        if (supplier == null) {
            throw new SchedulerException("no job of type " + type.getName() + " is registered on this node");
        }
        return supplier.get();
    }
}
