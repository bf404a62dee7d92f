"""Notebook 05, training with plain SGD: exercises with automatic checks."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import rnn_core
from rnn_check.exercises import Exercise
from rnn_lab import tasks, train

# Exercise 1: the echo task (notebook 05's data, seed 0), its first four sequences, a small random model.
BATCH = 4


def _echo_batch(batch: int = BATCH):
    X, Y = tasks.make_task("echo", steps=20, batch=64, seed=0)
    return X[:, :batch], Y[:, :batch]


def _small_params() -> dict:
    return rnn_core.random_params(1, 4, 1, seed=1)


def summed_dW_hh() -> np.ndarray:
    """dW_hh of the loss summed over the four sequences: what rnn_core.bptt (and gradient_check) use."""
    X, Y = _echo_batch()
    return rnn_core.bptt(_small_params(), X, Y)[1]["W_hh"]


def _averaged_dW_hh() -> np.ndarray:
    X, Y = _echo_batch()
    return train.training_gradients(_small_params(), X, Y)[1]["W_hh"]


def _first_sequence_dW_hh() -> np.ndarray:
    X, Y = _echo_batch(1)
    return rnn_core.bptt(_small_params(), X, Y)[1]["W_hh"]


# Exercise 2: the plateau of the echo task with delay 3 (600 epochs from the problem's initial weights).
EPOCHS = 600


@lru_cache(maxsize=None)
def _echo_losses(delay: int) -> tuple:
    X, Y = tasks.make_task("echo", 20, 64, delay=delay)
    return tuple(train.train(train.problem_init(1, 16, 1), X, Y, epochs=EPOCHS).losses)


def _first_epoch_below_half(losses) -> int:
    """The first epoch, counted from 1, whose loss is below half the first epoch's loss."""
    losses = np.asarray(losses)
    return int(np.argmax(losses < 0.5 * losses[0])) + 1


def plateau_end(delay: int = 3) -> int:
    return _first_epoch_below_half(_echo_losses(delay))


EXERCISES = [
    Exercise(
        key="05.1",
        question="dW_hh of the loss summed over the first 4 echo sequences, "
        "for random_params(1, 4, 1, seed=1)",
        answer=summed_dW_hh,
        form="an array of shape (4, 4), like params['W_hh']",
        mistakes={
            "averaged": (
                _averaged_dW_hh,
                "That is train.training_gradients' gradient, averaged over the 4 sequences. The loss "
                "that rnn_core.bptt and gradient_check differentiate is the sum over the sequences: "
                "multiply by B = 4.",
            ),
            "one sequence": (
                _first_sequence_dW_hh,
                "That is the gradient of the first sequence only: use all four, X[:, :4] and Y[:, :4].",
            ),
        },
    ),
    Exercise(
        key="05.2",
        question="echo with delay 3, 600 epochs from problem_init(1, 16, 1): the first epoch "
        "(counted from 1) whose loss is below half the first epoch's loss",
        answer=plateau_end,
        form="one whole number, an epoch between 1 and 600",
        mistakes={
            "counted from 0": (
                lambda: plateau_end() - 1,
                "Off by one: np.argmax gives the index counted from 0, but epoch 1 is history.losses[0].",
            ),
            "delay 2": (
                lambda: plateau_end(delay=2),
                "That is the echo task with its default delay 2: pass delay=3 to tasks.make_task.",
            ),
        },
    ),
]
