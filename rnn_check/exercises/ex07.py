"""Notebook 07, what the hidden state learns: exercises with automatic checks."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import rnn_core
from rnn_check.exercises import Exercise
from rnn_lab import dynamics, tasks, train


@lru_cache(maxsize=None)
def _trained(delay: int) -> dict:
    """Section 1's network for the echo task with this delay (W_hh at spectral radius 1, 300 epochs)."""
    X, Y = tasks.echo_task(steps=20, batch=64, delay=delay, seed=0)
    params = dynamics.with_spectral_radius(train.problem_init(1, 16, 1, seed=0), 1.0)
    train.train(params, X, Y, epochs=300)
    return params


def _states(delay: int = 3):
    """h_0 .. h_299 of section 2's long new sequence, and its inputs."""
    X_long, _ = tasks.echo_task(steps=300, batch=1, delay=delay, seed=7)
    return rnn_core.forward_batch(_trained(delay), X_long)[0][1:, 0, :], X_long[:, 0, 0]


# Exercise 1: PCA by hand, the fraction of the variance along the first direction.
def first_fraction() -> float:
    return float(dynamics.pca_2d(_states()[0])[3][0])


def _eigenvalues(centre: bool) -> np.ndarray:
    states = _states()[0]
    centred = states - states.mean(axis=0) if centre else states
    return np.linalg.eigvalsh(centred.T @ centred)[::-1]


def _not_centred() -> float:
    values = _eigenvalues(centre=False)
    return float(values[0] / values.sum())


def _singular_values() -> float:
    singular = np.sqrt(np.clip(_eigenvalues(centre=True), 0, None))
    return float(singular[0] / singular.sum())


def _of_the_two() -> float:
    values = _eigenvalues(centre=True)
    return float(values[0] / values[:2].sum())


# Exercise 2: count the memory of the delay-2 network.
DELAY_2 = 2


def separate_groups(delay: int = DELAY_2) -> int:
    """How many groups of states, one per pattern of the last delay + 1 bits, are separate: every state of
    the group lies nearer to its own group's mean than to any other group's mean."""
    states, x = _states(delay)
    bits = (x > 0).astype(int)
    t = np.arange(delay, len(x))
    groups = sum(bits[t - lag] << lag for lag in range(delay + 1))  # the last delay + 1 bits as a number
    found = np.unique(groups)
    means = np.array([states[t[groups == g]].mean(axis=0) for g in found])
    nearest = found[np.argmin(((states[t][:, None, :] - means[None]) ** 2).sum(axis=2), axis=1)]
    return int(sum(np.all(nearest[groups == g] == g) for g in found))


EXERCISES = [
    Exercise(
        key="07.1",
        question="the fraction of the variance of section 2's states along their first principal direction",
        answer=first_fraction,
        form="one number between 0 and 1",
        rtol=1e-4,
        mistakes={
            "not centred": (
                _not_centred,
                "Subtract the mean state first (centred = states - states.mean(axis=0)): without it "
                "the first direction points at the mean, not where the states vary most.",
            ),
            "singular values": (
                _singular_values,
                "Variance is the square of a singular value: the eigenvalues of centred.T @ centred are "
                "already squares, so divide the largest by the sum of all of them, not of their roots.",
            ),
            "of two only": (
                _of_the_two,
                "That is the fraction of the first two directions' variance. Divide by the total "
                "variance, the sum of all 16 eigenvalues.",
            ),
        },
    ),
    Exercise(
        key="07.2",
        question="the number of separate groups of states of the network trained for delay 2",
        answer=separate_groups,
        form="one whole number",
        mistakes={
            "2^k": (
                lambda: 2**DELAY_2,
                "That counts the k newer bits only. At step t the state must also still hold the bit x_{t-k} "
                "that the output gives now: k + 1 bits in all.",
            ),
            "bits, not states": (
                lambda: DELAY_2 + 1,
                "That is the number of bits the state holds. Each pattern of those bits needs its own group.",
            ),
            "delay 3": (
                lambda: separate_groups(3),
                "That is section 1's network, trained for delay 3: train a new one for delay 2.",
            ),
        },
    ),
]
