"""Notebook 10, gated RNNs (the LSTM): exercises with automatic checks."""

from __future__ import annotations

import numpy as np

from rnn_check.exercises import Exercise
from rnn_lab import gated, memory

# Exercise 1: the cell path of a unit whose forget gate sees nothing but its bias.
LAG, FORGET_BIAS = 20, 1.0


def cell_path_survival(forget_bias: float = FORGET_BIAS, lag: int = LAG) -> float:
    """||dc_{T-1}/dc_t|| at the given lag for an LSTM whose forget gate is sigma(b_f) at every step
    (its rows of W_x and W_h zero), from rnn_lab.memory.lstm_gradient_vs_lag."""
    hidden_size = 2
    params = gated.lstm_init(1, hidden_size, 1, forget_bias=forget_bias, seed=0)
    rows = gated.gate_rows("f", hidden_size)
    params["W_x"][rows] = 0.0
    params["W_h"][rows] = 0.0
    X = np.ones((lag + 1, 1, 1))
    return float(memory.lstm_gradient_vs_lag(params, X).cell_path_norms[lag, 0])


# Exercise 2: a GRU's parameter count, from the LSTM's and the vanilla RNN's.
GRU_SIZES = (3, 8, 2)  # I, H, O


def _readout(input_size, hidden_size, output_size) -> int:
    return output_size * (hidden_size + 1)


def gru_parameter_count(input_size=3, hidden_size=8, output_size=2, blocks=3, bias=1) -> int:
    """blocks gate layers of the vanilla RNN's size H(I + H + bias), plus the read-out O(H + 1).

    The vanilla layer's size comes from rnn_lab.gated.vanilla_parameter_count; a GRU has 3 blocks (r, z, n),
    the LSTM 4, the vanilla RNN 1."""
    layer = gated.vanilla_parameter_count(input_size, hidden_size, output_size)
    layer -= _readout(input_size, hidden_size, output_size)  # H(I + H + 1): one tanh layer
    layer += (bias - 1) * hidden_size
    return blocks * layer + _readout(input_size, hidden_size, output_size)


# Exercise 3: the forget bias that keeps half of the cell's gradient over 20 steps.
def half_life_bias(lag: int = LAG) -> float:
    """The b_f with sigma(b_f)^lag = 1/2 (checked against rnn_lab.gated.sigmoid)."""
    gate = 0.5 ** (1.0 / lag)
    bias = float(np.log(gate / (1 - gate)))
    assert abs(float(gated.sigmoid(np.array(bias))) ** lag - 0.5) < 1e-12
    return bias


EXERCISES = [
    Exercise(
        key="10.1",
        question=(
            "An LSTM unit's forget gate sees only its bias b_f = 1: how much of dL/dc reaches back 20 steps "
            "along the cell path, ||dc_{T-1}/dc_{T-21}||?"
        ),
        answer=cell_path_survival,
        form="one number",
        rtol=1e-3,
        mistakes={
            "bias not squashed": (
                lambda: 1.0,
                "The forget gate is sigma(b_f), not b_f itself: one step back multiplies by f = sigma(1).",
            ),
            "one step too many": (
                lambda: cell_path_survival(lag=LAG + 1),
                "20 steps back is 20 factors f, one per step between c_{T-21} and c_{T-1}; you have 21.",
            ),
            "b_f = 0": (
                lambda: cell_path_survival(forget_bias=0.0),
                "That is sigma(0)^20 = 0.5^20: the bias here is b_f = 1.",
            ),
        },
    ),
    Exercise(
        key="10.2",
        question="How many parameters has a GRU with I = 3 inputs, H = 8 hidden units and O = 2 outputs "
        "(one bias vector per gate layer, a linear read-out as in the LSTM)?",
        answer=gru_parameter_count,
        form="one whole number",
        rtol=0.0,
        mistakes={
            "four blocks": (
                lambda: gru_parameter_count(blocks=4),
                "That is the LSTM's count: a GRU has three gate layers (r, z and the candidate n), not four.",
            ),
            "no read-out": (
                lambda: gru_parameter_count() - _readout(*GRU_SIZES),
                "Add the read-out y_t = W_hy h_t + b_y: O(H + 1) more parameters.",
            ),
            "no biases": (
                lambda: gru_parameter_count(bias=0),
                "Each of the three gate layers has its own bias vector of H entries.",
            ),
            "two biases (PyTorch)": (
                lambda: gru_parameter_count(bias=2),
                "torch.nn.GRU keeps two bias vectors per gate layer (b_ih and b_hh); here there is one.",
            ),
        },
    ),
    Exercise(
        key="10.3",
        question="Which forget-gate bias b_f makes sigma(b_f)^20 = 1/2, so that half of dL/dc survives "
        "20 steps along the cell path?",
        answer=half_life_bias,
        form="one number (the bias, not the gate value)",
        rtol=1e-4,
        mistakes={
            "gate value, not bias": (
                lambda: 0.5 ** (1.0 / LAG),
                "That is the forget gate f = 0.5^(1/20); the bias is the b_f with sigma(b_f) = f: "
                "b_f = log(f / (1 - f)).",
            ),
            "one step": (
                lambda: 0.0,
                "sigma(0) = 1/2 keeps half over ONE step; over 20 steps you need sigma(b_f)^20 = 1/2.",
            ),
        },
    ),
]
