package org.visutility.orchestrator.policy.spec;

import org.visutility.orchestrator.core.UsageException;

import java.util.List;
import java.util.stream.Collectors;

/** A policy file that was rejected whole; the message lists every problem with its line. */
public final class PolicyFileException extends UsageException {
    private final List<Problem> problems;

    public PolicyFileException(String file, List<Problem> problems) {
        super(file + " is invalid (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "); nothing was applied:\n" + problems.stream().map(p -> "  " + p.render(file)).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
