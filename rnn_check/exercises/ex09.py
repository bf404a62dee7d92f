"""Notebook 09, the character-level language model: exercises with automatic checks."""

from __future__ import annotations

import numpy as np

from rnn_check.exercises import Exercise
from rnn_lab import lm

# Exercise 1: the output gradient of softmax + cross-entropy, by hand.
SCORES = np.array([[2.0], [1.0], [0.1]])  # s_t for V = 3 characters
TARGET = 0  # the character that came next


def output_gradient() -> np.ndarray:
    """dL/ds = p - onehot(target), from rnn_lab.lm: shape (3,)."""
    return lm.output_gradient(SCORES, TARGET).ravel()


def _probabilities() -> np.ndarray:
    return lm.softmax(SCORES).ravel()


# Exercise 2: perplexity from the probabilities the model gave to the characters that came.
GIVEN = np.array([0.5, 0.25, 1.0, 0.125])


def perplexity() -> float:
    """exp(mean cross-entropy per character) = exp(mean of -ln p)."""
    return float(np.exp(np.mean(-np.log(GIVEN))))


# Exercise 3: what the sampler draws from at a temperature.
TEMPERATURE_SCORES = np.array([2.0, 1.0, 0.0])
TEMPERATURE = 0.5


def tempered() -> np.ndarray:
    """softmax(s / temperature), the distribution lm.sample draws from: shape (3,)."""
    return lm.softmax(TEMPERATURE_SCORES / TEMPERATURE)


EXERCISES = [
    Exercise(
        key="09.1",
        question="dL/ds for the scores s = (2, 1, 0.1) when the character that came next is number 0",
        answer=output_gradient,
        form="three numbers, e.g. np.array([..., ..., ...])",
        rtol=1e-3,  # worked out with a calculator: three significant digits are enough
        mistakes={
            "no one-hot": (
                _probabilities,
                "These are the probabilities p = softmax(s). The gradient is p minus the one-hot vector "
                "of the target: subtract 1 from the target's entry.",
            ),
            "sign": (
                lambda: -output_gradient(),
                "The sign is flipped: dL/ds = p - onehot(target), so the target's entry is negative "
                "(raising its score lowers the loss).",
            ),
            "squared error": (
                lambda: SCORES.ravel() - np.eye(3)[TARGET],
                "That is s - onehot(target), the squared error's gradient applied to the scores. With "
                "cross-entropy the scores go through the softmax first: p - onehot(target).",
            ),
        },
    ),
    Exercise(
        key="09.2",
        question="the perplexity of a model that gave the characters that came p = 0.5, 0.25, 1, 0.125",
        answer=perplexity,
        form="one number",
        rtol=1e-3,
        mistakes={
            "no exp": (
                lambda: float(np.mean(-np.log(GIVEN))),
                "That is the mean cross-entropy in nats. Perplexity is exp of it.",
            ),
            "sum, not mean": (
                lambda: float(np.exp(np.sum(-np.log(GIVEN)))),
                "exp of the *summed* cross-entropy grows with the length of the text. Perplexity uses "
                "the mean per character.",
            ),
            "one over the mean probability": (
                lambda: float(1 / np.mean(GIVEN)),
                "1 / (mean probability) averages the probabilities. Perplexity averages their logarithms: "
                "exp(mean of -ln p), the inverse of their geometric mean.",
            ),
            "log base 2": (
                lambda: float(np.mean(-np.log2(GIVEN))),
                "That is the cross-entropy in bits. Perplexity is 2 to that power (or e to the power of "
                "it in nats).",
            ),
        },
    ),
    Exercise(
        key="09.3",
        question="the distribution the sampler draws from for the scores s = (2, 1, 0) at temperature 0.5",
        answer=tempered,
        form="three numbers that sum to 1",
        rtol=1e-3,
        mistakes={
            "temperature ignored": (
                lambda: lm.softmax(TEMPERATURE_SCORES),
                "That is softmax(s), the distribution at temperature 1. Divide the scores by the temperature "
                "first.",
            ),
            "multiplied": (
                lambda: lm.softmax(TEMPERATURE_SCORES * TEMPERATURE),
                "The scores were multiplied by the temperature. They are divided by it: a temperature "
                "below 1 sharpens the distribution.",
            ),
            "divided after the softmax": (
                lambda: lm.softmax(TEMPERATURE_SCORES) / TEMPERATURE,
                "softmax(s) / temperature is not a distribution (it sums to more than 1). The "
                "temperature divides the scores, before the softmax.",
            ),
        },
    ),
]
