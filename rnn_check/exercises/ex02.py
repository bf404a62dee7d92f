"""Notebook 02, the loss and the output gradients: exercises with automatic checks."""

from __future__ import annotations

import numpy as np

import rnn_core
from rnn_check.exercises import Exercise
from rnn_lab import tasks


# Exercise 1: the loss without its 1/2.
def dy_without_half(factor: float = 2.0, sign: float = 1.0) -> np.ndarray:
    """dL/dŷ_t for L = sum_t ||ŷ_t - y_t||^2 (no 1/2), as T numbers: by finite differences of 2 * L.

    ŷ_t is the prediction, y_t the target.
    """
    params, x, y = tasks.sine_example()
    _, outputs = rnn_core.forward_sequence(params, rnn_core.as_sequence(x, 1))
    ys = rnn_core.as_sequence(y, 1)
    eps, slopes = 1e-6, []
    for t in range(len(outputs)):
        plus = [o.copy() for o in outputs]
        minus = [o.copy() for o in outputs]
        plus[t][0, 0] += eps
        minus[t][0, 0] -= eps
        slopes.append(
            (2 * rnn_core.sequence_loss(plus, ys) - 2 * rnn_core.sequence_loss(minus, ys)) / (2 * eps)
        )
    return sign * factor / 2 * np.array(slopes)


# Exercises 2 and 3: dW_hy for a shorter sequence, and with doubled targets.
def dW_hy(x=None, y=None) -> np.ndarray:
    params, x0, y0 = tasks.sine_example()
    x, y = (x0 if x is None else x), (y0 if y is None else y)
    return rnn_core.gradients(params, x, y)[1]["W_hy"]


def _first_step_only() -> tuple[np.ndarray, np.ndarray]:
    _, x, y = tasks.sine_example()
    return x[:1], y[:1]


def _with_zero_start_state() -> np.ndarray:
    """dy_0 h_{-1}^T: hiddens[0] (the zero start state) used in place of h_0 = hiddens[1]."""
    return np.zeros((1, 4))


def _first_step_dy_h(transposed: bool = False, target_only: bool = False) -> np.ndarray:
    params, x, y = tasks.sine_example()
    hiddens, outputs = rnn_core.forward_sequence(params, rnn_core.as_sequence(x[:1], 1))
    target = rnn_core.as_sequence(y[:1], 1)[0]
    dy = target if target_only else outputs[0] - target
    return hiddens[1] @ dy.T if transposed else dy @ hiddens[1].T


EXERCISES = [
    Exercise(
        key="02.1",
        question="dy_0, ..., dy_7 for the loss without the 1/2, L = sum_t ||ŷ_t - y_t||^2, as 8 numbers",
        answer=dy_without_half,
        form="8 numbers, one per time step, e.g. np.array([...]) of shape (8,)",
        mistakes={
            "half kept": (
                lambda: dy_without_half(factor=1.0),
                "That is dy for the loss with the 1/2. Without it, the 2 that differentiating u^2 brings "
                "down is not cancelled.",
            ),
            "sign": (
                lambda: dy_without_half(sign=-1.0),
                "The sign is flipped: the derivative of (ŷ_t - y_t)^2 with respect to the prediction ŷ_t "
                "is 2 (ŷ_t - y_t), prediction minus target.",
            ),
            "halved": (
                lambda: dy_without_half(factor=0.5),
                "Removing the 1/2 from the loss makes the gradient larger, not smaller: multiply by 2, "
                "don't divide.",
            ),
        },
    ),
    Exercise(
        key="02.2",
        question="dW_hy for the sequence of length T = 1, x[:1], y[:1]: one outer product, shape (1, 4)",
        answer=lambda: dW_hy(*_first_step_only()),
        form="an array of shape (O, H) = (1, 4), like params['W_hy']",
        mistakes={
            "zero start state": (
                _with_zero_start_state,
                "All zeros: you used hiddens[0], the zero start state h_{-1}. The state after step 0 is "
                "h_0 = hiddens[1].",
            ),
            "transposed": (
                lambda: _first_step_dy_h(transposed=True),
                "Your array is the transpose: the outer product is dy_0 h_0^T, with dy_0 of shape (1, 1) on "
                "the "
                "left, so the result has the shape of W_hy, (O, H).",
            ),
            "whole sequence": (
                dW_hy,
                "That is dW_hy of the whole sequence (T = 8). The exercise uses only the first step: x[:1], "
                "y[:1].",
            ),
            "target for dy": (
                lambda: _first_step_dy_h(target_only=True),
                "You multiplied h_0 by the target y_0. The factor is the error dy_0 = prediction - target "
                "(outputs[0] - ys[0]).",
            ),
        },
    ),
    Exercise(
        key="02.3",
        question="dW_hy of the whole sequence when every target is doubled (2 * y), shape (1, 4)",
        answer=lambda: dW_hy(y=2 * tasks.sine_example()[2]),
        form="an array of shape (O, H) = (1, 4), like params['W_hy']",
        mistakes={
            "doubled gradient": (
                lambda: 2 * dW_hy(),
                "That is 2 * dW_hy, but dW_hy does not double: dy_t = prediction - 2 * target, and only the "
                "target part of dy_t doubles. The predictions do not change.",
            ),
            "targets unchanged": (
                dW_hy,
                "That is dW_hy with the original targets. Pass 2 * y to rnn_core.gradients.",
            ),
            "inputs doubled": (
                lambda: dW_hy(x=2 * tasks.sine_example()[1]),
                "You doubled the inputs x, not the targets y: rnn_core.gradients(params, x, 2 * y).",
            ),
        },
    ),
]
