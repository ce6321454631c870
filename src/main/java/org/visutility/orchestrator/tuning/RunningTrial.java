package org.visutility.orchestrator.tuning;

/**
 * A trial that has been proposed and not yet ended (running, or about to start), as strategies
 * see it: its number and params. Strategies that spread parallel proposals (TPE's constant liar)
 * use them; a restarted run passes the trials it re-opens.
 */
public record RunningTrial(int number, Params params) {
}
