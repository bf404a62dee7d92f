"""Section 9 of rnn_core: tasks, truncated BPTT, clipping, training, lag gradients, PCA, memory sweep."""

import numpy as np
import pytest

import rnn_core
from rnn_lab import dynamics, tasks, train

NAMES = rnn_core.PARAM_NAMES


def batch_problem(steps=12, batch=5, sizes=(2, 6, 3), scale=0.6, seed=0):
    params = rnn_core.random_params(*sizes, scale=scale, seed=seed)
    rng = np.random.default_rng(seed + 50)
    return (
        params,
        rng.standard_normal((steps, batch, sizes[0])),
        rng.standard_normal((steps, batch, sizes[2])),
    )


# ---- tasks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", tasks.TASK_NAMES)
def test_tasks_are_deterministic_and_shaped_for_bptt(name):
    X, Y = tasks.make_task(name, 15, 4, seed=3)
    assert X.shape == (15, 4, 1) and Y.shape == (15, 4, 1) and X.dtype == Y.dtype == np.float64
    X2, Y2 = tasks.make_task(name, 15, 4, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    X3, _ = tasks.make_task(name, 15, 4, seed=4)
    assert not np.array_equal(X, X3)
    rnn_core.bptt(rnn_core.random_params(1, 3, 1), X, Y)  # accepted as they are


def test_task_targets_follow_their_definitions():
    X, Y = tasks.sine_task(10, 3, seed=1)
    assert np.array_equal(Y[:-1], X[1:])  # next-step prediction: the target is the next input
    X, Y = tasks.echo_task(10, 3, delay=4, seed=1)
    assert set(np.unique(X)) == {-1.0, 1.0}
    assert np.array_equal(Y[4:], X[:-4]) and not Y[:4].any()
    X, Y = tasks.running_sum_task(10, 3, seed=1)
    for t in range(10):
        np.testing.assert_allclose(Y[t], X[: t + 1].sum(axis=0))


def test_task_errors_are_readable():
    with pytest.raises(ValueError, match="unknown task 'copy'"):
        tasks.make_task("copy", 5, 2)
    with pytest.raises(ValueError, match="delay"):
        tasks.echo_task(5, 2, delay=-1)
    with pytest.raises(ValueError, match="steps must be at least 1"):
        tasks.sine_task(0, 2)


def test_echo_accuracy_counts_sign_agreement_after_the_delay():
    Y = np.array([0, 0, 1, -1, 1, -1], dtype=float)[:, None, None]
    outputs = np.array([5, 5, 0.2, 0.3, 0.9, -0.1])[:, None, None]  # step 3 is wrong
    assert tasks.echo_accuracy(outputs, Y, delay=2) == 0.75


def test_echo_accuracy_refuses_what_numpy_would_broadcast_or_leave_empty():
    Y = np.ones((6, 3, 1))
    accuracy = tasks.echo_accuracy  # each call below would otherwise return a number or NaN
    with pytest.raises(ValueError, match=r"same shape.*\(6, 3\).*\(6, 3, 1\)"):
        accuracy(np.ones((6, 3)), Y, delay=2)  # broadcasts to (6, 3, 3) in NumPy
    with pytest.raises(ValueError, match="same shape"):
        accuracy(np.float64(1.0), np.float64(1.0), delay=0)
    for empty in ((0, 3, 1), (6, 0, 1), (6, 3, 0)):  # NumPy's mean of nothing would be NaN
        with pytest.raises(ValueError, match=r"empty \(shape"):
            accuracy(np.ones(empty), np.ones(empty), delay=0)
    for delay in (6, 7, -1, 2.0, True, "2"):
        with pytest.raises(ValueError, match="delay must be a whole number of steps from 0 to 5"):
            accuracy(Y, Y, delay=delay)
    assert accuracy(Y, Y, delay=5) == 1.0  # the last step alone is scored
    assert accuracy(-Y, Y, delay=np.int64(0)) == 0.0


@pytest.mark.parametrize("maker, option", [(tasks.sine_task, "noise"), (tasks.running_sum_task, "scale")])
def test_task_options_are_checked_before_any_data_is_made(maker, option):
    for bad in (float("nan"), float("inf"), -0.1):
        with pytest.raises(ValueError, match=f"{option} must be a non-negative finite number"):
            maker(5, 2, **{option: bad})
    with pytest.raises(TypeError, match=f"{option} must be a non-negative number"):
        maker(5, 2, **{option: "0.1"})
    X, Y = maker(5, 2, **{option: 0})  # zero is allowed: no noise, or inputs that are all 0
    assert np.isfinite(X).all() and np.isfinite(Y).all()


# ---- bptt with a start state ---------------------------------------------------------------


def test_bptt_with_a_start_state_matches_the_longer_sequence():
    """Running two halves with h0 = the state after the first half gives the full forward pass."""
    params, X, Y = batch_problem()
    hiddens, outputs = rnn_core.forward_batch(params, X)
    hiddens2, outputs2 = rnn_core.forward_batch(params, X[6:], h0=hiddens[6])
    np.testing.assert_allclose(outputs2, outputs[6:], rtol=0, atol=1e-13)
    with pytest.raises(ValueError, match="h0 has shape"):
        rnn_core.bptt(params, X, Y, h0=np.zeros((5, 7)))


def test_bptt_with_a_start_state_agrees_with_finite_differences():
    params, X, Y = batch_problem(steps=5, batch=2)
    h0 = np.random.default_rng(9).uniform(-0.8, 0.8, size=(2, 6))
    _, grads = rnn_core.bptt(params, X, Y, h0=h0)
    eps = 1e-6
    for name in NAMES:
        for index in [(0, 0), tuple(np.array(params[name].shape) - 1)]:
            plus = {n: params[n].copy() for n in NAMES}
            minus = {n: params[n].copy() for n in NAMES}
            plus[name][index] += eps
            minus[name][index] -= eps
            numeric = (rnn_core.bptt(plus, X, Y, h0=h0)[0] - rnn_core.bptt(minus, X, Y, h0=h0)[0]) / (2 * eps)
            assert rnn_core.rel_error(grads[name][index], numeric) < 1e-6, name


# ---- truncated BPTT --------------------------------------------------------------------------


@pytest.mark.parametrize("truncation", [None, 12, 13, 100])
def test_truncation_of_at_least_T_is_full_bptt_exactly(truncation):
    params, X, Y = batch_problem(steps=12)
    loss, grads = rnn_core.bptt(params, X, Y)
    loss_k, grads_k = train.truncated_bptt(params, X, Y, truncation)
    assert loss_k == loss
    for name in NAMES:
        assert np.array_equal(grads_k[name], grads[name]), name


@pytest.mark.parametrize("truncation", [1, 3, 5])
def test_truncated_bptt_is_the_sum_of_chunk_gradients(truncation):
    """Independent restatement: run each chunk through the per-sequence reference BPTT from its start
    state."""
    params, X, Y = batch_problem(steps=11, batch=3)
    loss_k, grads_k = train.truncated_bptt(params, X, Y, truncation)
    hiddens, _ = rnn_core.forward_batch(params, X)
    expected = {name: np.zeros_like(params[name]) for name in NAMES}
    expected_loss = 0.0
    for b in range(3):
        for start in range(0, 11, truncation):
            stop = min(start + truncation, 11)
            xs = X[start:stop, b, :, None]
            ys = Y[start:stop, b, :, None]
            states = [hiddens[start, b][:, None]]  # the carried start state of this chunk
            outputs = []
            for x_t in xs:
                states.append(
                    rnn_core.rnn_step(x_t, states[-1], params["W_xh"], params["W_hh"], params["b_h"])
                )
                outputs.append(rnn_core.output_step(states[-1], params["W_hy"], params["b_y"]))
            grads, _ = rnn_core.bptt_sequence(params, xs, states, outputs, ys)
            expected_loss += rnn_core.sequence_loss(outputs, ys)
            for name in NAMES:
                expected[name] += grads[name]
    assert loss_k == pytest.approx(expected_loss, rel=1e-12)
    for name in NAMES:
        np.testing.assert_allclose(grads_k[name], expected[name], rtol=1e-10, atol=1e-12, err_msg=name)
    # and it really differs from the full gradient
    _, full = rnn_core.bptt(params, X, Y)
    assert train.relative_difference(grads_k, full) > 1e-3


def test_truncated_gradient_approaches_the_full_one_as_k_grows():
    params, X, Y = batch_problem(steps=30, scale=0.3)
    _, full = rnn_core.bptt(params, X, Y)
    errors = [
        train.relative_difference(train.truncated_bptt(params, X, Y, k)[1], full) for k in (1, 2, 4, 8, 30)
    ]
    assert errors[-1] == 0.0
    assert all(a > b for a, b in zip(errors, errors[1:]))


def test_activation_cache_is_one_chunk():
    params, X, Y = batch_problem(steps=20, batch=5)  # H = 6
    assert train.activation_cache_bytes(params, X) == 21 * 5 * 6 * 8
    assert train.activation_cache_bytes(params, X, 4) == 5 * 5 * 6 * 8
    with pytest.raises(ValueError, match="truncation must be None"):
        train.truncated_bptt(params, X, Y, 0)


# ---- clipping ------------------------------------------------------------------------------


def test_clipping_leaves_small_gradients_unchanged():
    params, X, Y = batch_problem()
    _, grads = rnn_core.bptt(params, X, Y)
    norm = train.global_norm(grads)
    largest = max(np.abs(g).max() for g in grads.values())
    by_norm = train.clip_gradients(grads, norm * 1.01, "norm")
    by_value = train.clip_gradients(grads, largest * 1.01, "value")
    for name in NAMES:
        assert np.array_equal(by_norm[name], grads[name]) and np.array_equal(by_value[name], grads[name])


def test_norm_clipping_keeps_the_direction_and_value_clipping_does_not():
    params, X, Y = batch_problem()
    _, grads = rnn_core.bptt(params, X, Y)
    before = {name: grads[name].copy() for name in NAMES}
    norm = train.global_norm(grads)
    clipped = train.clip_gradients(grads, norm / 10, "norm")
    assert train.global_norm(clipped) == pytest.approx(norm / 10)
    assert train.cosine_similarity(clipped, grads) == pytest.approx(1.0, abs=1e-12)
    threshold = float(np.median(np.abs(np.concatenate([g.ravel() for g in grads.values()]))))
    by_value = train.clip_gradients(grads, threshold, "value")
    assert max(np.abs(g).max() for g in by_value.values()) == threshold
    assert train.cosine_similarity(by_value, grads) < 0.999
    for name in NAMES:  # the input was not changed
        assert np.array_equal(grads[name], before[name])
    with pytest.raises(ValueError, match="unknown clipping mode"):
        train.clip_gradients(grads, 1.0, "max")
    with pytest.raises(ValueError, match="positive finite number"):
        train.clip_gradients(grads, 0.0)


def test_cosine_and_relative_difference_follow_their_definitions():
    a = {name: np.zeros((1, 1)) for name in NAMES}
    b = {name: np.zeros((1, 1)) for name in NAMES}
    a["W_xh"][0, 0], a["W_hh"][0, 0] = 3.0, 4.0
    b["W_xh"][0, 0] = 1.0
    assert train.global_norm(a) == 5.0
    assert train.cosine_similarity(a, b) == pytest.approx(3 / 5)
    assert train.relative_difference(b, a) == pytest.approx(np.hypot(2, 4) / 5)


# ---- training --------------------------------------------------------------------------------


def test_one_update_with_batch_size_one_is_simple_rnn_backward():
    X, Y = tasks.make_task("sine", 8, 1, seed=0)
    np.random.seed(7)
    model = rnn_core.SimpleRNN(1, 5, 1)
    params = train.problem_init(1, 5, 1, seed=7)
    for name in NAMES:
        assert np.array_equal(params[name], getattr(model, name))
    model.forward(X[:, 0])
    model.backward(X[:, 0], Y[:, 0], rnn_core.LEARNING_RATE)
    train.train(params, X, Y, epochs=1, batch_size=1)
    for name in NAMES:
        np.testing.assert_allclose(params[name], getattr(model, name), rtol=0, atol=1e-14, err_msg=name)


def test_gradients_are_averaged_over_the_batch_and_clipped():
    params, X, Y = batch_problem(batch=4)
    loss, grads = rnn_core.bptt(params, X, Y)
    loss2, averaged, norm = train.training_gradients(params, X, Y)
    assert loss2 == loss and norm == pytest.approx(train.global_norm(grads) / 4)
    np.testing.assert_allclose(averaged["W_hh"], grads["W_hh"] / 4)
    _, clipped, norm2 = train.training_gradients(params, X, Y, clip=norm / 2)
    assert norm2 == norm and train.global_norm(clipped) == pytest.approx(norm / 2)


@pytest.mark.parametrize("name", tasks.TASK_NAMES)
def test_training_lowers_the_loss(name):
    X, Y = tasks.make_task(name, 15, 64, seed=0)
    params = train.problem_init(1, 8, 1, seed=0)
    seen = []
    # 300 epochs: the echo task sits on a plateau for about 200 epochs before it learns
    history = train.train(params, X, Y, epochs=300, callback=lambda epoch, h: seen.append(epoch))
    assert seen == list(range(300)) and len(history.losses) == 300 and history.stopped == ""
    assert history.losses[-1] < 0.5 * history.losses[0]
    _, outputs = rnn_core.forward_batch(params, X)
    assert 0.5 * np.sum((outputs - Y) ** 2) / 64 < 0.5 * history.losses[0]


def test_a_too_large_learning_rate_stops_with_a_message():
    X, Y = tasks.make_task("sine", 20, 32, seed=0)
    params = train.problem_init(1, 16, 1, seed=0)
    history = train.train(params, X, Y, epochs=100, learning_rate=0.5)
    assert "overflowed" in history.stopped and len(history.losses) < 100


# ---- initial weights and lag gradients -----------------------------------------------------


def test_problem_init_leaves_the_global_generator_alone():
    np.random.seed(3)
    expected_next = np.random.rand()
    np.random.seed(3)
    train.problem_init(2, 3, 4, seed=11)
    assert np.random.rand() == expected_next


def test_with_spectral_radius():
    params = rnn_core.random_params(1, 6, 1, seed=2)
    scaled = dynamics.with_spectral_radius(params, 0.7)
    assert dynamics.spectral_radius(scaled["W_hh"]) == pytest.approx(0.7)
    assert dynamics.largest_singular_value(scaled["W_hh"]) >= 0.7
    assert np.array_equal(scaled["W_xh"], params["W_xh"]) and scaled["W_hh"] is not params["W_hh"]


def test_lag_jacobians_match_finite_differences_of_the_forward_pass():
    params, X, Y = batch_problem(steps=7, batch=2, sizes=(2, 4, 3))
    lags = dynamics.gradient_vs_lag(params, X, Y)
    hiddens, _ = rnn_core.forward_batch(params, X)
    eps = 1e-6
    for t in (0, 3, 6):
        jacobian = np.empty((4, 4))  # dh_6/dh_t of sequence 0, column by column
        for i in range(4):
            h_plus, h_minus = hiddens[t + 1, :1].copy(), hiddens[t + 1, :1].copy()
            h_plus[0, i] += eps
            h_minus[0, i] -= eps
            last = lambda h: rnn_core.forward_batch(params, X[t + 1 :, :1], h0=h)[0][-1, 0] if t < 6 else h[0]  # noqa: E731
            jacobian[:, i] = (last(h_plus) - last(h_minus)) / (2 * eps)
        assert lags.jacobian_norms[6 - t, 0] == pytest.approx(np.linalg.norm(jacobian, 2), rel=1e-6)


def test_lag_loss_gradients_match_the_bptt_trace():
    """With targets equal to the outputs before the last step, dL/dh_t in BPTT's trace is the last step's."""
    params, X, Y = batch_problem(steps=9, batch=1, sizes=(2, 5, 2))
    _, outputs = rnn_core.forward_batch(params, X)
    Y[:-1] = outputs[:-1]
    lags = dynamics.gradient_vs_lag(params, X, Y)
    _, _, trace = rnn_core.gradients(params, X[:, 0], Y[:, 0])
    expected = np.linalg.norm(trace.dh[::-1, :, 0], axis=1)  # by lag
    np.testing.assert_allclose(lags.loss_grad_norms[:, 0], expected, rtol=1e-10)


def test_jacobian_norms_respect_the_pascanu_bound():
    for radius in (0.5, 1.0, 2.0):
        params = dynamics.with_spectral_radius(rnn_core.random_params(1, 8, 1, seed=4), radius)
        X, Y = tasks.echo_task(25, 4, seed=1)
        lags = dynamics.gradient_vs_lag(params, X, Y)
        assert np.all(lags.jacobian_norms <= lags.bound()[:, None] * (1 + 1e-9))
        assert lags.radius == pytest.approx(radius)


def test_vanishing_below_and_growth_above_radius_one_in_the_linear_regime():
    base = train.problem_init(1, 10, 1, seed=0)  # tiny input weights: tanh stays nearly linear
    X, Y = tasks.echo_task(30, 4, seed=0)
    small = dynamics.gradient_vs_lag(dynamics.with_spectral_radius(base, 0.8), X, Y)
    large = dynamics.gradient_vs_lag(dynamics.with_spectral_radius(base, 1.2), X, Y)
    assert np.median(small.jacobian_norms[-1]) < 1e-2 < 1e1 < np.median(large.jacobian_norms[-1])


# ---- PCA and the memory sweep ----------------------------------------------------------------


def test_pca_2d_finds_the_main_directions():
    rng = np.random.default_rng(0)
    coords_true = rng.standard_normal((200, 2)) * [5.0, 2.0]
    basis = np.linalg.qr(rng.standard_normal((6, 2)))[0].T  # (2, 6) orthonormal rows
    states = coords_true @ basis + 0.01 * rng.standard_normal((200, 6)) + 3.0
    coords, components, mean, explained = dynamics.pca_2d(states)
    assert coords.shape == (200, 2) and components.shape == (2, 6)
    np.testing.assert_allclose(components @ components.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(
        np.abs(components @ basis.T), np.eye(2), atol=0.05
    )  # a sample: nearly the true axes
    np.testing.assert_allclose(coords, (states - mean) @ components.T)
    assert explained.sum() > 0.99 and explained[0] > explained[1]
    with pytest.raises(ValueError, match=r"shape \(N, H\)"):
        dynamics.pca_2d(np.ones(5))


def test_memory_sweep_shows_the_truncation_cap():
    full = dynamics.echo_memory_sweep([1, 2, 6], epochs=60, radius=1.0)
    capped = dynamics.echo_memory_sweep([1, 2, 6], epochs=60, radius=1.0, truncation=3)
    assert full.delays == [1, 2, 6] and min(full.accuracy) > 0.9
    assert capped.accuracy[0] > 0.9 and capped.accuracy[2] < 0.6  # delay 6 > truncation 3: not learned


def test_orthogonal_recurrence_has_equal_radius_and_sigma_max():
    params = dynamics.orthogonal_recurrence(rnn_core.random_params(1, 7, 1, seed=0), seed=3)
    np.testing.assert_allclose(params["W_hh"] @ params["W_hh"].T, np.eye(7), atol=1e-12)
    scaled = dynamics.with_spectral_radius(params, 1.3)
    assert dynamics.largest_singular_value(scaled["W_hh"]) == pytest.approx(1.3)
    assert dynamics.spectral_radius(scaled["W_hh"]) == pytest.approx(1.3)


def test_bad_training_options_fail_before_any_weight_changes():
    X, Y = tasks.make_task("sine", 10, 4, seed=0)
    params = train.problem_init(1, 3, 1, seed=0)
    before = {name: params[name].copy() for name in NAMES}
    for options, message in [
        ({"clip": 1.0, "clip_mode": "max"}, "unknown clipping mode"),
        ({"clip": -1.0}, "positive finite number"),
        ({"truncation": 0}, "truncation must be None"),
    ]:
        with pytest.raises(ValueError, match=message):
            train.train(params, X, Y, epochs=2, **options)
        with pytest.raises(ValueError, match=message):
            train.training_gradients(params, X, Y, **options)
    for name in NAMES:
        assert np.array_equal(params[name], before[name])
