#!/usr/bin/env python3
"""Optuna's figures for `orchestrator bench search`: the median over seeds 0..S-1 of the best value
found in T trials by TPESampler (defaults) and RandomSampler, on the suite's mixed, log-scaled and
noisy problems, defined exactly as in src/main/java/.../bench/SearchProblem.java. For the noisy
problem a run is scored by the true value of its best observed trial.

    python3 ops/bench/optuna_search.py [--seeds 20] [--trials 60]
"""
import argparse
import math
import statistics

import numpy as np
import optuna

OPTIMIZERS = ["sgd", "momentum", "adam", "rmsprop"]
BASE = [0.5, 0.25, 0.0, 0.1]
BEST_LAYERS = [4, 9, 17, 13]
ACTIVATIONS = ["relu", "tanh", "sigmoid"]
ACTIVATION_PENALTY = [0.0, 0.1, 0.2]


def mixed(trial):
    o = OPTIMIZERS.index(trial.suggest_categorical("optimizer", OPTIMIZERS))
    layers = trial.suggest_int("layers", 1, 32)
    units = trial.suggest_int("units", 4, 4096, log=True)
    batch = trial.suggest_int("batch_size", 16, 1024, step=16)
    a = ACTIVATIONS.index(trial.suggest_categorical("activation", ACTIVATIONS))
    d = layers - BEST_LAYERS[o]
    u = math.log2(units) - 7
    b = math.log2(batch) - 7 - u / 2
    v = (BASE[o] + 0.002 * d * d + 0.05 * (1 - math.cos(math.pi * d / 2)) + 0.05 * u * u + 0.2 * b * b
         + ACTIVATION_PENALTY[a] + (0.01 * layers if a == 2 else 0))
    return v, v


def rosenbrock_log4(trial):
    u = [math.log10(trial.suggest_float("x%d" % i, 1e-3, 1e3, log=True)) for i in range(1, 5)]
    v = sum(100 * (u[i + 1] - u[i] ** 2) ** 2 + (1 - u[i]) ** 2 for i in range(3))
    return v, v


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6_noisy(rng):
    def objective(trial):
        x = [trial.suggest_float("x%d" % i, 0, 1) for i in range(1, 7)]
        v = -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i in range(4))
        return v + 0.1 * rng.standard_normal(), v
    return objective


def best(problem, sampler, trials, seed):
    study = optuna.create_study(sampler=sampler)
    objective = hartmann6_noisy(np.random.default_rng(1000 + seed)) if problem == "hartmann6_noisy" else globals()[problem]
    truth = {}

    def observed(trial):
        seen, true = objective(trial)
        truth[trial.number] = true
        return seen

    study.optimize(observed, n_trials=trials)
    return truth[study.best_trial.number]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--trials", type=int, default=60)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print("Optuna %s, median best over %d seeds x %d trials" % (optuna.__version__, args.seeds, args.trials))
    for problem in ["mixed", "rosenbrock_log4", "hartmann6_noisy"]:
        for name, make in [("random", lambda s: optuna.samplers.RandomSampler(seed=s)),
                           ("tpe", lambda s: optuna.samplers.TPESampler(seed=s))]:
            values = [best(problem, make(s), args.trials, s) for s in range(args.seeds)]
            print("  %-16s %-7s median best %.4f" % (problem, name, statistics.median(values)), flush=True)


if __name__ == "__main__":
    main()
