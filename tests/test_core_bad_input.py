"""Bad input raises a clear error that says what was expected and what was given, and changes nothing."""

import re

import numpy as np
import pytest

import rnn_core

NAMES = rnn_core.PARAM_NAMES


@pytest.fixture
def model():
    np.random.seed(0)
    model = rnn_core.SimpleRNN(3, 4, 2)
    model.b_h += 0.1  # non-zero biases, so "untouched" is checked on every parameter
    return model


def snapshot(model):
    return {name: getattr(model, name).copy() for name in NAMES}


def assert_untouched(model, before):
    for name in NAMES:
        np.testing.assert_array_equal(getattr(model, name), before[name], err_msg=f"{name} changed")


X_OK = np.ones((5, 3))
Y_OK = np.zeros((5, 2))

BAD_X = [
    (
        "wrong size per step",
        np.ones((5, 4)),
        ValueError,
        r"shape \(5, 4\).*expects 3 number\(s\) per time step",
    ),
    ("transposed", np.ones((3, 5)), ValueError, r"transposed.*x\.T"),
    ("flat vector for input_size 3", np.ones(5), ValueError, r"shape \(5,\).*reshape\(1, -1\)"),
    ("empty list", [], ValueError, r"empty"),
    ("empty array", np.empty((0, 3)), ValueError, r"empty"),
    ("a single number", 3.0, ValueError, r"single number"),
    ("NaN", [[0, 1, 2], [np.nan, 0, 0]], ValueError, r"NaN or infinite.*index \(1, 0\)"),
    ("inf", np.full((2, 3), np.inf), ValueError, r"NaN or infinite"),
    ("text", "hello", TypeError, r"text 'hello'"),
    ("strings inside", [["a", "b", "c"]], TypeError, r"only numbers"),
    ("None", None, TypeError, r"None"),
    ("None inside", [[1, None, 2]], TypeError, r"NoneType"),
    ("ragged", [[1, 2, 3], [1, 2]], ValueError, r"different lengths"),
    ("complex", np.ones((2, 3)) * 1j, TypeError, r"complex"),
]


@pytest.mark.parametrize("label, x, error, message", BAD_X, ids=[case[0] for case in BAD_X])
def test_forward_rejects_bad_x(model, label, x, error, message):
    model.forward(X_OK)
    cached = model.last_outputs
    before = snapshot(model)
    with pytest.raises(error, match=message):
        model.forward(x)
    assert_untouched(model, before)
    assert model.last_outputs is cached  # the previous forward's cache is kept


BAD_Y = [
    ("too short", np.zeros((4, 2)), ValueError, r"y has 4 time step\(s\) but x has 5"),
    ("too long", np.zeros((6, 2)), ValueError, r"y has 6 time step\(s\) but x has 5"),
    ("wrong size", np.zeros((5, 3)), ValueError, r"expects 2 number\(s\) per time step"),
    ("NaN", np.full((5, 2), np.nan), ValueError, r"y contains 10 value\(s\) that are NaN"),
    ("text", "targets", TypeError, r"text"),
]


@pytest.mark.parametrize("label, y, error, message", BAD_Y, ids=[case[0] for case in BAD_Y])
def test_backward_rejects_bad_y(model, label, y, error, message):
    model.forward(X_OK)
    before = snapshot(model)
    with pytest.raises(error, match=message):
        model.backward(X_OK, y, rnn_core.LEARNING_RATE)
    assert_untouched(model, before)


BAD_RATES = [
    ("negative", -0.01, ValueError),
    ("zero", 0.0, ValueError),
    ("NaN", float("nan"), ValueError),
    ("infinite", float("inf"), ValueError),
    ("text", "0.01", TypeError),
    ("None", None, TypeError),
    ("bool", True, TypeError),
    ("array", np.array([0.01]), TypeError),
]


@pytest.mark.parametrize("label, rate, error", BAD_RATES, ids=[case[0] for case in BAD_RATES])
def test_backward_rejects_bad_learning_rate(model, label, rate, error):
    model.forward(X_OK)
    before = snapshot(model)
    with pytest.raises(error, match=r"learning_rate must be a positive"):
        model.backward(X_OK, Y_OK, rate)
    assert_untouched(model, before)


def test_numpy_scalar_learning_rate_is_fine(model):
    model.forward(X_OK)
    model.backward(X_OK, Y_OK, np.float32(0.01))


def test_backward_before_forward(model):
    before = snapshot(model)
    with pytest.raises(RuntimeError, match=r"before forward\(\).*call model\.forward\(x\) first"):
        model.backward(X_OK, Y_OK, rnn_core.LEARNING_RATE)
    assert_untouched(model, before)


@pytest.mark.parametrize("other_x", [np.zeros((5, 3)), np.ones((4, 3))], ids=["other values", "other length"])
def test_backward_with_another_x_than_forward_saw(model, other_x):
    model.forward(X_OK)
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"not the sequence the last forward\(\) saw"):
        model.backward(other_x, np.zeros((len(other_x), 2)), rnn_core.LEARNING_RATE)
    assert_untouched(model, before)


def test_exploding_gradients_are_refused_not_applied(model):
    model.forward(X_OK)
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"the loss is inf: the outputs or targets are too large"):
        model.backward(X_OK, np.full((5, 2), 1e308), rnn_core.LEARNING_RATE)
    assert_untouched(model, before)


@pytest.mark.parametrize(
    "sizes, error, message",
    [
        ((0, 4, 2), ValueError, r"input_size must be at least 1, but it is 0"),
        ((3, -1, 2), ValueError, r"hidden_size must be at least 1"),
        ((3, 2.5, 2), TypeError, r"hidden_size must be a whole number.*2\.5"),
        ((3, 4, "2"), TypeError, r"output_size must be a whole number"),
        ((True, 4, 2), TypeError, r"input_size must be a whole number"),
    ],
)
def test_constructor_rejects_bad_sizes(sizes, error, message):
    with pytest.raises(error, match=message):
        rnn_core.SimpleRNN(*sizes)


def test_constructor_accepts_numpy_integers():
    assert rnn_core.SimpleRNN(np.int64(2), np.int32(3), 1).W_hh.shape == (3, 3)


def test_weights_replaced_with_a_wrong_shape_are_reported(model):
    model.W_hh = np.zeros((4, 3))
    with pytest.raises(ValueError, match=re.escape("W_hh has shape (4, 3)") + r".*must be \(4, 4\)"):
        model.forward(X_OK)


def test_bptt_rejects_bad_batches(params):
    with pytest.raises(ValueError, match=r"shape \(5, 3\).*\(T, B, 3\)"):
        rnn_core.bptt(params, np.ones((5, 3)), np.ones((5, 1, 2)))
    with pytest.raises(ValueError, match=r"must agree in T and B"):
        rnn_core.bptt(params, np.ones((5, 2, 3)), np.ones((5, 1, 2)))
    with pytest.raises(ValueError, match=r"X contains 1 value"):
        X = np.ones((5, 2, 3))
        X[2, 1, 0] = np.nan
        rnn_core.bptt(params, X, np.ones((5, 2, 2)))
    with pytest.raises(KeyError, match=r"missing b_y"):
        rnn_core.bptt({k: v for k, v in params.items() if k != "b_y"}, np.ones((5, 1, 3)), np.ones((5, 1, 2)))
    with pytest.raises(TypeError, match=r"W_xh must be a 2-D NumPy float array"):
        rnn_core.bptt(dict(params, W_xh=params["W_xh"].tolist()), np.ones((5, 1, 3)), np.ones((5, 1, 2)))


# ---- found by fuzzing, as a careless student would (issue 10, items 8-12) ----------------------------


def test_a_number_too_large_for_float_is_a_clear_error(model, params):
    huge = [[10**400, 0, 0]]  # a Python int no float64 can hold
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"x contains a number too large for a float"):
        model.forward(huge)
    assert_untouched(model, before)
    frozen = {name: value.copy() for name, value in params.items()}
    with pytest.raises(ValueError, match=r"X contains a number too large for a float"):
        rnn_core.bptt(params, [[[10**400, 0, 0]]], [[[0.0, 0.0]]])
    for name in NAMES:
        np.testing.assert_array_equal(params[name], frozen[name])


@pytest.mark.parametrize("frozen_name", NAMES)
def test_update_is_all_or_nothing_when_a_parameter_is_read_only(model, frozen_name):
    model.forward(X_OK)
    getattr(model, frozen_name).setflags(write=False)
    before = snapshot(model)
    with pytest.raises(
        ValueError, match=rf"{frozen_name} cannot be changed \(a read-only.*no weight was updated"
    ):
        model.backward(X_OK, Y_OK, 0.01)
    assert_untouched(model, before)


def test_a_fraction_learning_rate_is_accepted_and_equals_its_float(model):
    from fractions import Fraction

    model.forward(X_OK)
    twin = rnn_core.SimpleRNN(3, 4, 2)
    for name in NAMES:
        setattr(twin, name, getattr(model, name).copy())
    twin.forward(X_OK)
    model.backward(X_OK, Y_OK, Fraction(1, 100))
    twin.backward(X_OK, Y_OK, 0.01)
    for name in NAMES:
        np.testing.assert_array_equal(getattr(model, name), getattr(twin, name))


@pytest.mark.parametrize("rate", ["Fraction(-1, 100)", "Fraction(10**400)"])
def test_a_bad_fraction_learning_rate_is_rejected_in_words(model, rate):
    from fractions import Fraction  # noqa: F401  (used by eval)

    model.forward(X_OK)
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"learning_rate must be a positive finite number"):
        model.backward(X_OK, Y_OK, eval(rate))
    assert_untouched(model, before)


def test_bptt_refuses_overflowing_targets_as_backward_does(model, params):
    """Targets of 1e308: the squared error overflows. backward() and bptt() both refuse, in words."""
    Y = np.full((5, 1, 2), 1e308)
    frozen = {name: value.copy() for name, value in params.items()}
    with pytest.raises(ValueError, match=r"the loss is inf.*too large"):
        rnn_core.bptt(params, X_OK[:, None, :], Y)
    for name in NAMES:
        np.testing.assert_array_equal(params[name], frozen[name])
    model.forward(X_OK)
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"the loss is inf.*too large"):
        model.backward(X_OK, Y[:, 0, :], 0.01)
    assert_untouched(model, before)


def test_a_list_mixing_flat_column_and_row_steps_is_read_like_the_standard_code(model):
    """The standard code reshapes every x[t] to a column, so (3,), (3, 1) and (1, 3) steps may be mixed."""
    rng = np.random.default_rng(5)
    steps = rng.standard_normal((3, 3))
    mixed = [steps[0], steps[1].reshape(3, 1), steps[2].reshape(1, 3)]
    np.testing.assert_array_equal(model.forward(mixed), model.forward(steps))


def test_a_list_of_steps_of_different_sizes_names_the_real_difference(model):
    before = snapshot(model)
    with pytest.raises(
        ValueError, match=r"entries have different lengths: entry 0 has shape \(3,\) but entry 1"
    ):
        model.forward([np.ones(3), np.ones(2)])
    assert_untouched(model, before)


# ---- sgd_step checks its learning rate and gradients; all or nothing (attack A3, A5, A6) -------------


def grads_like(params, value=1.0):
    return {name: np.full_like(params[name], value) for name in NAMES}


def frozen_copy(params):
    return {name: value.copy() for name, value in params.items()}


def assert_same(params, frozen):
    for name in NAMES:
        np.testing.assert_array_equal(params[name], frozen[name], err_msg=f"{name} changed")


@pytest.mark.parametrize(
    "rate, error, message",
    [
        (np.nan, ValueError, r"learning_rate must be a positive finite number.*nan"),
        (-0.01, ValueError, r"learning_rate must be a positive finite number.*-0\.01"),
        ("0.01", TypeError, r"learning_rate must be a positive number.*str '0\.01'"),
        (np.array([0.01]), TypeError, r"an array of shape \(1,\) \(a plain number, not an array\)"),
    ],
)
def test_sgd_step_checks_the_learning_rate(params, rate, error, message):
    frozen = frozen_copy(params)
    with pytest.raises(error, match=message):
        rnn_core.sgd_step(params, grads_like(params), rate)
    assert_same(params, frozen)


def test_a_0d_array_learning_rate_is_the_number_it_holds(params):
    twin = frozen_copy(params)
    rnn_core.sgd_step(params, grads_like(params), np.array(0.01))
    rnn_core.sgd_step(twin, grads_like(twin), 0.01)
    assert_same(params, twin)


@pytest.mark.parametrize(
    "change, error, message",
    [
        (
            lambda g: g.update(b_h=np.ones((1, 1))),
            ValueError,
            r"gradient of b_h has shape \(1, 1\).*b_h has shape \(4, 1\)",
        ),
        (lambda g: g.update(W_hh=np.ones(3)), ValueError, r"gradient of W_hh has shape \(3,\)"),
        (
            lambda g: g["W_hy"].__setitem__((0, 0), np.nan),
            ValueError,
            r"gradient of W_hy contains 1 value.*NaN",
        ),
        (lambda g: g.pop("b_h"), KeyError, r"the gradients are missing b_h"),
        (lambda g: g.update(W_xh="abc"), TypeError, r"gradient of W_xh must be numbers"),
    ],
    ids=["b_h (1, 1)", "W_hh (3,)", "NaN", "missing", "text"],
)
def test_sgd_step_checks_the_gradients(params, change, error, message):
    grads = grads_like(params)
    change(grads)
    frozen = frozen_copy(params)
    with pytest.raises(error, match=message):
        rnn_core.sgd_step(params, grads, 0.01)
    assert_same(params, frozen)


def test_sgd_step_refuses_gradients_that_are_not_a_dict(params):
    with pytest.raises(TypeError, match=r"the gradients must be a dict of W_xh.*but they are list"):
        rnn_core.sgd_step(params, [1, 2], 0.01)


def test_sgd_step_refuses_an_update_that_overflows(params):
    frozen = frozen_copy(params)
    with pytest.raises(ValueError, match=r"the update would make W_xh overflow.*nothing was changed"):
        rnn_core.sgd_step(params, grads_like(params, 10.0), 1e308)
    assert_same(params, frozen)


def test_backward_with_a_huge_learning_rate_changes_nothing(model):
    model.forward(X_OK)
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"the update would make \w+ overflow"):
        model.backward(X_OK, Y_OK + 1.0, 1e308)
    assert_untouched(model, before)


def test_aliased_parameters_are_refused():
    np.random.seed(0)
    model = rnn_core.SimpleRNN(3, 3, 3)
    model.W_xh = model.W_hh
    model.forward(np.ones((4, 3)))
    before = snapshot(model)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "W_xh and W_hh are the same array: give each its own, e.g. model.W_xh = model.W_hh.copy()"
        ),
    ):
        model.backward(np.ones((4, 3)), np.zeros((4, 3)), 0.01)
    assert_untouched(model, before)
    assert model.W_xh is model.W_hh


def test_parameters_sharing_memory_are_refused():
    params = rnn_core.random_params(2, 3, 3, seed=0)
    params["b_y"] = params["b_h"]
    frozen = frozen_copy(params)
    with pytest.raises(ValueError, match=r"b_h and b_y are the same array"):
        rnn_core.sgd_step(params, grads_like(params), 0.01)
    assert_same(params, frozen)


def test_backward_refuses_an_overflowing_loss_as_bptt_does(model, params):
    """Targets of 1e200: the loss overflows but the gradients do not. Both refuse, in the same words."""
    model.forward(X_OK)
    before = snapshot(model)
    Y = np.full((5, 2), 1e200)
    with pytest.raises(ValueError, match=r"the loss is inf: the outputs or targets are too large"):
        model.backward(X_OK, Y, 0.01)
    assert_untouched(model, before)
    with pytest.raises(ValueError, match=r"the loss is inf: the outputs or targets are too large"):
        rnn_core.bptt(params, X_OK[:, None, :], Y[:, None, :])


# ---- parameters, sizes and batches that NumPy would misread (attack A7, A8, B, C) -----------------


def test_a_ragged_batch_names_the_real_difference(params):
    ragged = [np.ones((1, 3)).tolist(), np.ones((2, 3)).tolist()]
    with pytest.raises(
        ValueError, match=r"X could not be read.*entry 0 has shape \(1, 3\) but entry 1 has shape \(2, 3\)"
    ):
        rnn_core.bptt(params, ragged, np.zeros((2, 1, 2)))


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_np_matrix_weights_are_refused(params):
    with pytest.raises(TypeError, match=r"W_hh must be a 2-D NumPy float array \(not np\.matrix"):
        rnn_core.gradients(dict(params, W_hh=np.asmatrix(params["W_hh"])), X_OK, Y_OK)


def test_a_hidden_size_of_another_type_is_named(model):
    model.hidden_size = "4"
    with pytest.raises(TypeError, match=r"model\.hidden_size must be a whole number.*str '4'"):
        model.forward(X_OK)


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((2, 3, 1, np.nan), ValueError, r"scale must be a non-negative finite number.*nan"),
        ((2, 3, 1, np.inf), ValueError, r"scale must be a non-negative finite number"),
        ((2, -1, 1), ValueError, r"hidden_size must be at least 1, but it is -1"),
        ((2, 2.5, 1), TypeError, r"hidden_size must be a whole number"),
        ((0, 3, 1), ValueError, r"input_size must be at least 1, but it is 0"),
    ],
)
def test_random_params_checks_its_sizes_and_scale(args, error, message):
    with pytest.raises(error, match=message):
        rnn_core.random_params(*args)
