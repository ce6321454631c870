package org.visutility.orchestrator.experiment.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.visutility.orchestrator.experiment.RunControl;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.Set;

/**
 * The job repository one run writes its Spring Batch bookkeeping through: once the run has lost
 * its experiment to another node (a slow node waking up after it was rescued), its updates of job
 * and step executions are dropped. Without this, Spring Batch would re-read the execution's
 * version and overwrite what the rescuer wrote (the recovered execution's status). Inside a
 * trials unit the step's own update commits with the unit, which the version fence guards already.
 */
final class FencedJobRepository {
    private static final Logger LOG = LoggerFactory.getLogger(FencedJobRepository.class);
    /** The repository's writes of existing executions. */
    private static final Set<String> UPDATES = Set.of("update", "updateExecutionContext");

    private FencedJobRepository() {
    }

    static JobRepository of(JobRepository delegate, RunControl run) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (UPDATES.contains(method.getName()) && run.stopReason().equals(Optional.of(RunControl.StopReason.LOST))) {
                LOG.debug("This run lost experiment {}: its Spring Batch {} is not written", run.experimentId(), method.getName());
                return null;
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (JobRepository) Proxy.newProxyInstance(JobRepository.class.getClassLoader(), new Class<?>[]{JobRepository.class}, handler);
    }
}
