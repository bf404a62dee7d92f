"""rnn_lab.memory: the LSTM against the vanilla RNN, measured with the tools of notebooks 06-07 (notebook 10).

    6. why it helps        gradients against lag: ||dh_{T-1}/dh_t|| and the cell path ||dc_{T-1}/dc_t||
    7. what it buys        the echo-task memory sweep, vanilla against LSTM under one training budget;
                           computed once (python -m rnn_lab.memory --sweep), stored in gated_results.json
    8. what it costs       parameter count and time per step

The cell itself (its equations, one step forward and back, the fast lstm_bptt, input checks) is in
rnn_lab.gated; this module only measures. Its numbered sections continue gated's.

    python -m rnn_lab.memory --sweep     recompute the stored sweep, rnn_lab/gated_results.json
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import rnn_core
from rnn_core import as_batch, check_learning_rate, check_size
from rnn_lab.dynamics import gradient_vs_lag
from rnn_lab.gated import (
    GATE_NAMES,
    check_lstm_params,
    gate_rows,
    lstm_bptt,
    lstm_forward,
    lstm_init,
    lstm_parameter_count,
    parameter_count,
    vanilla_parameter_count,
)
from rnn_lab.tasks import echo_accuracy, echo_task
from rnn_lab.train import problem_init

# ---------------------------------------------------------------------------
# 6. Why it helps: gradients against lag
#
# The state of an LSTM is the pair (h_t, c_t). One step back, the chain rule multiplies by the
# Jacobian of (h_t, c_t) with respect to (h_{t-1}, c_{t-1}), four (H, H) blocks:
#   dc_t/dc_{t-1} = diag(f_t)                              the cell path: no weight matrix, no squashing
#   dc_t/dh_{t-1} = diag(i' g) W_i + diag(f' c_{t-1}) W_f + diag(i g') W_g
#   dh_t/dc_{t-1} = diag(o tanh'(c_t)) diag(f_t)
#   dh_t/dh_{t-1} = diag(o' tanh(c_t)) W_o + diag(o tanh'(c_t)) dc_t/dh_{t-1}
# with i' = i(1 - i), f' = f(1 - f), o' = o(1 - o), g' = 1 - g^2 and W_i, W_f, W_g, W_o the gate
# blocks of W_h.
# The vanilla RNN has only one block, diag(1 - h_t^2) W_hh, and it shrinks or grows at every step;
# along the cell path the LSTM multiplies by f alone, which the forget bias keeps close to 1.
# ---------------------------------------------------------------------------


@dataclass
class LSTMLagGradients:
    """How strongly the state at t still moves the end of the sequence, per lag = (T-1) - t.

    jacobian_norms[lag, b]: ||dh_{T-1}/dh_t||_2 for sequence b (largest singular value), through every
        path, both h and c (c_t held fixed): comparable with rnn_lab.dynamics.LagGradients.jacobian_norms.
    cell_path_norms[lag, b]: ||dc_{T-1}/dc_t||_2 along the cell path alone = ||diag(f_{t+1} ... f_{T-1})||_2,
        the largest product of forget gates over the units.
    mean_forget: the mean forget gate over all steps, sequences and units.
    """

    jacobian_norms: np.ndarray  # (T, B)
    cell_path_norms: np.ndarray  # (T, B)
    mean_forget: float

    @property
    def lags(self) -> np.ndarray:
        return np.arange(len(self.jacobian_norms))


def lstm_gradient_vs_lag(params: dict, X) -> LSTMLagGradients:
    """Jacobians dh_{T-1}/dh_t and the cell path dc_{T-1}/dc_t for every lag, on a batch X (T, B, I).

    The same data as rnn_lab.dynamics.gradient_vs_lag(vanilla_params, X, Y) gives the vanilla curve to plot
    beside it.
    """
    input_size, hidden_size, _ = check_lstm_params(params)
    X = as_batch(X, input_size, "X")
    forward = lstm_forward(params, X)
    steps, batch, H = X.shape[0], X.shape[1], hidden_size
    W = {gate: params["W_h"][gate_rows(gate, H)] for gate in GATE_NAMES}  # (H, H) each
    eye = np.broadcast_to(np.eye(H), (batch, H, H))
    J_h, J_c = eye.copy(), np.zeros((batch, H, H))  # dh_{T-1}/dh_t and dh_{T-1}/dc_t, now at t = T-1
    jacobians = np.empty((steps, batch, H, H))
    for lag in range(steps):
        jacobians[lag] = J_h
        t = steps - 1 - lag
        if t == 0:
            break
        i, f, g, o = forward.i[t], forward.f[t], forward.g[t], forward.o[t]  # (B, H) each
        tanh_c, c_prev = forward.tanh_c[t], forward.c[t]
        cell_slope = o * (1 - tanh_c**2)  # dh_t/dc_t
        c_from_h = (
            (i * (1 - i) * g)[:, :, None] * W["i"]
            + (f * (1 - f) * c_prev)[:, :, None] * W["f"]
            + (i * (1 - g**2))[:, :, None] * W["g"]
        )  # (B, H, H)  dc_t/dh_{t-1}
        h_from_h = (o * (1 - o) * tanh_c)[:, :, None] * W["o"] + cell_slope[:, :, None] * c_from_h
        h_from_c = cell_slope * f  # (B, H)  the diagonal of dh_t/dc_{t-1}
        J_h, J_c = J_h @ h_from_h + J_c @ c_from_h, J_h * h_from_c[:, None, :] + J_c * f[:, None, :]
    jacobian_norms = np.linalg.norm(jacobians, ord=2, axis=(2, 3))
    forget_products = np.cumprod(forward.f[::-1], axis=0)  # [k] = f_{T-1-k} * ... * f_{T-1}: lag k + 1
    cell_path_norms = np.concatenate([np.ones((1, batch)), forget_products[:-1].max(axis=2)])
    return LSTMLagGradients(jacobian_norms, cell_path_norms, float(forward.f.mean()))


def vanilla_init(input_size: int, hidden_size: int, output_size: int, seed: int = 0) -> dict:
    """Starting weights for rnn_core's tanh RNN on the same footing as lstm_init: weights uniform in
    [-1/sqrt(H), 1/sqrt(H)] (PyTorch's nn.RNN default), biases 0: both cells start from the same kind
    of weights."""
    scale = 1.0 / np.sqrt(check_size(hidden_size, "hidden_size"))
    shapes = {
        "W_xh": (hidden_size, input_size),
        "W_hh": (hidden_size, hidden_size),
        "W_hy": (output_size, hidden_size),
        "b_h": (hidden_size, 1),
        "b_y": (output_size, 1),
    }
    rng = np.random.default_rng(seed)
    return {
        name: np.zeros(shape) if name.startswith("b") else rng.uniform(-scale, scale, size=shape)
        for name, shape in shapes.items()
    }


def lag_comparison(
    hidden_size: int = 16, steps: int = 40, batch: int = 8, forget_biases=(0.0, 1.0), seed: int = 0
) -> dict:
    """Gradients against lag at initialisation, the vanilla RNN and LSTMs with each forget bias, on the same
    echo-task inputs and with the same kind of starting weights.

    Returns {"vanilla": rnn_lab.dynamics.LagGradients, "lstm, b_f=0": LSTMLagGradients, ...}:
    jacobian_norms (T, B) in each, to plot against .lags.
    """
    X, Y = echo_task(steps, batch, delay=1, seed=seed)
    result = {"vanilla": gradient_vs_lag(vanilla_init(1, hidden_size, 1, seed), X, Y)}
    for forget_bias in forget_biases:
        params = lstm_init(1, hidden_size, 1, forget_bias=forget_bias, seed=seed)
        result[f"lstm, b_f={forget_bias:g}"] = lstm_gradient_vs_lag(params, X)
    return result


# ---------------------------------------------------------------------------
# 7. What it buys: the echo-task memory sweep
#
# Both cells are trained alike: the same optimiser, data, budget, hidden size and kind of starting
# weights; only the cell differs. Two optimisers: plain SGD (sgd_train), the series' own, and Adam
# (adam_train, Kingma & Ba 2015), which scales every parameter's step by its own gradient history. The
# choice matters more than one would think: Adam's rescaling undoes much of the vanishing gradient that
# stalls a vanilla RNN under SGD (see the measurements above SWEEP_BUDGET). Training every cell takes
# minutes, so compute_sweep stores the results and a notebook reads them with load_sweep.
# ---------------------------------------------------------------------------

CELLS = ("vanilla", "lstm")


def _batches(X, Y, batch_size: int) -> list:
    """Contiguous copies of the minibatches (T, b, .), made once, visited in order: runs are deterministic."""
    return [
        (np.ascontiguousarray(X[:, s : s + batch_size]), np.ascontiguousarray(Y[:, s : s + batch_size]))
        for s in range(0, X.shape[1], batch_size)
    ]


def _mean_clipped(grads: dict, batch: int, clip: float | None) -> dict:
    """The batch's summed gradients -> their mean, scaled down to global norm `clip` if larger (in place).

    The same update as rnn_lab.train.training_gradients (average, then clip_gradients mode "norm")."""
    norm = np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values())) / batch
    factor = 1.0 / batch
    if clip is not None and norm > clip:
        factor *= clip / norm
    for grad in grads.values():
        grad *= factor
    return grads


def adam_train(
    loss_and_grads,
    params: dict,
    X,
    Y,
    epochs: int,
    batch_size: int = 16,
    learning_rate: float = 0.01,
    clip: float | None = 1.0,
) -> list:
    """Minibatch Adam on X (T, N, I) -> Y (T, N, O); changes `params` in place; returns the mean loss
    per sequence of every epoch.

    loss_and_grads(params, X_batch, Y_batch) -> (loss, grads) is rnn_core.bptt or lstm_bptt. Gradients are
    averaged over the batch and, if their global norm exceeds `clip`, scaled down to it (as
    rnn_lab.train.clip_gradients with mode "norm"). The batches are visited in order: a run is deterministic.
    """
    epochs, batch_size = check_size(epochs, "epochs"), check_size(batch_size, "batch_size")
    learning_rate = check_learning_rate(learning_rate)
    beta1, beta2, tiny = 0.9, 0.999, 1e-8  # Adam's usual constants
    first = {name: np.zeros_like(value) for name, value in params.items()}  # running mean of the gradient
    second = {name: np.zeros_like(value) for name, value in params.items()}  # ... and of its square
    updates, losses = 0, []
    for _ in range(epochs):
        total = 0.0
        for X_batch, Y_batch in _batches(X, Y, batch_size):
            loss, grads = loss_and_grads(params, X_batch, Y_batch)
            total += loss
            _mean_clipped(grads, X_batch.shape[1], clip)
            updates += 1
            step = learning_rate * np.sqrt(1 - beta2**updates) / (1 - beta1**updates)  # bias corrections
            for name, grad in grads.items():
                first[name] *= beta1
                first[name] += (1 - beta1) * grad
                second[name] *= beta2
                second[name] += (1 - beta2) * grad * grad
                params[name] -= step * first[name] / (np.sqrt(second[name]) + tiny)
        losses.append(total / X.shape[1])
    return losses


def sgd_train(
    loss_and_grads,
    params: dict,
    X,
    Y,
    epochs: int,
    batch_size: int = 16,
    learning_rate: float = rnn_core.LEARNING_RATE,
    clip: float | None = None,
) -> list:
    """Plain minibatch SGD, the series' own optimiser, for either cell: params -= lr * (mean, clipped) grads.

    For the vanilla RNN (loss_and_grads = rnn_core.bptt) it makes the same updates as rnn_lab.train.train;
    here it also trains the LSTM. Changes `params` in place; returns the mean loss per sequence per epoch.
    """
    epochs, batch_size = check_size(epochs, "epochs"), check_size(batch_size, "batch_size")
    learning_rate = check_learning_rate(learning_rate)
    losses = []
    for _ in range(epochs):
        total = 0.0
        for X_batch, Y_batch in _batches(X, Y, batch_size):
            loss, grads = loss_and_grads(params, X_batch, Y_batch)
            total += loss
            for name, grad in _mean_clipped(grads, X_batch.shape[1], clip).items():
                params[name] -= learning_rate * grad
        losses.append(total / X.shape[1])
    return losses


OPTIMISERS = {"adam": adam_train, "sgd": sgd_train}


@dataclass
class MemoryComparison:
    """Echo-task accuracy after training (0.5 = guessing, 1 = perfect), per cell, seed and delay.

    accuracy[cell]: (len(seeds), len(delays)) array;  budget: the training settings, the same for every cell.
    """

    delays: list
    seeds: list
    accuracy: dict
    budget: dict

    def mean(self, cell: str) -> np.ndarray:
        """Mean accuracy over the seeds, per delay."""
        return self.accuracy[cell].mean(axis=0)

    def spread(self, cell: str) -> np.ndarray:
        """Standard deviation over the seeds, per delay (0 with a single seed)."""
        return self.accuracy[cell].std(axis=0)

    def table(self) -> str:
        """One line per delay: mean +- spread for every cell."""
        cells = list(self.accuracy)
        lines = ["delay  " + "".join(f"{cell:>18}" for cell in cells)]
        for k, delay in enumerate(self.delays):
            entries = "".join(f"{self.mean(c)[k]:>11.3f} +-{self.spread(c)[k]:.3f}" for c in cells)
            lines.append(f"{delay:>5}  {entries}")
        return "\n".join(lines)


# The budget of the memory sweep: the series' own training (plain SGD at 0.01, notebooks 05-07), 100 epochs,
# H = 16, T = 50, 64 sequences, and for both cells the same kind of start (uniform +-1/sqrt(H), PyTorch's
# default): only the cell differs. Measured (3 seeds, mean accuracy; the report of branch gated has all):
#  * this budget: the vanilla RNN is perfect up to delay 8 (0.97 at 10), then falls to 0.59 at 15 and
#    guesses from 20 on; the LSTM (b_f = 1) is perfect only up to delay 2 (0.80 at 4, 0.69 at 10) but stays
#    above guessing further (0.66 at 15, 0.63 at 20), a partial memory spread evenly over the steps;
#    neither remembers 30 or 40 steps. The forget bias, kept through training, decides how far the LSTM's
#    partial memory reaches: b_f = 0 guesses from delay 15 on, b_f = 2 still scores 0.62 at 30 and 40.
#  * the vanilla RNN from the problem's N(0, 0.01^2) weights (notebook 07's start): it guesses from delay 4
#    on: its gradient vanishes across a few steps. Stored as "sgd, problem init".
#  * Adam (lr 0.02, clip 1) for both: Adam divides every step by the gradient's own size, so a vanishing
#    gradient no longer stalls the vanilla RNN: perfect up to delay 10, 0.94 at 15, ahead of the LSTM up
#    to 15; the LSTM ahead only from 20 on, by about the spread. Stored as "adam".
# So within a lecture-sized budget the LSTM does not carry a bit perfectly further than the vanilla RNN;
# what it buys is a partial memory (above guessing) at lags where the vanilla RNN has none.
SWEEP_BUDGET = {
    "hidden_size": 16,
    "steps": 50,
    "count": 64,
    "epochs": 100,
    "batch_size": 16,
    "learning_rate": 0.01,
    "clip": None,
    "optimiser": "sgd",
    "vanilla_init": "uniform",
    "noise": 0.0,
}
SWEEPS = {  # what compute_sweep runs and gated_results.json holds; "sgd" is the main comparison
    "sgd": SWEEP_BUDGET,
    "sgd, problem init": {**SWEEP_BUDGET, "vanilla_init": "problem"},
    "adam": {**SWEEP_BUDGET, "learning_rate": 0.02, "clip": 1.0, "optimiser": "adam"},
}
SWEEP_DELAYS = (1, 2, 4, 6, 8, 10, 15, 20, 30, 40)
SWEEP_SEEDS = (0, 1, 2)
SWEEP_CELLS = {  # label: (cell, forget bias); the forget bias is kept through training, not only at init
    "vanilla": ("vanilla", 0.0),
    "lstm, b_f=0": ("lstm", 0.0),
    "lstm, b_f=1": ("lstm", 1.0),
    "lstm, b_f=2": ("lstm", 2.0),
}
RESULTS_PATH = Path(__file__).with_name("gated_results.json")


def train_on_echo(cell: str, delay: int, seed: int = 0, forget_bias: float = 1.0, **budget) -> float:
    """Train one fresh cell ("vanilla" or "lstm") on the echo task; return its accuracy on fresh sequences.

    budget: the keys of SWEEP_BUDGET (its values by default):
      hidden_size, steps, count, epochs, batch_size, learning_rate, clip (None: no clipping);
      optimiser "adam" (adam_train) or "sgd" (sgd_train), the same for both cells;
      vanilla_init "uniform" (vanilla_init, like the LSTM's) or "problem" (rnn_lab.train.problem_init,
        N(0, 0.01^2) as in notebooks 05-07); the LSTM always starts from lstm_init with `forget_bias`;
      noise: the standard deviation of Gaussian noise added to every input bit (0: clean bits), in training
        and test; the target stays the clean bit.
    The training data use `seed`, the test data seed + 1000, the weights `seed`.
    Accuracy as in notebook 07: rnn_lab.tasks.echo_accuracy over the steps t >= delay.
    """
    if cell not in CELLS:
        raise ValueError(f"unknown cell {cell!r}: choose 'vanilla' or 'lstm'.")
    settings = {**SWEEP_BUDGET, **budget}
    unknown = set(settings) - set(SWEEP_BUDGET)
    if unknown:
        raise TypeError(
            f"unknown budget setting(s) {', '.join(sorted(unknown))}; known: {', '.join(SWEEP_BUDGET)}"
        )
    hidden_size, steps, count = settings["hidden_size"], settings["steps"], settings["count"]
    X, Y = _noisy_echo(steps, count, delay, seed, settings["noise"])
    if cell == "vanilla":
        init = {"uniform": vanilla_init, "problem": problem_init}[settings["vanilla_init"]]
        params, run, forward = init(1, hidden_size, 1, seed=seed), rnn_core.bptt, rnn_core.forward_batch
    else:
        params, run = lstm_init(1, hidden_size, 1, forget_bias=forget_bias, seed=seed), lstm_bptt
        forward = lambda p, X: (None, lstm_forward(p, X).outputs)  # noqa: E731
    optimiser = OPTIMISERS[settings["optimiser"]]
    with np.errstate(over="ignore", invalid="ignore"):
        optimiser(run, params, X, Y, settings["epochs"], settings["batch_size"], settings["learning_rate"],
                  settings["clip"])  # fmt: skip
    X_test, Y_test = _noisy_echo(steps, count, delay, seed + 1000, settings["noise"])
    return echo_accuracy(forward(params, X_test)[1], Y_test, delay)


def _noisy_echo(steps: int, count: int, delay: int, seed: int, noise: float):
    """rnn_lab.tasks.echo_task, plus N(0, noise^2) on the inputs (drawn from seed + 500) if noise > 0."""
    X, Y = echo_task(steps, count, delay=delay, seed=seed)
    if noise > 0:
        X = X + noise * np.random.default_rng(seed + 500).standard_normal(X.shape)
    return X, Y


def memory_sweep(delays=SWEEP_DELAYS, seeds=SWEEP_SEEDS, cells=None, **budget) -> MemoryComparison:
    """Echo-task accuracy per delay for each cell, the same budget for all, several seeds.

    cells: {label: (cell, forget_bias)}; by default the vanilla RNN and the LSTM with b_f = 1.
    budget: overrides of SWEEP_BUDGET.
    """
    cells = {"vanilla": ("vanilla", 0.0), "lstm": ("lstm", 1.0)} if cells is None else cells
    accuracy = {
        label: np.array(
            [[train_on_echo(cell, delay, seed, forget_bias, **budget) for delay in delays] for seed in seeds]
        )
        for label, (cell, forget_bias) in cells.items()
    }
    return MemoryComparison(list(delays), list(seeds), accuracy, {**SWEEP_BUDGET, **budget})


def compute_sweep(path=RESULTS_PATH, sweeps=None) -> dict:
    """Run every sweep of SWEEPS (all of SWEEP_CELLS, SWEEP_DELAYS, SWEEP_SEEDS) and store them as JSON.

    Several minutes on 2 cores: the notebook reads the stored numbers with load_sweep instead.
    `python -m rnn_lab.memory --sweep` calls this. path=None: compute without writing.
    Returns {name: MemoryComparison}.
    """
    sweeps = SWEEPS if sweeps is None else sweeps
    results = {name: memory_sweep(cells=SWEEP_CELLS, **budget) for name, budget in sweeps.items()}
    if path is not None:
        stored = {
            "about": "rnn_lab.gated.compute_sweep: echo-task accuracy (rnn_lab.tasks.echo_accuracy on fresh "
            "sequences, seed + 1000) after training, accuracy[cell][seed index][delay index]",
            "parameters": {
                "vanilla": vanilla_parameter_count(1, SWEEP_BUDGET["hidden_size"], 1),
                "lstm": lstm_parameter_count(1, SWEEP_BUDGET["hidden_size"], 1),
            },
            "cells": {label: list(spec) for label, spec in SWEEP_CELLS.items()},
            "sweeps": {name: _as_json(result) for name, result in results.items()},
        }
        Path(path).write_text(json.dumps(stored, indent=1) + "\n")
    return results


def _as_json(result: MemoryComparison) -> dict:
    return {"budget": result.budget, "delays": result.delays, "seeds": result.seeds,
            "accuracy": {cell: values.tolist() for cell, values in result.accuracy.items()}}  # fmt: skip


def load_sweep(path=RESULTS_PATH) -> dict:
    """The stored sweeps, {name: MemoryComparison}, as compute_sweep wrote them (no training: instant)."""
    stored = json.loads(Path(path).read_text())
    return {
        name: MemoryComparison(
            entry["delays"],
            entry["seeds"],
            {c: np.array(v) for c, v in entry["accuracy"].items()},
            entry["budget"],
        )
        for name, entry in stored["sweeps"].items()
    }


# ---------------------------------------------------------------------------
# 8. What it costs
# ---------------------------------------------------------------------------


@dataclass
class CellCost:
    """Parameters and time of one training step (forward + backward over a batch), per cell."""

    parameters: dict  # cell -> number of parameters
    seconds_per_step: dict  # cell -> seconds per time step of one (T, B) batch, forward + backward

    def ratio(self) -> tuple[float, float]:
        """(LSTM / vanilla parameters, LSTM / vanilla time)."""
        return (
            self.parameters["lstm"] / self.parameters["vanilla"],
            self.seconds_per_step["lstm"] / self.seconds_per_step["vanilla"],
        )


def cell_cost(
    input_size: int = 1,
    hidden_size: int = 64,
    output_size: int = 1,
    steps: int = 25,
    batch: int = 32,
    rounds: int = 5,
    seed: int = 0,
) -> CellCost:
    """Count both cells' parameters and time rnn_core.bptt against lstm_bptt on the same batch.

    Times are the median of `rounds` interleaved rounds (machine noise hits both alike), divided by T.
    They depend on the machine and its load; the parameter counts do not: about 4x, from the four gates.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((steps, batch, input_size))
    Y = rng.standard_normal((steps, batch, output_size))
    models = {
        "vanilla": (rnn_core.bptt, vanilla_init(input_size, hidden_size, output_size, seed)),
        "lstm": (lstm_bptt, lstm_init(input_size, hidden_size, output_size, seed=seed)),
    }
    samples = {cell: [] for cell in models}
    for run, params in models.values():
        run(params, X, Y)  # warm-up
    for _ in range(check_size(rounds, "rounds")):
        for cell, (run, params) in models.items():
            start = time.perf_counter()
            run(params, X, Y)
            samples[cell].append((time.perf_counter() - start) / steps)
    return CellCost(
        {cell: parameter_count(params) for cell, (_, params) in models.items()},
        {cell: statistics.median(times) for cell, times in samples.items()},
    )


if __name__ == "__main__":
    if sys.argv[1:] != ["--sweep"]:
        sys.exit("usage: python -m rnn_lab.memory --sweep   (recomputes rnn_lab/gated_results.json, minutes)")
    for name, result in compute_sweep().items():
        print(f"{name}: {result.budget}\n{result.table()}\n")
    print(f"written: {RESULTS_PATH}")
