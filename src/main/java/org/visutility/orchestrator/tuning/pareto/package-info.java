/**
 * Several objectives at once: Pareto dominance, the non-dominated sort and crowding distance of
 * NSGA-II (Deb et al. 2002), hypervolume and each point's contribution to it (MOTPE's split), and the
 * choice rule ({@code select:}) that picks one trial from the Pareto front. Pure computation.
 */
package org.visutility.orchestrator.tuning.pareto;
