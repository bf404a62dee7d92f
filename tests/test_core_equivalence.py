"""rnn_core.SimpleRNN behaves like the source problem's standard code (restated in reference.py)."""

import numpy as np
import pytest
from reference import ReferenceRNN

import rnn_core

NAMES = rnn_core.PARAM_NAMES


def assert_same_weights(model, reference, atol=1e-12):
    for name in NAMES:
        np.testing.assert_allclose(
            getattr(model, name), getattr(reference, name), rtol=0, atol=atol, err_msg=name
        )


def twin_models(seed, sizes):
    np.random.seed(seed)
    model = rnn_core.SimpleRNN(*sizes)
    np.random.seed(seed)
    reference = ReferenceRNN(*sizes)
    return model, reference


@pytest.mark.parametrize("seed", range(6))
def test_same_initial_weights_under_the_same_seed(seed):
    sizes = tuple(int(s) for s in np.random.default_rng(seed).integers(1, 9, size=3))
    model, reference = twin_models(seed, sizes)
    assert_same_weights(model, reference, atol=0)
    assert model.hidden_size == sizes[1]
    assert model.W_xh.shape == (sizes[1], sizes[0]) and model.W_hy.shape == (sizes[2], sizes[1])
    assert model.b_h.shape == (sizes[1], 1) and model.b_y.shape == (sizes[2], 1)


def test_initialisation_draws_from_the_global_numpy_generator():
    np.random.seed(123)
    expected = np.random.randn(4, 3) * 0.01
    np.random.seed(123)
    assert np.array_equal(rnn_core.SimpleRNN(3, 4, 2).W_xh, expected)


@pytest.mark.parametrize("seed", range(12))
def test_training_run_matches_the_standard_algorithm(seed):
    """Random sizes, lengths and call patterns: outputs and weights agree to 1e-12 throughout."""
    rng = np.random.default_rng(100 + seed)
    sizes = tuple(int(s) for s in rng.integers(1, 7, size=3))
    model, reference = twin_models(seed, sizes)
    for _ in range(5):
        steps = int(rng.integers(1, 30))
        x = rng.standard_normal((steps, sizes[0])) * 2
        y = rng.standard_normal((steps, sizes[2]))
        out = model.forward(x)
        assert out.shape == (steps, sizes[2], 1)
        np.testing.assert_allclose(out, reference.forward(x), rtol=0, atol=1e-12)
        learning_rate = float(rng.choice([rnn_core.LEARNING_RATE, 0.1, 0.5]))
        # The standard code allows several backward calls on one forward (stale activations, new weights).
        for _ in range(int(rng.integers(1, 3))):
            model.backward(x, y, learning_rate)
            reference.backward(x, y, learning_rate)
            assert_same_weights(model, reference)


def test_cached_attributes_have_the_standard_shapes():
    np.random.seed(0)
    model = rnn_core.SimpleRNN(3, 5, 2)
    model.forward(np.ones((4, 3)))
    assert len(model.last_inputs) == 4 and all(x.shape == (3, 1) for x in model.last_inputs)
    assert len(model.last_hiddens) == 5 and all(h.shape == (5, 1) for h in model.last_hiddens)
    assert not model.last_hiddens[0].any()  # the start state is zero
    assert len(model.last_outputs) == 4 and all(y.shape == (2, 1) for y in model.last_outputs)


@pytest.mark.parametrize(
    "make_x",
    [
        lambda x: x,  # (T, I) array
        lambda x: [row for row in x],  # list of vectors
        lambda x: x.tolist(),  # nested lists
        lambda x: x[:, :, None],  # column vectors (T, I, 1)
        lambda x: [row.reshape(-1, 1) for row in x],  # list of column vectors
    ],
)
def test_every_input_form_of_the_standard_code_works(make_x):
    np.random.seed(5)
    model = rnn_core.SimpleRNN(3, 4, 2)
    x = np.random.default_rng(0).standard_normal((5, 3))
    expected = model.forward(x)
    np.testing.assert_array_equal(model.forward(make_x(x)), expected)


def test_flat_sequence_when_input_size_is_one():
    np.random.seed(5)
    model = rnn_core.SimpleRNN(1, 4, 1)
    x = np.linspace(-1, 1, 7)
    np.random.seed(5)
    reference = ReferenceRNN(1, 4, 1)
    np.testing.assert_allclose(model.forward(x), reference.forward(x), rtol=0, atol=1e-12)
    model.backward(x, np.sin(x), rnn_core.LEARNING_RATE)
    reference.backward(x, np.sin(x), rnn_core.LEARNING_RATE)
    assert_same_weights(model, reference)


def test_backward_is_one_sgd_step_on_the_gradients(params, sequence):
    """backward(x, y, lr) changes each parameter by exactly -lr * (the gradient rnn_core.gradients
    reports)."""
    x, y = sequence
    model = rnn_core.SimpleRNN(3, 4, 2)
    for name in NAMES:
        setattr(model, name, params[name].copy())
    _, grads, _ = rnn_core.gradients(params, x, y)
    model.forward(x)
    model.backward(x, y, rnn_core.LEARNING_RATE)
    for name in NAMES:
        np.testing.assert_array_equal(
            getattr(model, name), params[name] - rnn_core.LEARNING_RATE * grads[name]
        )


def test_simple_rnn_uses_the_module_functions(monkeypatch):
    """One copy of the maths: SimpleRNN goes through rnn_step and backward_step."""
    calls = {"rnn_step": 0, "backward_step": 0}
    for name in calls:
        original = getattr(rnn_core, name)

        def counting(*args, _original=original, _name=name):
            calls[_name] += 1
            return _original(*args)

        monkeypatch.setattr(rnn_core, name, counting)
    np.random.seed(0)
    model = rnn_core.SimpleRNN(2, 3, 1)
    model.forward(np.ones((4, 2)))
    model.backward(np.ones((4, 2)), np.zeros(4), rnn_core.LEARNING_RATE)
    assert calls == {"rnn_step": 4, "backward_step": 4}


def test_learning_rate_constant():
    assert rnn_core.LEARNING_RATE == 0.01
