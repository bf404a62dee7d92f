"""rnn_lab.gated: the LSTM's gradients against finite differences, its forward pass against the written
equations, bad input, and the measurements built on it (lag gradients, memory sweep, cost)."""

import json

import numpy as np
import pytest

import rnn_core
from rnn_lab import gated, memory
from rnn_lab.tasks import echo_task
from rnn_lab.train import problem_init, train

NAMES = gated.PARAM_NAMES
LD = np.longdouble
EXTENDED = np.finfo(LD).eps < 1e-18  # x86's 80-bit long double; on some machines it is plain float64


def problem(sizes=(3, 4, 2), steps=6, batch=2, scale=0.5, seed=0):
    params = gated.random_lstm_params(*sizes, scale=scale, seed=seed)
    rng = np.random.default_rng(seed + 100)
    X = scale * rng.standard_normal((steps, batch, sizes[0]))
    return params, X, rng.standard_normal((steps, batch, sizes[2]))


# ---- an independent statement of the loss: the written equations, in extended precision ------------


def sigmoid_ld(a):
    return 1 / (1 + np.exp(-a))


def equations_loss(params, X, Y):
    """1/2 sum ||W_hy h_t + b_y - Y_t||^2 by the module docstring's equations, one step at a time, in
    long double. Float64 loses about 1e-16 * L per evaluation, which a finite difference divides by
    2 eps: too much for a 1e-7 check of gradients that are 1e-6 of the loss (saturated gates)."""
    P = {name: params[name].astype(LD) for name in NAMES}
    H = P["W_h"].shape[1]
    h = c = np.zeros((X.shape[1], H), LD)
    loss = LD(0)
    for x_t, y_t in zip(X.astype(LD), Y.astype(LD)):
        a = x_t @ P["W_x"].T + h @ P["W_h"].T + P["b"].T
        i, f = sigmoid_ld(a[:, :H]), sigmoid_ld(a[:, H : 2 * H])
        g, o = np.tanh(a[:, 2 * H : 3 * H]), sigmoid_ld(a[:, 3 * H :])
        c = f * c + i * g
        h = o * np.tanh(c)
        loss += ((h @ P["W_hy"].T + P["b_y"].T - y_t) ** 2).sum() / 2
    return loss


def numerical_gradients(params, X, Y, eps=1e-5):
    """Centred differences (L(p + eps) - L(p - eps)) / (2 eps) of equations_loss, entry by entry."""
    work = {name: params[name].astype(LD) for name in NAMES}
    numeric = {}
    for name in NAMES:
        array, grad = work[name], np.zeros(work[name].shape)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + LD(eps)
            plus = equations_loss(work, X, Y)
            array[index] = saved - LD(eps)
            minus = equations_loss(work, X, Y)
            array[index] = saved
            grad[index] = float((plus - minus) / (2 * LD(eps)))
        numeric[name] = grad
    return numeric


def saturated_share(params, X):
    forward = gated.lstm_forward(params, X)
    gates = np.concatenate([forward.i, forward.f, forward.o])
    return float(np.mean((gates < 0.01) | (gates > 0.99)))


# ---- gradients ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not EXTENDED, reason="long double is float64 here: no precise reference for the check")
@pytest.mark.parametrize(
    "sizes, steps, batch, scale, seed",
    [
        ((3, 4, 2), 1, 2, 0.5, 0),  # a single step
        ((3, 4, 2), 7, 3, 0.5, 1),
        ((2, 3, 2), 60, 2, 0.5, 2),  # a long sequence
        ((2, 3, 1), 20, 2, 3.0, 3),  # saturated gates
    ],
)
def test_lstm_bptt_agrees_with_finite_differences(sizes, steps, batch, scale, seed):
    params, X, Y = problem(sizes, steps, batch, scale, seed)
    loss, grads = gated.lstm_bptt(params, X, Y)
    assert loss == pytest.approx(float(equations_loss(params, X, Y)), rel=1e-13)
    numeric = numerical_gradients(params, X, Y)
    for name in NAMES:
        assert grads[name].shape == params[name].shape
        assert rnn_core.rel_error(grads[name], numeric[name]) <= 1e-7, name
    if scale > 2:  # the case really is saturated: most gate values within 0.01 of 0 or 1
        assert saturated_share(params, X) > 0.5


def test_one_step_backward_agrees_with_finite_differences_of_one_step_forward():
    """The local gradients of lstm_backward_step, for a loss L = <u, h_t> + <w, c_t> of one step."""
    rng = np.random.default_rng(5)
    H, inputs_per_step = 3, 2
    p = gated.random_lstm_params(inputs_per_step, H, 1, scale=0.8, seed=5)
    x, h_prev, c_prev = (
        rng.standard_normal((inputs_per_step, 1)),
        rng.standard_normal((H, 1)),
        rng.standard_normal((H, 1)),
    )
    u, w = rng.standard_normal((H, 1)), rng.standard_normal((H, 1))  # dL/dh_t and dL/dc_t from "the future"
    inputs = {"x": x, "h_prev": h_prev, "c_prev": c_prev, "W_x": p["W_x"], "W_h": p["W_h"], "b": p["b"]}

    def loss(values):
        step = gated.lstm_step(
            values["x"], values["h_prev"], values["c_prev"], values["W_x"], values["W_h"], values["b"]
        )
        return float(np.sum(u * step.h) + np.sum(w * step.c))

    step = gated.lstm_step(x, h_prev, c_prev, p["W_x"], p["W_h"], p["b"])
    zero_dy = np.zeros((1, 1))  # no read-out at this step: dh = dh_next = u
    local = gated.lstm_backward_step(zero_dy, u, w, x, h_prev, c_prev, step, p["W_h"], p["W_hy"])
    analytic = {
        "h_prev": local.dh_prev,
        "c_prev": local.dc_prev,
        "W_x": local.dW_x,
        "W_h": local.dW_h,
        "b": local.db,
    }
    eps = 1e-6
    for name, expected in analytic.items():
        numeric = np.zeros_like(inputs[name])
        for index in np.ndindex(numeric.shape):
            plus = {k: v.copy() for k, v in inputs.items()}
            minus = {k: v.copy() for k, v in inputs.items()}
            plus[name][index] += eps
            minus[name][index] -= eps
            numeric[index] = (loss(plus) - loss(minus)) / (2 * eps)
        assert rnn_core.rel_error(expected, numeric) <= 1e-7, name
    np.testing.assert_array_equal(local.dh, u)
    np.testing.assert_array_equal(local.db, local.da)


@pytest.mark.parametrize("sizes, steps", [((3, 4, 2), 7), ((1, 6, 1), 40), ((4, 3, 5), 1)])
def test_batched_bptt_with_one_sequence_equals_the_per_step_functions(sizes, steps):
    params, X, Y = problem(sizes, steps, batch=1, seed=steps)
    loss, grads = gated.lstm_bptt(params, X, Y)
    slow_loss, slow = gated.lstm_sequence_gradients(params, X[:, 0, :, None], Y[:, 0, :, None])
    assert loss == pytest.approx(slow_loss, rel=1e-12)
    for name in NAMES:
        np.testing.assert_allclose(grads[name], slow[name], rtol=1e-10, atol=1e-13, err_msg=name)


def test_batch_gradient_is_the_sum_of_per_sequence_gradients():
    params, X, Y = problem((2, 5, 3), steps=9, batch=6, seed=7)
    loss, grads = gated.lstm_bptt(params, X, Y)
    per_sequence = [gated.lstm_bptt(params, X[:, b : b + 1], Y[:, b : b + 1]) for b in range(6)]
    assert loss == pytest.approx(sum(one[0] for one in per_sequence), rel=1e-12)
    for name in NAMES:
        total = sum(one[1][name] for one in per_sequence)
        np.testing.assert_allclose(grads[name], total, rtol=1e-10, atol=1e-13, err_msg=name)


# ---- the forward pass ----------------------------------------------------------------------------------


def test_batched_forward_follows_the_written_equations():
    params, X, _ = problem((3, 4, 2), steps=8, batch=3, scale=1.0, seed=4)
    forward = gated.lstm_forward(params, X)
    H = 4
    assert forward.h.shape == forward.c.shape == (9, 3, H) and forward.i.shape == (8, 3, H)
    assert forward.outputs.shape == (8, 3, 2)
    assert not forward.h[0].any() and not forward.c[0].any()
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731  the textbook form, on purpose
    for t in range(8):
        a = params["W_x"] @ X[t].T + params["W_h"] @ forward.h[t].T + params["b"]  # (4H, B) column form
        i, f, g, o = sig(a[:H]).T, sig(a[H : 2 * H]).T, np.tanh(a[2 * H : 3 * H]).T, sig(a[3 * H :]).T
        for name, expected in {"i": i, "f": f, "g": g, "o": o}.items():
            np.testing.assert_allclose(
                getattr(forward, name)[t], expected, rtol=1e-13, atol=1e-15, err_msg=name
            )
        np.testing.assert_allclose(forward.c[t + 1], f * forward.c[t] + i * g, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(forward.h[t + 1], o * np.tanh(forward.c[t + 1]), rtol=1e-13, atol=1e-15)
        y = forward.h[t + 1] @ params["W_hy"].T + params["b_y"].T
        np.testing.assert_allclose(forward.outputs[t], y, rtol=1e-13, atol=1e-14)


def test_batched_forward_matches_the_one_step_function_and_start_states():
    params, X, _ = problem((2, 3, 1), steps=6, batch=2, seed=8)
    forward = gated.lstm_forward(params, X)
    h, c = np.zeros((3, 1)), np.zeros((3, 1))
    for t in range(6):
        step = gated.lstm_step(X[t, 1][:, None], h, c, params["W_x"], params["W_h"], params["b"])
        h, c = step.h, step.c
        np.testing.assert_allclose(forward.h[t + 1, 1], h[:, 0], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(forward.f[t, 1], step.f[:, 0], rtol=1e-13, atol=1e-15)
    # Two halves, the second started from the state the first ended in, give the whole run.
    second = gated.lstm_forward(params, X[3:], h0=forward.h[3], c0=forward.c[3])
    np.testing.assert_allclose(second.h, forward.h[3:], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(second.c, forward.c[3:], rtol=1e-13, atol=1e-15)


def test_the_products_read_the_states_in_place():
    """lstm_bptt's weight gradients and read-out multiply by h_1 .. h_T as one (H, T*B) matrix: a view of
    the forward pass's buffer (a silent copy per call would cost time); column t*B + b is h_{t+1} of
    sequence b."""
    params, X, _ = problem((3, 4, 2), steps=5, batch=3, seed=6)
    cols = gated._forward_columns(params, X)
    states = gated._states(cols, 1, 6)
    assert states.shape == (4, 5 * 3) and np.shares_memory(states, cols.inputs)
    forward = gated.lstm_forward(params, X)
    np.testing.assert_array_equal(states.T, forward.h[1:].reshape(5 * 3, 4))


def test_sigmoid_is_the_logistic_function_and_never_overflows():
    a = np.linspace(-30, 30, 61)
    # (1 + tanh(a/2)) / 2 is exact to rounding near 1 (absolute 2e-16), so close to 0 or 1 its
    # *relative* precision is 2e-16 / min(s, 1 - s): fine for gates up to about 1e-9 from 0 or 1.
    np.testing.assert_allclose(gated.sigmoid(a), 1 / (1 + np.exp(-a)), rtol=0, atol=3e-16)
    middle = np.abs(a) <= 6
    np.testing.assert_allclose(gated.sigmoid(a[middle]), 1 / (1 + np.exp(-a[middle])), rtol=1e-13)
    assert gated.sigmoid(np.array([-1000.0]))[0] == 0.0 and gated.sigmoid(np.array([1000.0]))[0] == 1.0


def test_lstm_matches_torch_nn_lstm():
    """torch.nn.LSTM + nn.Linear with the same weights give our loss and gradients (skipped without torch)."""
    torch = pytest.importorskip("torch")
    params, X, Y = problem((3, 5, 2), steps=7, batch=4, seed=9)
    lstm = torch.nn.LSTM(3, 5, dtype=torch.float64)
    readout = torch.nn.Linear(5, 2, dtype=torch.float64)
    with torch.no_grad():  # torch has two gate biases; b goes in one, the other stays zero
        lstm.weight_ih_l0.copy_(torch.from_numpy(params["W_x"]))
        lstm.weight_hh_l0.copy_(torch.from_numpy(params["W_h"]))
        lstm.bias_ih_l0.copy_(torch.from_numpy(params["b"][:, 0]))
        lstm.bias_hh_l0.zero_()
        readout.weight.copy_(torch.from_numpy(params["W_hy"]))
        readout.bias.copy_(torch.from_numpy(params["b_y"][:, 0]))
    states, _ = lstm(torch.from_numpy(X))
    loss = 0.5 * ((readout(states) - torch.from_numpy(Y)) ** 2).sum()
    loss.backward()
    ours, grads = gated.lstm_bptt(params, X, Y)
    assert ours == pytest.approx(loss.item(), rel=1e-12)
    theirs = {
        "W_x": lstm.weight_ih_l0.grad,
        "W_h": lstm.weight_hh_l0.grad,
        "b": lstm.bias_ih_l0.grad[:, None],
        "W_hy": readout.weight.grad,
        "b_y": readout.bias.grad[:, None],
    }
    for name in NAMES:
        np.testing.assert_allclose(grads[name], theirs[name].numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


# ---- parameters ----------------------------------------------------------------------------------------


def test_init_is_seeded_with_the_forget_bias_on_the_f_rows_only():
    params = gated.lstm_init(3, 4, 2, forget_bias=2.0, seed=1)
    again = gated.lstm_init(3, 4, 2, forget_bias=2.0, seed=1)
    for name, shape in gated.lstm_shapes(3, 4, 2).items():
        assert params[name].shape == shape
        np.testing.assert_array_equal(params[name], again[name])
    np.testing.assert_array_equal(params["b"][4:8], 2.0)
    assert not params["b"][:4].any() and not params["b"][8:].any() and not params["b_y"].any()
    assert np.abs(params["W_h"]).max() <= 0.5  # uniform in [-1/sqrt(H), 1/sqrt(H)]
    assert not np.array_equal(gated.lstm_init(3, 4, 2, seed=2)["W_x"], params["W_x"])
    by_hand = 16 * 3 + 16 * 4 + 16 + 2 * 4 + 2  # W_x, W_h, b, W_hy, b_y
    assert gated.parameter_count(params) == gated.lstm_parameter_count(3, 4, 2) == by_hand
    vanilla = problem_init(3, 4, 2)
    assert gated.parameter_count(vanilla) == gated.vanilla_parameter_count(3, 4, 2)


# ---- bad input --------------------------------------------------------------------------------------------


@pytest.fixture
def good():
    params, X, Y = problem((3, 4, 2), steps=5, batch=2, seed=1)
    return params, X, Y


def copies(params):
    return {name: params[name].copy() for name in params}


def assert_unchanged(params, before):
    assert set(params) == set(before)
    for name in before:
        np.testing.assert_array_equal(params[name], before[name], err_msg=f"{name} changed")


def nan_at(array, index):
    array = array.copy()
    array[index] = np.nan
    return array


BAD_DATA = [
    ("X wrong size", lambda X, Y: (X[:, :, :2], Y), ValueError, r"X has shape \(5, 2, 2\).*\(T, B, 3\)"),
    ("X two-dimensional", lambda X, Y: (X[:, 0], Y), ValueError, r"X has shape \(5, 3\).*\(T, B, 3\)"),
    ("X empty", lambda X, Y: (X[:0], Y[:0]), ValueError, r"non-empty"),
    ("X NaN", lambda X, Y: (nan_at(X, (2, 1, 0)), Y), ValueError, r"X contains 1 value.*index \(2, 1, 0\)"),
    ("X text", lambda X, Y: ("abc", Y), TypeError, r"X must be numbers.*text 'abc'"),
    ("X None", lambda X, Y: (None, Y), TypeError, r"X must be numbers.*None"),
    ("X complex", lambda X, Y: (X * 1j, Y), TypeError, r"complex"),
    ("Y wrong size", lambda X, Y: (X, Y[:, :, :1]), ValueError, r"Y has shape \(5, 2, 1\).*\(T, B, 2\)"),
    ("Y shorter", lambda X, Y: (X, Y[:4]), ValueError, r"must agree in T and B"),
    ("Y other batch", lambda X, Y: (X, Y[:, :1]), ValueError, r"must agree in T and B"),
    ("Y inf", lambda X, Y: (X, Y * np.inf), ValueError, r"Y contains .* NaN or infinite"),
]


@pytest.mark.parametrize("label, change, error, message", BAD_DATA, ids=[case[0] for case in BAD_DATA])
def test_lstm_bptt_rejects_bad_data(good, label, change, error, message):
    params, X, Y = good
    before, X_before, Y_before = copies(params), X.copy(), Y.copy()
    with pytest.raises(error, match=message):
        gated.lstm_bptt(params, *change(X, Y))
    assert_unchanged(params, before)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(Y, Y_before)


BAD_PARAMS = [
    ("missing b_y", lambda p: {k: v for k, v in p.items() if k != "b_y"}, KeyError, r"missing b_y"),
    ("vanilla names", lambda p: problem_init(3, 4, 2), KeyError, r"missing W_x, W_h, b;"),
    ("a list", lambda p: dict(p, W_h=p["W_h"].tolist()), TypeError, r"W_h must be a 2-D NumPy float array"),
    ("integers", lambda p: dict(p, b=np.ones((16, 1), int)), TypeError, r"b must be a 2-D NumPy float array"),
    ("not 4H rows", lambda p: dict(p, W_x=np.ones((15, 3))), ValueError, r"W_x has 15 rows.*multiple of 4"),
    (
        "W_h for another H",
        lambda p: dict(p, W_h=np.ones((16, 5))),
        ValueError,
        r"W_h has shape \(16, 5\).*hidden_size=4.*must be \(16, 4\)",
    ),
    ("b as a row", lambda p: dict(p, b=np.ones((1, 16))), ValueError, r"b has shape \(1, 16\).*be \(16, 1\)"),
    ("W_hy for another H", lambda p: dict(p, W_hy=np.ones((2, 3))), ValueError, r"W_hy has shape \(2, 3\)"),
    ("NaN weight", lambda p: dict(p, W_h=nan_at(p["W_h"], (3, 1))), ValueError, r"W_h contains 1 .*\(3, 1\)"),
    ("not a dict", lambda p: [p["W_x"]], TypeError, r"params must be a dict"),
]


@pytest.mark.parametrize("label, change, error, message", BAD_PARAMS, ids=[case[0] for case in BAD_PARAMS])
def test_lstm_bptt_rejects_bad_params(good, label, change, error, message):
    params, X, Y = good
    before = copies(params)
    bad = change(params)
    bad_before = copies(bad) if isinstance(bad, dict) else None
    with pytest.raises(error, match=message):
        gated.lstm_bptt(bad, X, Y)
    with pytest.raises(error, match=message):
        gated.lstm_forward(bad, X)
    assert_unchanged(params, before)
    if bad_before is not None:
        assert_unchanged(bad, bad_before)


def test_lstm_forward_rejects_bad_start_states(good):
    params, X, _ = good
    with pytest.raises(ValueError, match=r"c0 has shape \(2, 5\).*must have shape \(2, 4\)"):
        gated.lstm_forward(params, X, c0=np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"h0 contains 1 value"):
        gated.lstm_forward(params, X, h0=nan_at(np.zeros((2, 4)), (0, 0)))


@pytest.mark.parametrize(
    "options, error, message",
    [
        ({"hidden_size": 0}, ValueError, r"hidden_size must be at least 1"),
        ({"input_size": 2.5}, TypeError, r"input_size must be a whole number"),
        ({"forget_bias": "1"}, TypeError, r"forget_bias must be a number such as 1.0, but it is str '1'"),
        ({"forget_bias": np.nan}, ValueError, r"forget_bias must be a finite number"),
        ({"scale": None, "forget_bias": True}, TypeError, r"forget_bias must be a number"),
    ],
)
def test_lstm_init_rejects_bad_options(options, error, message):
    arguments = {"input_size": 3, "hidden_size": 4, "output_size": 2, **options}
    with pytest.raises(error, match=message):
        gated.lstm_init(**arguments)


# ---- gradients against lag -------------------------------------------------------------------------------


def test_lag_jacobians_match_finite_differences_of_the_forward_pass():
    """||dh_{T-1}/dh_t|| with c_t held fixed: perturb h_t, rerun the rest of the sequence from (h_t, c_t)."""
    params, X, _ = problem((2, 4, 1), steps=7, batch=2, scale=0.8, seed=6)
    lags = memory.lstm_gradient_vs_lag(params, X)
    forward = gated.lstm_forward(params, X)
    eps = 1e-6
    for t in (0, 3, 6):
        jacobian = np.empty((4, 4))  # dh_6/dh_t of sequence 0, column by column
        for k in range(4):
            ends = []
            for sign in (1, -1):
                h = forward.h[t + 1, :1].copy()
                h[0, k] += sign * eps
                if t == 6:  # lag 0: h_6 itself
                    ends.append(h[0])
                else:
                    rest = gated.lstm_forward(params, X[t + 1 :, :1], h0=h, c0=forward.c[t + 1, :1])
                    ends.append(rest.h[-1, 0])
            jacobian[:, k] = (ends[0] - ends[1]) / (2 * eps)
        assert lags.jacobian_norms[6 - t, 0] == pytest.approx(np.linalg.norm(jacobian, 2), rel=1e-6)


def test_cell_path_is_the_product_of_forget_gates():
    params = gated.lstm_init(1, 3, 1, seed=0)
    H = 3
    params["W_x"][H : 2 * H] = 0.0
    params["W_h"][H : 2 * H] = 0.0  # the forget gate sees nothing: f = sigma(b_f) at every step
    X, _ = echo_task(12, 2, seed=0)
    params["b"][H : 2 * H] = 40.0  # sigma(40) = 1 - 4e-18 rounds to exactly 1.0: nothing is forgotten
    kept = memory.lstm_gradient_vs_lag(params, X)
    assert np.all(kept.cell_path_norms == 1.0) and kept.mean_forget == 1.0
    params["b"][H : 2 * H] = np.array([[0.5], [-1.0], [2.0]])  # one forget rate per unit
    lags = memory.lstm_gradient_vs_lag(params, X)
    f = 1 / (1 + np.exp(-2.0))  # the largest of the three: its product is the norm of the diagonal
    np.testing.assert_allclose(
        lags.cell_path_norms, (f ** np.arange(12.0))[:, None] * np.ones((1, 2)), rtol=1e-13
    )
    assert lags.jacobian_norms.shape == (12, 2) and list(lags.lags) == list(range(12))


def test_forget_bias_keeps_the_cell_path_open_longer():
    comparison = memory.lag_comparison(
        hidden_size=8, steps=30, batch=4, forget_biases=(0.0, 1.0, 3.0), seed=1
    )
    assert set(comparison) == {"vanilla", "lstm, b_f=0", "lstm, b_f=1", "lstm, b_f=3"}
    assert comparison["vanilla"].jacobian_norms.shape == comparison["lstm, b_f=1"].jacobian_norms.shape
    at_lag_20 = [np.median(comparison[f"lstm, b_f={b}"].cell_path_norms[20]) for b in (0, 1, 3)]
    assert at_lag_20[0] < at_lag_20[1] < at_lag_20[2]
    # the mean forget gate starts near sigma(b_f)
    assert comparison["lstm, b_f=3"].mean_forget == pytest.approx(1 / (1 + np.exp(-3.0)), abs=0.05)


# ---- training, the memory sweep and the cost ------------------------------------------------------------


def test_adam_lowers_the_loss_of_both_cells_and_is_deterministic():
    X, Y = echo_task(10, 16, delay=2, seed=0)
    runs = {}
    for cell, run, init in [
        ("vanilla", rnn_core.bptt, memory.vanilla_init(1, 6, 1, seed=0)),
        ("lstm", gated.lstm_bptt, gated.lstm_init(1, 6, 1, seed=0)),
    ]:
        runs[cell] = [
            memory.adam_train(
                run, {k: v.copy() for k, v in init.items()}, X, Y, epochs=30, batch_size=8, learning_rate=0.02
            )
            for _ in range(2)
        ]
        assert runs[cell][0] == runs[cell][1]
        assert runs[cell][0][-1] < 0.5 * runs[cell][0][0], cell


def test_first_adam_step_moves_every_weight_by_the_learning_rate():
    """Adam's first update: the bias-corrected moments of one gradient g are g and g^2, so every entry moves
    by lr * g / (|g| + eps'), eps' = 1e-8 / sqrt(1 - 0.999) (the eps of Kingma & Ba's faster form).
    g is the batch mean, as the clip is too large to act."""
    X, Y = echo_task(5, 4, delay=1, seed=0)
    params = gated.lstm_init(1, 3, 1, seed=0)
    params["b_y"] += 0.1
    before = {name: params[name].copy() for name in params}
    _, grads = gated.lstm_bptt(params, X, Y)
    memory.adam_train(gated.lstm_bptt, params, X, Y, epochs=1, batch_size=4, learning_rate=0.01, clip=1e9)
    for name in params:
        mean = grads[name] / 4
        expected = 0.01 * mean / (np.abs(mean) + 1e-8 / np.sqrt(1 - 0.999))
        np.testing.assert_allclose(before[name] - params[name], expected, rtol=1e-9, atol=1e-17, err_msg=name)
        assert np.abs(expected).max() > 0.009  # most entries really move by about the learning rate


def test_memory_sweep_is_deterministic_under_a_seed():
    small = {"hidden_size": 4, "steps": 8, "count": 16, "epochs": 3, "batch_size": 8}
    first = memory.memory_sweep(delays=(1, 3), seeds=(0, 1), **small)
    again = memory.memory_sweep(delays=(1, 3), seeds=(0, 1), **small)
    assert first.delays == [1, 3] and first.seeds == [0, 1] and first.budget["epochs"] == 3
    for cell in ("vanilla", "lstm"):
        assert first.accuracy[cell].shape == (2, 2)
        np.testing.assert_array_equal(first.accuracy[cell], again.accuracy[cell])
        np.testing.assert_allclose(first.mean(cell), first.accuracy[cell].mean(axis=0))
        assert np.all((first.accuracy[cell] >= 0) & (first.accuracy[cell] <= 1))
    other = memory.memory_sweep(delays=(1, 3), seeds=(2, 3), **small)
    assert not all(np.array_equal(first.accuracy[c], other.accuracy[c]) for c in ("vanilla", "lstm"))
    assert "delay" in first.table() and "+-" in first.table()
    with pytest.raises(ValueError, match="unknown cell 'gru'"):
        memory.train_on_echo("gru", 1)


def test_cell_cost_counts_four_gates():
    cost = memory.cell_cost(input_size=2, hidden_size=8, output_size=3, steps=4, batch=2, rounds=2)
    assert cost.parameters["lstm"] == 4 * 8 * (2 + 8 + 1) + 3 * (8 + 1)
    assert cost.parameters["vanilla"] == 8 * (2 + 8 + 1) + 3 * (8 + 1)
    assert all(seconds > 0 for seconds in cost.seconds_per_step.values())
    assert cost.ratio()[0] == cost.parameters["lstm"] / cost.parameters["vanilla"]


def test_sgd_train_makes_the_updates_of_rnn_lab_train():
    """For the vanilla RNN, sgd_train is the series' own optimiser: the same weights as train.train."""
    X, Y = echo_task(12, 8, delay=2, seed=3)
    ours, theirs = problem_init(1, 5, 1, seed=3), problem_init(1, 5, 1, seed=3)
    losses = memory.sgd_train(rnn_core.bptt, ours, X, Y, epochs=3, batch_size=4, learning_rate=0.05, clip=0.5)
    history = train(theirs, X, Y, epochs=3, batch_size=4, learning_rate=0.05, clip=0.5)
    np.testing.assert_allclose(losses, history.losses, rtol=1e-12)
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-12, atol=1e-15, err_msg=name)


def test_train_on_echo_refuses_unknown_budget_settings():
    with pytest.raises(TypeError, match="unknown budget setting"):
        memory.train_on_echo("lstm", 1, epochs=1, epoch=2)


@pytest.fixture(scope="module")
def stored_sweep():
    return memory.load_sweep()


def test_stored_sweep_was_made_with_the_code_s_settings(stored_sweep):
    stored = json.loads(memory.RESULTS_PATH.read_text())
    assert stored["cells"] == {label: list(spec) for label, spec in memory.SWEEP_CELLS.items()}
    assert set(stored_sweep) == set(memory.SWEEPS)
    for name, result in stored_sweep.items():
        assert result.budget == memory.SWEEPS[name], name
        assert result.delays == list(memory.SWEEP_DELAYS) and result.seeds == list(memory.SWEEP_SEEDS)
        assert set(result.accuracy) == set(memory.SWEEP_CELLS)
        assert all(a.shape == (len(result.seeds), len(result.delays)) for a in result.accuracy.values())
    hidden = memory.SWEEP_BUDGET["hidden_size"]
    assert (
        stored["parameters"]
        == {"vanilla": 305, "lstm": 1169}
        == {
            "vanilla": gated.parameter_count(problem_init(1, hidden, 1)),
            "lstm": gated.parameter_count(gated.lstm_init(1, hidden, 1)),
        }
    )


@pytest.mark.parametrize("label", ["vanilla", "lstm, b_f=1"])
def test_one_slice_of_the_stored_sweep_is_reproduced_exactly(stored_sweep, label):
    """Delay 4, seed 0 of the main (SGD) sweep, retrained: seeded, so the same number to the last bit
    (on this machine; another BLAS may round differently and, over 400 updates, end elsewhere)."""
    result = stored_sweep["sgd"]
    cell, forget_bias = memory.SWEEP_CELLS[label]
    k = result.delays.index(4)
    again = memory.train_on_echo(
        cell, 4, seed=result.seeds[0], forget_bias=forget_bias, **memory.SWEEP_BUDGET
    )
    assert again == result.accuracy[label][0, k]
