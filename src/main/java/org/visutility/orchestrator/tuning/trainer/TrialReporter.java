package org.visutility.orchestrator.tuning.trainer;

import org.visutility.orchestrator.tuning.IntermediateReport;

/** Where a trainer sends intermediate reports; the answer says whether to go on. */
public interface TrialReporter {
    enum Verdict { CONTINUE, PRUNE }

    Verdict report(IntermediateReport report);
}
