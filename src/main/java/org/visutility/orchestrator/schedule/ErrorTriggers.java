package org.visutility.orchestrator.schedule;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Triggers in ERROR: Quartz puts a trigger there when the node that acquired it could not run its
 * job (a node without the job's class, e.g. a command's node of an older release), and never fires
 * it again by itself, on any node. A serve node, which runs every job, re-arms them when it starts.
 */
public final class ErrorTriggers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorTriggers.class);

    private ErrorTriggers() {
    }

    /** Puts every trigger found in ERROR back to waiting (or paused, if its group is paused); returns them. */
    public static List<TriggerKey> rearm(Scheduler scheduler) throws SchedulerException {
        List<TriggerKey> rearmed = new ArrayList<>();
        for (String group : scheduler.getTriggerGroupNames()) {
            for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(group))) {
                if (scheduler.getTriggerState(key) != Trigger.TriggerState.ERROR) continue;
                scheduler.resetTriggerFromErrorState(key);
                rearmed.add(key);
                LOG.warn("Trigger {} was in ERROR (a node could not run its job) and fired no more; re-armed", key);
            }
        }
        return rearmed;
    }
}
