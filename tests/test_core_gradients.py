"""BPTT's gradients against finite differences, the per-step trace, and the batched path."""

import numpy as np
import pytest

import rnn_core

NAMES = rnn_core.PARAM_NAMES


def test_rel_error_follows_cs231n():
    # |1 - 1.1| / (|1| + |1.1|) = 0.1 / 2.1, and the max over entries is taken.
    assert rnn_core.rel_error([1.0, 2.0], [1.1, 2.0]) == pytest.approx(0.1 / 2.1)
    # Both zero: the denominator is floored at 1e-8, so the error is 0, not NaN.
    assert rnn_core.rel_error([0.0], [0.0]) == 0.0


@pytest.mark.parametrize(
    "sizes, steps, scale, seed",
    [
        ((3, 4, 2), 1, 0.5, 0),  # a single step
        ((2, 5, 3), 8, 0.5, 1),
        ((1, 6, 1), 50, 0.5, 2),  # a long sequence
        ((4, 3, 4), 50, 0.9, 3),
        ((3, 5, 2), 20, 2.5, 4),  # saturated tanh: most |h| > 0.9
    ],
)
def test_bptt_agrees_with_finite_differences(sizes, steps, scale, seed):
    params = rnn_core.random_params(*sizes, scale=scale, seed=seed)
    rng = np.random.default_rng(seed)
    x = scale * rng.standard_normal((steps, sizes[0]))
    y = rng.standard_normal((steps, sizes[2]))
    report = rnn_core.gradient_check(params, x, y)
    assert report.passed, str(report)
    assert report.max_error <= 1e-7
    if scale > 2:  # the case really is saturated
        hiddens, _ = rnn_core.forward_sequence(params, rnn_core.as_sequence(x, sizes[0]))
        assert np.mean(np.abs(np.array(hiddens[1:])) > 0.9) > 0.5


def test_gradient_check_catches_a_missing_dh_next(params, sequence):
    """A classic bug (forgetting the gradient from the future) must be reported as a mismatch."""
    x, y = sequence
    xs, ys = rnn_core.as_sequence(x, 3), rnn_core.as_sequence(y, 2)
    hiddens, outputs = rnn_core.forward_sequence(params, xs)
    wrong = {name: np.zeros_like(params[name]) for name in NAMES}
    for t in range(len(xs)):
        dy = outputs[t] - ys[t]
        step = rnn_core.backward_step(
            dy, np.zeros((4, 1)), xs[t], hiddens[t], hiddens[t + 1], params["W_hh"], params["W_hy"]
        )
        for name in NAMES:
            wrong[name] += getattr(step, "d" + name)
    report = rnn_core.gradient_check(params, x, y, analytic=wrong)
    assert not report.passed
    assert report.errors["W_hy"] < 1e-7 and report.errors["b_y"] < 1e-7  # the output layer is unaffected
    assert report.errors["W_hh"] > 1e-3
    assert "MISMATCH" in str(report)


def test_gradient_check_leaves_params_untouched(params, sequence):
    before = {name: params[name].copy() for name in NAMES}
    rnn_core.gradient_check(params, *sequence)
    for name in NAMES:
        np.testing.assert_array_equal(params[name], before[name])


def test_trace_adds_up(params, sequence):
    x, y = sequence
    loss, grads, trace = rnn_core.gradients(params, x, y)
    steps = len(x)
    xs, ys = rnn_core.as_sequence(x, 3), rnn_core.as_sequence(y, 2)
    hiddens, outputs = rnn_core.forward_sequence(params, xs)
    assert loss == pytest.approx(0.5 * np.sum((np.array(outputs) - ys) ** 2), rel=1e-14)
    assert trace.dy.shape == (steps, 2, 1) and trace.dh_raw.shape == (steps, 4, 1)
    np.testing.assert_allclose(trace.dy, np.array(outputs) - ys, rtol=0, atol=1e-15)
    assert not trace.dh_next[-1].any()  # nothing comes back from after the last step
    for t in range(steps):
        np.testing.assert_allclose(trace.dh[t], params["W_hy"].T @ trace.dy[t] + trace.dh_next[t], atol=1e-15)
        np.testing.assert_allclose(trace.dh_raw[t], (1 - hiddens[t + 1] ** 2) * trace.dh[t], atol=1e-15)
        carried = trace.dh_next[t - 1] if t > 0 else trace.dh_init
        np.testing.assert_allclose(carried, params["W_hh"].T @ trace.dh_raw[t], atol=1e-15)
    for name in NAMES:
        assert trace.contributions[name].shape == (steps,) + params[name].shape
        np.testing.assert_allclose(trace.contributions[name].sum(axis=0), grads[name], rtol=1e-12, atol=1e-15)


def test_per_step_contribution_matches_a_finite_difference_at_that_step(params, sequence):
    """Contribution t of dW_hh is the derivative w.r.t. the copy of W_hh used at step t only."""
    x, y = sequence
    _, _, trace = rnn_core.gradients(params, x, y)
    xs, ys = rnn_core.as_sequence(x, 3), rnn_core.as_sequence(y, 2)
    t, index, eps = 2, (1, 3), 1e-6

    def loss_with_step_t_perturbed(delta):
        h, outputs = np.zeros((4, 1)), []
        for s, x_t in enumerate(xs):
            W_hh = params["W_hh"].copy()
            if s == t:
                W_hh[index] += delta
            h = rnn_core.rnn_step(x_t, h, params["W_xh"], W_hh, params["b_h"])
            outputs.append(rnn_core.output_step(h, params["W_hy"], params["b_y"]))
        return rnn_core.sequence_loss(outputs, ys)

    numeric = (loss_with_step_t_perturbed(eps) - loss_with_step_t_perturbed(-eps)) / (2 * eps)
    assert rnn_core.rel_error(trace.contributions["W_hh"][t][index], numeric) < 1e-7


@pytest.mark.parametrize("sizes, steps", [((3, 4, 2), 7), ((1, 8, 1), 30), ((5, 3, 6), 1)])
def test_batched_bptt_with_one_sequence_equals_simple_rnn(sizes, steps):
    params = rnn_core.random_params(*sizes, seed=steps)
    rng = np.random.default_rng(steps)
    x, y = rng.standard_normal((steps, sizes[0])), rng.standard_normal((steps, sizes[2]))
    loss, grads, _ = rnn_core.gradients(params, x, y)
    batch_loss, batch_grads = rnn_core.bptt(params, x[:, None, :], y[:, None, :])
    assert batch_loss == pytest.approx(loss, rel=1e-12)
    for name in NAMES:
        assert batch_grads[name].shape == params[name].shape
        np.testing.assert_allclose(batch_grads[name], grads[name], rtol=1e-10, atol=1e-13, err_msg=name)


def test_batched_bptt_is_the_sum_over_sequences():
    params = rnn_core.random_params(2, 5, 3, seed=7)
    rng = np.random.default_rng(7)
    X, Y = rng.standard_normal((9, 6, 2)), rng.standard_normal((9, 6, 3))
    loss, grads = rnn_core.bptt(params, X, Y)
    total_loss, total = 0.0, {name: 0.0 for name in NAMES}
    for b in range(6):
        one_loss, one_grads, _ = rnn_core.gradients(params, X[:, b], Y[:, b])
        total_loss += one_loss
        for name in NAMES:
            total[name] = total[name] + one_grads[name]
    assert loss == pytest.approx(total_loss, rel=1e-12)
    for name in NAMES:
        np.testing.assert_allclose(grads[name], total[name], rtol=1e-10, atol=1e-13, err_msg=name)


def test_forward_batch_matches_the_one_sequence_forward():
    params = rnn_core.random_params(2, 4, 3, seed=3)
    X = np.random.default_rng(3).standard_normal((5, 2, 2))
    hiddens, outputs = rnn_core.forward_batch(params, X)
    assert hiddens.shape == (6, 2, 4) and outputs.shape == (5, 2, 3)
    one_hiddens, one_outputs = rnn_core.forward_sequence(params, rnn_core.as_sequence(X[:, 1], 2))
    np.testing.assert_allclose(hiddens[:, 1], np.array(one_hiddens)[:, :, 0], atol=1e-14)
    np.testing.assert_allclose(outputs[:, 1], np.array(one_outputs)[:, :, 0], atol=1e-14)
