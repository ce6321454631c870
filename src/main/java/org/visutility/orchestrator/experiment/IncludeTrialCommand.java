package org.visutility.orchestrator.experiment;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code trials include EXPERIMENT NUMBER --reason TEXT}: an excluded trial counts again. */
@Command(name = "include", mixinStandardHelpOptions = true,
        description = "Include an excluded trial again; a finished experiment's best set is recomputed.")
final class IncludeTrialCommand extends TrialChangeOptions implements Callable<Integer> {
    @Override
    public Integer call() {
        return run(TrialExclusions.Action.INCLUDE);
    }
}
