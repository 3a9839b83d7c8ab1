"""Optuna's TPE on cellflow's test functions (functions.ts), as the oracle for cellflow's TPE.

Usage: python optuna_oracle.py '{"function": "branin", "trials": 30, "seeds": [0, 1], "multivariate": false}'
Prints {"version": ..., "best": [best value per seed]}. Exit 3 when optuna is not installed.
"""
import json
import math
import sys

try:
    import optuna
except ImportError:
    sys.exit(3)

H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def branin(trial):
    x1 = trial.suggest_float("x1", -5, 10)
    x2 = trial.suggest_float("x2", 0, 15)
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(trial):
    x = [trial.suggest_float(f"x{j + 1}", 0, 1) for j in range(6)]
    return -sum(H_ALPHA[i] * math.exp(-sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6))) for i in range(4))


def multimodal1d(trial):
    x = trial.suggest_float("x", 2.7, 7.5)
    return math.sin(x) + math.sin(10 * x / 3)


FUNCTIONS = {"branin": branin, "hartmann6": hartmann6, "multimodal1d": multimodal1d}


def main():
    request = json.loads(sys.argv[1])
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    best = []
    for seed in request["seeds"]:
        sampler = optuna.samplers.TPESampler(seed=seed, multivariate=request["multivariate"])
        study = optuna.create_study(direction="minimize", sampler=sampler)
        study.optimize(FUNCTIONS[request["function"]], n_trials=request["trials"])
        best.append(study.best_value)
    print(json.dumps({"version": optuna.__version__, "best": best}))


main()
