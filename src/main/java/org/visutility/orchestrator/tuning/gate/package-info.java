/**
 * The challenger gate's computation, with no database: an {@link org.visutility.orchestrator.tuning.gate.Evaluator}
 * scores one model version on fresh evaluation data (a program speaking the evaluator protocol,
 * {@link org.visutility.orchestrator.tuning.gate.CommandEvaluator}, or the built-in trainer's own), and the
 * {@link org.visutility.orchestrator.tuning.gate.GateRule} turns the candidate's and the active version's
 * scores into a verdict with its reason. The experiment's gate step decides when to run them and records the verdict.
 */
package org.visutility.orchestrator.tuning.gate;
