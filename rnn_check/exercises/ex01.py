"""Notebook 01, the forward pass: exercises with automatic checks."""

from __future__ import annotations

import numpy as np

import rnn_core
from rnn_check.exercises import Exercise

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
