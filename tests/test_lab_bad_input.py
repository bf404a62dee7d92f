"""rnn_lab's tasks, training and dynamics: bad input gets a clear error and changes nothing."""

import numpy as np
import pytest

import rnn_core
from rnn_lab import tasks, train

NAMES = rnn_core.PARAM_NAMES


def frozen_copy(params):
    return {name: value.copy() for name, value in params.items()}


def assert_same(params, frozen):
    for name in NAMES:
        np.testing.assert_array_equal(params[name], frozen[name], err_msg=f"{name} changed")


@pytest.fixture
def problem():
    X, Y = tasks.make_task("sine", 10, 4, seed=0)
    return train.problem_init(1, 3, 1, seed=0), X, Y


# ---- train (attack A2, A3) -----------------------------------------------------------------


def test_an_update_that_would_overflow_stops_training_with_a_message(problem):
    params, X, Y = problem
    params["W_hy"][...] = 1e50  # finite loss and gradients; learning_rate * gradient overflows
    frozen = frozen_copy(params)
    history = train.train(params, X, Y, epochs=3, learning_rate=1e308)
    assert history.stopped.startswith("stopped in epoch 1: the update would have made")
    assert "learning rate 1e+308 is too large" in history.stopped
    assert history.losses == []
    assert_same(params, frozen)


def test_a_callback_that_is_not_callable_fails_before_any_weight_changes(problem):
    params, X, Y = problem
    frozen = frozen_copy(params)
    with pytest.raises(TypeError, match=r"callback must be a function .*or None, but it is int 5"):
        train.train(params, X, Y, epochs=2, callback=5)
    assert_same(params, frozen)


def test_a_bad_clip_mode_is_refused_even_without_clipping(problem):
    params, X, Y = problem
    frozen = frozen_copy(params)
    with pytest.raises(ValueError, match=r"unknown clipping mode 'bogus'"):
        train.train(params, X, Y, epochs=2, clip=None, clip_mode="bogus")
    with pytest.raises(ValueError, match=r"unknown clipping mode 'bogus'"):
        train.training_gradients(params, X, Y, clip_mode="bogus")
    assert_same(params, frozen)


def test_aliased_parameters_are_refused_before_training(problem):
    params, X, Y = problem
    params = rnn_core.random_params(1, 1, 1, seed=0)
    params["b_y"] = params["b_h"]
    frozen = frozen_copy(params)
    with pytest.raises(ValueError, match=r"b_h and b_y are the same array"):
        train.train(params, X, Y, epochs=2)
    assert_same(params, frozen)
