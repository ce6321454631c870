package org.visutility.orchestrator.experiment;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code trials exclude EXPERIMENT NUMBER --reason TEXT}: the trial counts no more for the best set or for pruning. */
@Command(name = "exclude", mixinStandardHelpOptions = true,
        description = "Exclude a trial: it no longer counts for its experiment's best set or for pruning statistics; "
                + "a finished experiment's best set is recomputed (its model version is not registered again).")
final class ExcludeTrialCommand extends TrialChangeOptions implements Callable<Integer> {
    @Override
    public Integer call() {
        return run(TrialExclusions.Action.EXCLUDE);
    }
}
