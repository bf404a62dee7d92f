"""Notebook 03, one step back: exercises with automatic checks."""

from __future__ import annotations

import numpy as np

import rnn_core
from rnn_check.exercises import Exercise
from rnn_lab import tasks

# Exercise 1: two units, h = 0.99 and h = 0.1, both receiving dh = 1.
TWO_UNITS = np.array([[0.99], [0.1]])


def two_units_dh_raw(h_t=TWO_UNITS) -> np.ndarray:
    """dh_raw of the two units from rnn_core.backward_step (dh = dh_next = 1, nothing from the output)."""
    step = rnn_core.backward_step(
        dy=np.zeros((1, 1)),
        dh_next=np.ones((2, 1)),
        x_t=np.zeros((1, 1)),
        h_prev=np.zeros((2, 1)),
        h_t=h_t,
        W_hh=np.eye(2),
        W_hy=np.zeros((1, 2)),
    )
    return step.dh_raw.ravel()


# Exercises 2 and 3: the sine example, one step on its own.
def _step_inputs(t: int) -> dict:
    params, x, y = tasks.sine_example()
    xs, ys = rnn_core.as_sequence(x, 1), rnn_core.as_sequence(y, 1)
    hiddens, outputs = rnn_core.forward_sequence(params, xs)
    _, _, trace = rnn_core.gradients(params, x, y)
    return dict(
        dy=outputs[t] - ys[t],
        dh_next=trace.dh_next[t],
        x_t=xs[t],
        h_prev=hiddens[t],
        h_t=hiddens[t + 1],
        W_hh=params["W_hh"],
        W_hy=params["W_hy"],
        W_xh=params["W_xh"],
        b_h=params["b_h"],
    )


def dh_prev_at(t: int = 6, dh_next: bool = True, slope: bool = True, transpose: bool = True) -> np.ndarray:
    """dh_prev of step t, (H, 1); the flags drop a part of the step, as a typical mistake does."""
    s = _step_inputs(t)
    dh = s["W_hy"].T @ s["dy"] + (s["dh_next"] if dh_next else 0)
    dh_raw = (1 - s["h_t"] ** 2) * dh if slope else dh
    W = s["W_hh"].T if transpose else s["W_hh"]
    return W @ dh_raw


def _finite_differences(f, arrays, which, eps=1e-5):
    grad = np.zeros_like(arrays[which])
    for index in np.ndindex(grad.shape):
        plus = [a.copy() for a in arrays]
        minus = [a.copy() for a in arrays]
        plus[which][index] += eps
        minus[which][index] -= eps
        grad[index] = (f(*plus) - f(*minus)) / (2 * eps)
    return grad


def section_7_errors(slope: bool = False, t: int = 3) -> dict:
    """Section 7's `errors` (relative error of each local gradient against finite differences of
    g = dh^T h_t), with dh_raw = dh (slope=False, the exercise's broken line) or as it should be."""
    s = _step_inputs(t)
    dh = s["W_hy"].T @ s["dy"] + s["dh_next"]
    dh_raw = (1 - s["h_t"] ** 2) * dh if slope else dh
    yours = {
        "dW_xh": dh_raw @ s["x_t"].T,
        "dW_hh": dh_raw @ s["h_prev"].T,
        "db_h": dh_raw,
        "dh_prev": s["W_hh"].T @ dh_raw,
    }

    def g(W_xh, W_hh, b_h, h_prev):
        return float(np.sum(dh * rnn_core.rnn_step(s["x_t"], h_prev, W_xh, W_hh, b_h)))

    inputs = [s["W_xh"], s["W_hh"], s["b_h"], s["h_prev"]]
    return {
        name: rnn_core.rel_error(yours[name], _finite_differences(g, inputs, which))
        for which, name in enumerate(yours)
    }


EXERCISES = [
    Exercise(
        key="03.1",
        question="dh_raw of two units with h_t = 0.99 and h_t = 0.1, both receiving dh = 1: two numbers",
        answer=two_units_dh_raw,
        form="two numbers, first for h_t = 0.99, then for h_t = 0.1, e.g. np.array([..., ...])",
        rtol=1e-3,  # worked out by hand
        mistakes={
            "no square": (
                lambda: 1 - TWO_UNITS.ravel(),
                "You used 1 - h_t. The slope of tanh is 1 - h_t**2: square h_t first.",
            ),
            "tanh again": (
                lambda: 1 - np.tanh(TWO_UNITS.ravel()) ** 2,
                "You applied tanh to h_t again. h_t is already tanh(a_t), so the slope is simply 1 - h_t**2.",
            ),
            "h squared": (
                lambda: TWO_UNITS.ravel() ** 2,
                "That is h_t**2. The slope is 1 - h_t**2: a unit near 1 (saturated) passes almost nothing.",
            ),
        },
    ),
    Exercise(
        key="03.2",
        question="dh_prev of step t = 6 of the sine example (what step 5 receives as dh_next), shape (4, 1)",
        answer=dh_prev_at,
        form="an array of shape (H, 1) = (4, 1), like dh_prev in section 6",
        mistakes={
            "no dh_next": (
                lambda: dh_prev_at(dh_next=False),
                "dh must add the gradient from the future: dh = W_hy.T @ dy + dh_next, with dh_next = "
                "trace.dh_next[6] for step 6.",
            ),
            "no slope": (
                lambda: dh_prev_at(slope=False),
                "The factor (1 - h_t**2) is missing: dh_prev = W_hh.T @ dh_raw, with dh_raw = (1 - h_t**2) "
                "* dh.",
            ),
            "W_hh not transposed": (
                lambda: dh_prev_at(transpose=False),
                "Going back through W_hh uses its transpose: dh_prev = W_hh.T @ dh_raw, not W_hh @ dh_raw.",
            ),
            "still step 3": (
                lambda: dh_prev_at(t=3),
                "That is dh_prev of step 3, the step of the notebook. Set t = 6 and run sections 3 to 7 "
                "again.",
            ),
        },
    ),
    Exercise(
        key="03.3",
        question="errors['dW_hh'] of section 7 at t = 3 after dh_raw = dh (the factor (1 - h_t**2) dropped)",
        answer=lambda: section_7_errors()["dW_hh"],
        form="one number, the value of errors['dW_hh']",
        mistakes={
            "factor still in": (
                lambda: section_7_errors(slope=True)["dW_hh"],
                "That error is tiny, so the factor is still in: write dh_raw = dh in section 5's cell, then "
                "run "
                "the cells of sections 5, 6 and 7 again, in that order.",
            ),
            "step 6": (
                lambda: section_7_errors(t=6)["dW_hh"],
                "That is the error at step t = 6 (exercise 2's step). Set t = 3 in section 3's cell and run "
                "sections 3 to 7 again, with dh_raw = dh in section 5.",
            ),
            "another gradient (dh_prev)": (
                lambda: section_7_errors()["dh_prev"],
                "That is the error of dh_prev: the exercise asks for errors['dW_hh'].",
            ),
        },
    ),
]
