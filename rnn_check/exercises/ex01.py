"""Notebook 01, the forward pass: exercises with automatic checks."""

from __future__ import annotations

import numpy as np

import rnn_core
from rnn_check.exercises import Exercise
from rnn_lab import tasks

# Exercise 1: a one-unit RNN by hand.
ONE_UNIT = {"W_xh": [[0.5]], "W_hh": [[0.9]], "W_hy": [[1.0]], "b_h": [[0.0]], "b_y": [[0.0]]}
INPUTS = [1.0, 0.0, 0.0]


def _one_unit(**changes) -> dict:
    return {name: np.array(changes.get(name, value), dtype=float) for name, value in ONE_UNIT.items()}


def one_unit_states(params=None, inputs=INPUTS) -> np.ndarray:
    """h_0, h_1, h_2 of the one-unit RNN, from rnn_core's forward pass: shape (3,)."""
    hiddens, _ = rnn_core.forward_sequence(params or _one_unit(), np.array(inputs).reshape(-1, 1, 1))
    return np.array(hiddens[1:]).ravel()


def _without_tanh() -> np.ndarray:
    h, states = 0.0, []
    for x in INPUTS:
        h = 0.5 * x + 0.9 * h
        states.append(h)
    return np.array(states)


EXERCISES = [
    Exercise(
        key="01.1",
        question="h_0, h_1, h_2 of the one-unit RNN (W_xh = 0.5, W_hh = 0.9, b_h = 0) for the inputs 1, 0, 0",
        answer=one_unit_states,
        form="three numbers, h_0, h_1, h_2, e.g. np.array([..., ..., ...])",
        rtol=1e-3,  # worked out by hand: three significant digits are enough
        mistakes={
            "no tanh": (
                _without_tanh,
                "These are the values before tanh: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h).",
            ),
            "no recurrence": (
                lambda: one_unit_states(_one_unit(W_hh=[[0.0]])),
                "h_1 and h_2 are 0: the state of the previous step is missing (the term W_hh h_{t-1}).",
            ),
            "degrees": (
                lambda: np.tan(_without_tanh()),
                "That is tan, not tanh: use np.tanh (the hyperbolic tangent).",
            ),
        },
    ),
]


# Exercise 2: with W_hh = 0 the state forgets; reversing the inputs reverses the states.
def _example(W_hh_scale: float = 0.0) -> tuple[dict, np.ndarray]:
    params, x = tasks.forward_example()
    return dict(params, W_hh=W_hh_scale * params["W_hh"]), x


def reversed_run_reversed_back(
    W_hh_scale: float = 0.0, start: bool = False, channels: bool = False
) -> np.ndarray:
    """The states of the run on the reversed inputs, reversed again: (T, H); (T + 1, H) with start."""
    params, x = _example(W_hh_scale)
    backwards = x[:, ::-1] if channels else x[::-1]  # channels: the wrong axis reversed
    hiddens, _ = rnn_core.forward_sequence(params, rnn_core.as_sequence(backwards, params["W_xh"].shape[1]))
    states = np.array(hiddens if start else hiddens[1:])[:, :, 0]
    return states[::-1]


# Exercise 3: tanh never reaches 1, but float64 rounds it to 1.0.
def smallest_whole_number_with_tanh_one(dtype=np.float64, digits: int | None = None) -> int:
    """The smallest a = 0, 1, 2, ... with np.tanh(a) == 1.0 in `dtype` (rounded to `digits`, if given)."""
    for a in range(100):
        value = np.tanh(dtype(a))
        if (value if digits is None else np.round(value, digits)) == 1.0:
            return a
    raise AssertionError("tanh never rounds to 1.0 below 100")


EXERCISES += [
    Exercise(
        key="01.2",
        question="with W_hh = 0: the states of the run on the reversed inputs, reversed again, shape (T, H)",
        answer=reversed_run_reversed_back,
        form="an array of shape (20, 8): one row per time step, h_0 to h_19, without the zero start state",
        mistakes={
            "wrong axis": (
                lambda: reversed_run_reversed_back(channels=True),
                "x[:, ::-1] swaps the two inputs (sine and cosine) at every step. Reverse the order of the "
                "time steps instead: x[::-1] (the first axis of x is time).",
            ),
            "W_hh kept": (
                lambda: reversed_run_reversed_back(W_hh_scale=1.0),
                "These states come from the original W_hh. Set W_hh to zero first: "
                "dict(params, W_hh=np.zeros_like(params['W_hh'])).",
            ),
            "start state kept": (
                lambda: reversed_run_reversed_back(start=True),
                "Leave out the zero start state hiddens[0]: the answer has T rows, h_0 to h_{T-1} "
                "(hiddens[1:]).",
            ),
        },
    ),
    Exercise(
        key="01.3",
        question="the smallest whole number a >= 0 for which np.tanh(a) == 1.0 in float64",
        answer=smallest_whole_number_with_tanh_one,
        form="one whole number",
        mistakes={
            "float32": (
                lambda: smallest_whole_number_with_tanh_one(np.float32),
                "That is the answer in float32 (about 7 digits). NumPy's default, float64, keeps about 16 "
                "digits, so tanh(a) stays below 1.0 for larger a.",
            ),
            "rounded print": (
                lambda: smallest_whole_number_with_tanh_one(digits=4),
                "A value rounded to 4 digits shows 1.0 long before the value itself is 1.0. "
                "Test np.tanh(a) == 1.0 for a = 0, 1, 2, ... without rounding.",
            ),
        },
    ),
]
