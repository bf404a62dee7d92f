"""Notebook 06, vanishing and exploding gradients: exercises with automatic checks."""

from __future__ import annotations

import numpy as np

import rnn_core
from rnn_check.exercises import Exercise
from rnn_lab import dynamics, tasks, train

# Exercise 1: the bound on ||dh_{T-1} / dh_t|| for the problem's initial W_hh (H = 16, seed 0).
LAG = 3


def _problem_W_hh() -> np.ndarray:
    return train.problem_init(1, 16, 1, seed=0)["W_hh"]


def bound_at_lag(lag: int = LAG) -> float:
    """sigma_max(W_hh)^lag, with sigma_max the largest singular value (the matrix 2-norm)."""
    return float(np.linalg.norm(_problem_W_hh(), 2) ** lag)


def _with_spectral_radius() -> float:
    return float(np.max(np.abs(np.linalg.eigvals(_problem_W_hh()))) ** LAG)


def _with_frobenius_norm() -> float:
    return float(np.linalg.norm(_problem_W_hh()) ** LAG)


# Exercise 3: truncated BPTT on one 6-step sequence of section 5's echo task, chunks of 3 steps.
def _section5():
    params = dynamics.with_spectral_radius(train.problem_init(1, 16, 1, seed=0), 1.0)
    X, Y = tasks.echo_task(steps=40, batch=32, delay=5, seed=0)
    return params, X[:6, :1], Y[:6, :1]


def truncated_dW_hh() -> np.ndarray:
    params, X, Y = _section5()
    return train.truncated_bptt(params, X, Y, truncation=3)[1]["W_hh"]


def _second_chunk_from_zero() -> np.ndarray:
    params, X, Y = _section5()
    return rnn_core.bptt(params, X[:3], Y[:3])[1]["W_hh"] + rnn_core.bptt(params, X[3:], Y[3:])[1]["W_hh"]


def _full_bptt() -> np.ndarray:
    params, X, Y = _section5()
    return rnn_core.bptt(params, X, Y)[1]["W_hh"]


def _second_chunk_only() -> np.ndarray:
    params, X, Y = _section5()
    h = rnn_core.forward_batch(params, X[:3])[0][-1]
    return rnn_core.bptt(params, X[3:], Y[3:], h0=h)[1]["W_hh"]


EXERCISES = [
    Exercise(
        key="06.1",
        question="the bound sigma_max(W_hh)^3 on ||dh_{T-1}/dh_t|| at lag 3, "
        "for W_hh of problem_init(1, 16, 1, seed=0)",
        answer=bound_at_lag,
        form="one number",
        rtol=1e-3,
        mistakes={
            "spectral radius": (
                _with_spectral_radius,
                "That is the spectral radius rho cubed. The bound uses the largest singular value, "
                "sigma_max = np.linalg.norm(W_hh, 2), which is at least rho.",
            ),
            "Frobenius norm": (
                _with_frobenius_norm,
                "np.linalg.norm(W_hh) without ord is the Frobenius norm (all entries squared), larger than "
                "sigma_max: write np.linalg.norm(W_hh, 2).",
            ),
        },
    ),
    Exercise(
        key="06.3",
        question="dW_hh of truncated BPTT (truncation 3) on X[:6, :1], Y[:6, :1], "
        "built from two 3-step chunks",
        answer=truncated_dW_hh,
        form="an array of shape (16, 16), like params['W_hh']",
        mistakes={
            "second chunk from zero": (
                _second_chunk_from_zero,
                "The second chunk starts from zero here. Its forward pass continues from the first "
                "chunk's last state: h0=h with h = rnn_core.forward_batch(params, X[:3])[0][-1].",
            ),
            "no truncation": (
                _full_bptt,
                "That is full BPTT over the 6 steps: truncation sets dh_next to 0 at the chunk boundary, "
                "so run bptt on each chunk separately and add the two gradients.",
            ),
            "one chunk": (
                _second_chunk_only,
                "That is the second chunk's gradient alone: add the first chunk's, "
                "rnn_core.bptt(params, X[:3], Y[:3]).",
            ),
        },
    ),
]
