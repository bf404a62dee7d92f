"""Notebook 04, backpropagation through time: exercises with automatic checks."""

from __future__ import annotations

import dataclasses

import numpy as np

import rnn_core
from rnn_check.exercises import Exercise
from rnn_lab import tasks


# Typical bugs of a one-step backward, each with rnn_core.backward_step's arguments and result.
def step_without_dh_next(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """`+ dh_next` forgotten: dh = W_hy.T @ dy only."""
    return rnn_core.backward_step(dy, np.zeros_like(dh_next), x_t, h_prev, h_t, W_hh, W_hy)


def step_with_h_t_in_dW_hh(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """h_t in place of h_prev in dW_hh."""
    step = rnn_core.backward_step(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy)
    return dataclasses.replace(step, dW_hh=step.dh_raw @ h_t.T)


def step_without_slope(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """The tanh factor (1 - h_t**2) forgotten: dh_raw = dh."""
    return rnn_core.backward_step(dy, dh_next, x_t, h_prev, np.zeros_like(h_t), W_hh, W_hy)


def _fix_h_t(step_back):
    """step_without_slope passes h_t = 0 to get dh_raw = dh; dW_hy = dy h_t^T must still use the real h_t."""

    def step(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
        return dataclasses.replace(step_back(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy), dW_hy=dy @ h_t.T)

    return step


def step_with_W_hh_not_transposed(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """dh_prev = W_hh @ dh_raw instead of W_hh.T @ dh_raw."""
    step = rnn_core.backward_step(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy)
    return dataclasses.replace(step, dh_prev=W_hh @ step.dh_raw)


def dW_hh(step_back=None) -> np.ndarray:
    """dW_hh of the sine example, by rnn_core's BPTT chaining `step_back` (default: rnn_core's own step)."""
    params, x, y = tasks.sine_example()
    return rnn_core.gradients(params, x, y, step_back=step_back)[1]["W_hh"]


# Exercise 2: where a bug departs, as the stepper's middle column shows it.
def steps_where_dW_hh_term_differs(step_back=step_without_dh_next) -> int:
    params, x, y = tasks.sine_example()
    reference = rnn_core.gradients(params, x, y)[2].contributions["W_hh"]
    yours = rnn_core.gradients(params, x, y, step_back=step_back)[2].contributions["W_hh"]
    return int(np.sum(~np.all(np.isclose(yours, reference, rtol=1e-9, atol=1e-12), axis=(1, 2))))


# Exercise 3: forward mode (RTRL) for one entry of W_xh.
def rtrl_W_xh(
    i: int = 0, j: int = 0, direct_from: str = "x", recursion: bool = True, slope: bool = True
) -> float:
    """dL/dW_xh[i, j] by forward mode; the flags give a typical mistake's version."""
    params, x, y = tasks.sine_example()
    xs, ys = rnn_core.as_sequence(x, 1), rnn_core.as_sequence(y, 1)
    hiddens, outputs = rnn_core.forward_sequence(params, xs)
    W_hh, W_hy = params["W_hh"], params["W_hy"]
    s, total = np.zeros_like(hiddens[0]), 0.0
    for t in range(len(xs)):
        h_t, h_prev = hiddens[t + 1], hiddens[t]
        direct = np.zeros_like(h_t)
        direct[i] = xs[t][j, 0] if direct_from == "x" else h_prev[j, 0]
        inner = (W_hh @ s if recursion else 0) + direct
        s = (1 - h_t**2) * inner if slope else inner
        total += float(((W_hy.T @ (outputs[t] - ys[t])).T @ s)[0, 0])
    return total


EXERCISES = [
    Exercise(
        key="04.1",
        question="my_bptt(params, x, y)['W_hh'] for the sine example: your BPTT's dW_hh, shape (4, 4)",
        answer=dW_hh,
        form="an array of shape (H, H) = (4, 4), like params['W_hh']",
        mistakes={
            "no dh_next": (
                lambda: dW_hh(step_without_dh_next),
                "The gradient from the future is missing: dh = W_hy.T @ dy + dh_next, and after each step "
                "dh_next = W_hh.T @ dh_raw.",
            ),
            "h_t in dW_hh": (
                lambda: dW_hh(step_with_h_t_in_dW_hh),
                "dW_hh uses the state that entered the step: dh_raw @ h_prev.T (hiddens[t]), not h_t.",
            ),
            "no slope": (
                lambda: dW_hh(_fix_h_t(step_without_slope)),
                "The tanh factor is missing: dh_raw = (1 - h_t**2) * dh.",
            ),
            "W_hh not transposed": (
                lambda: dW_hh(step_with_W_hh_not_transposed),
                "Going back through W_hh uses its transpose: dh_next = W_hh.T @ dh_raw, not W_hh @ dh_raw.",
            ),
            "averaged": (
                lambda: dW_hh() / len(tasks.sine_example()[1]),
                "You divided by T. The loss is a sum over time, so the gradient is the plain sum of the "
                "terms.",
            ),
        },
    ),
    Exercise(
        key="04.2",
        question="with dh_next forgotten in my_step: at how many of the 8 steps does the dW_hh term differ?",
        answer=steps_where_dW_hh_term_differs,
        form="one whole number, from 0 to 8",
        mistakes={
            "every step": (
                lambda: 8,
                "Look again at the two ends. At the last step, t = 7, nothing comes back from after it "
                "(dh_next "
                "is zero anyway); at t = 0 the term dh_raw h_{-1}^T is zero whatever dh_raw is.",
            ),
            "t = 0 counted": (
                lambda: 7,
                "Look again at t = 0: its dW_hh term is dh_raw @ h_prev.T with h_prev = h_{-1} = 0, so it "
                "is zero "
                "for your step and for rnn_core's alike.",
            ),
            "no step": (
                lambda: 0,
                "Did you pass your step to the stepper? Only rnn_viz.backward_stepper(params, x, y, "
                "step_back=my_step) shows your term minus rnn_core's in the middle column.",
            ),
            "one step": (
                lambda: 1,
                "Only one step? Count with the values, not the colours: compare "
                "rnn_core.gradients(params, x, y, step_back=my_step)[2].contributions['W_hh'][t] with "
                "trace.contributions['W_hh'][t] (np.allclose) at every t.",
            ),
        },
    ),
    Exercise(
        key="04.3",
        question="dL/dW_xh[0, 0] by forward mode (RTRL), with the direct term e_i x_t[j]: one number",
        answer=lambda: rnn_core.gradients(*tasks.sine_example())[1]["W_xh"][0, 0],
        form="one number",
        mistakes={
            "direct term of W_hh": (
                lambda: rtrl_W_xh(direct_from="h"),
                "That is dL/dW_hh[0, 0]: the direct term still uses h_{t-1}[j]. For W_xh[i, j] it is e_i "
                "x_t[j].",
            ),
            "no recursion": (
                lambda: rtrl_W_xh(recursion=False),
                "The term W_hh @ s is missing: h_t depends on W_xh directly and through h_{t-1}, so "
                "s_t = (1 - h_t**2) * (W_hh @ s_{t-1} + direct).",
            ),
            "no slope": (
                lambda: rtrl_W_xh(slope=False),
                "The tanh factor (1 - h_t**2) is missing in s_t = (1 - h_t**2) * (W_hh @ s_{t-1} + direct).",
            ),
        },
    ),
]
