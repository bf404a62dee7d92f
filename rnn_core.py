"""rnn_core: a vanilla RNN and backpropagation through time (BPTT), in NumPy.

This module is the reference for the whole collection. It reads top to bottom
like a chapter:

    1. forward pass           h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h),  y_t = W_hy h_t + b_y
    2. loss                   L = 1/2 * sum_t ||y_t - target_t||^2
    3. one step backward      the local gradients of one time step
    4. BPTT                   all steps, from t = T-1 down to 0, gradients summed over time
    5. SimpleRNN              the source problem's class, same API and numerics
    6. gradient check         centred finite differences, CS231n's relative error
    7. batched BPTT           many sequences at once, fast, for training demos
    8. checking inputs        clear errors instead of silent nonsense (used by all of the above)

The experiments beyond the chapter (tasks, training, dynamics, the language model, the LSTM) live in
the package rnn_lab; the pictures and widgets in rnn_viz; homework checking in rnn_check.

Shapes use these letters: T time steps, I = input_size, H = hidden_size,
O = output_size, B sequences in a batch. Vectors are column vectors, as in the
source problem: x_t is (I, 1), h_t is (H, 1), y_t is (O, 1).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

LEARNING_RATE = 0.01  # the source problem's fixed learning rate
PARAM_NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


# ---------------------------------------------------------------------------
# 1. Forward pass
# ---------------------------------------------------------------------------


def rnn_step(x_t, h_prev, W_xh, W_hh, b_h):
    """One step of the recurrence: h_t = tanh(W_xh x_t + W_hh h_prev + b_h).

    x_t (I, 1), h_prev (H, 1), W_xh (H, I), W_hh (H, H), b_h (H, 1)  ->  h_t (H, 1)
    Expects checked column vectors; use SimpleRNN or gradients for checked input.
    """
    return np.tanh(np.dot(W_xh, x_t) + np.dot(W_hh, h_prev) + b_h)


def output_step(h_t, W_hy, b_y):
    """The linear read-out: y_t = W_hy h_t + b_y.   h_t (H, 1), W_hy (O, H), b_y (O, 1) -> y_t (O, 1)
    Expects checked column vectors; use SimpleRNN or gradients for checked input."""
    return np.dot(W_hy, h_t) + b_y


def forward_sequence(params: dict, xs: np.ndarray):
    """Run the RNN over a whole sequence, starting from h = 0.

    params: dict of W_xh (H, I), W_hh (H, H), W_hy (O, H), b_h (H, 1), b_y (O, 1)
    xs:     (T, I, 1) column vectors (see `as_sequence`)
    returns hiddens, outputs: lists of T+1 arrays (H, 1) (hiddens[0] is the zero start state,
            hiddens[t+1] is h_t) and of T arrays (O, 1).
    Expects checked column vectors; use SimpleRNN or gradients for checked input.
    """
    h = np.zeros((params["W_hh"].shape[0], 1))  # (H, 1) start state h_{-1} = 0
    hiddens, outputs = [h], []
    for x_t in xs:
        h = rnn_step(x_t, h, params["W_xh"], params["W_hh"], params["b_h"])  # (H, 1)
        outputs.append(output_step(h, params["W_hy"], params["b_y"]))  # (O, 1)
        hiddens.append(h)
    return hiddens, outputs


# ---------------------------------------------------------------------------
# 2. Loss
# ---------------------------------------------------------------------------


def sequence_loss(outputs, targets) -> float:
    """L = 1/2 * sum_t ||outputs[t] - targets[t]||^2.   outputs, targets: (T, O, 1) -> float"""
    errors = np.asarray(outputs) - np.asarray(targets)  # (T, O, 1)
    return 0.5 * float(np.sum(errors * errors))


def output_gradient(y_t, target_t):
    """dL/dy_t = y_t - target_t, the `dy` of the standard code.   (O, 1), (O, 1) -> (O, 1)"""
    return y_t - target_t


# ---------------------------------------------------------------------------
# 3. One step backward
# ---------------------------------------------------------------------------


@dataclass
class StepGradients:
    """What one time step t of BPTT computes (all column vectors / matrices)."""

    dh: np.ndarray  # (H, 1)  dL/dh_t: from the output at t plus dh_next from the future
    dh_raw: np.ndarray  # (H, 1)  dL/d(pre-activation) = (1 - h_t^2) * dh
    dh_prev: np.ndarray  # (H, 1)  W_hh^T dh_raw: flows back to h_{t-1} (the next step's dh_next)
    dW_xh: np.ndarray  # (H, I)  contribution of step t
    dW_hh: np.ndarray  # (H, H)
    dW_hy: np.ndarray  # (O, H)
    db_h: np.ndarray  # (H, 1)
    db_y: np.ndarray  # (O, 1)


def backward_step(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy) -> StepGradients:
    """Backpropagate through time step t.

    dy (O, 1) = y_t - target_t;  dh_next (H, 1) = gradient reaching h_t from step t+1;
    x_t (I, 1);  h_prev (H, 1) = h_{t-1};  h_t (H, 1);  W_hh (H, H);  W_hy (O, H).
    Expects checked column vectors; use SimpleRNN or gradients for checked input.
    """
    dW_hy = np.dot(dy, h_t.T)  # (O, H)  y_t = W_hy h_t + b_y
    db_y = dy  # (O, 1)
    dh = np.dot(W_hy.T, dy) + dh_next  # (H, 1)  h_t feeds y_t *and* h_{t+1}: add both paths
    dh_raw = (1 - h_t**2) * dh  # (H, 1)  tanh'(a) = 1 - tanh(a)^2 = 1 - h_t^2
    dW_xh = np.dot(dh_raw, x_t.T)  # (H, I)
    dW_hh = np.dot(dh_raw, h_prev.T)  # (H, H)  uses h_{t-1}, the state that entered step t
    db_h = dh_raw  # (H, 1)
    dh_prev = np.dot(W_hh.T, dh_raw)  # (H, 1)
    return StepGradients(dh, dh_raw, dh_prev, dW_xh, dW_hh, dW_hy, db_h, db_y)


# ---------------------------------------------------------------------------
# 4. Backpropagation through time
# ---------------------------------------------------------------------------


@dataclass
class BPTTTrace:
    """Everything BPTT computed, indexed by forward time t = 0 .. T-1 (although computed backwards).

    dy[t] (O, 1), dh[t] (H, 1), dh_raw[t] (H, 1): as in `backward_step`.
    dh_next[t] (H, 1): the gradient that reached h_t from step t+1 (zero at t = T-1).
    dh_init (H, 1): the gradient that reaches the zero start state from step 0.
    contributions[name][t]: step t's term of the gradient of `name`; summing over t gives the gradient.
    """

    dy: np.ndarray  # (T, O, 1)
    dh: np.ndarray  # (T, H, 1)
    dh_raw: np.ndarray  # (T, H, 1)
    dh_next: np.ndarray  # (T, H, 1)
    dh_init: np.ndarray  # (H, 1)
    contributions: dict = field(default_factory=dict)  # name -> (T, *shape of the parameter)


def bptt_sequence(params: dict, inputs, hiddens, outputs, targets, keep_trace: bool = False, step_back=None):
    """BPTT over one sequence whose forward pass is already done.

    inputs (T, I, 1); hiddens: T+1 arrays (H, 1) with hiddens[0] = start state; outputs, targets (T, O, 1).
    Returns (grads, trace): grads maps each name in PARAM_NAMES to an array of the parameter's shape,
    the sum over t of the per-step contributions; trace is a BPTTTrace if keep_trace else None.
    step_back: the one-step backward to chain, with backward_step's arguments and result (the default);
    pass your own to run BPTT with it (notebook 04's stepper shows where it departs from this one).
    Expects checked column vectors; use SimpleRNN or gradients for checked input.
    """
    step_back = backward_step if step_back is None else step_back
    grads = {name: np.zeros_like(params[name]) for name in PARAM_NAMES}
    dh_next = np.zeros_like(hiddens[0])  # (H, 1) nothing comes back from after the last step
    steps = []
    for t in reversed(range(len(inputs))):
        dy = output_gradient(outputs[t], targets[t])  # (O, 1)
        step = step_back(dy, dh_next, inputs[t], hiddens[t], hiddens[t + 1], params["W_hh"], params["W_hy"])
        # Same order of additions as the standard code, so the sums agree bit for bit.
        grads["W_hy"] += step.dW_hy
        grads["b_y"] += step.db_y
        grads["W_xh"] += step.dW_xh
        grads["W_hh"] += step.dW_hh
        grads["b_h"] += step.db_h
        if keep_trace:
            steps.append((dy, dh_next, step))
        dh_next = step.dh_prev
    trace = _make_trace(steps[::-1], dh_next) if keep_trace else None
    return grads, trace


def _make_trace(steps, dh_init) -> BPTTTrace:
    """Stack the per-step records (in forward time order) into arrays."""
    stack = lambda get: np.stack([get(record) for record in steps])  # noqa: E731
    contributions = {name: stack(lambda r, n=name: getattr(r[2], "d" + n)) for name in PARAM_NAMES}
    return BPTTTrace(
        dy=stack(lambda r: r[0]),
        dh=stack(lambda r: r[2].dh),
        dh_raw=stack(lambda r: r[2].dh_raw),
        dh_next=stack(lambda r: r[1]),
        dh_init=dh_init,
        contributions=contributions,
    )


def gradients(params: dict, x, y, step_back=None):
    """Loss, gradients and per-step trace of one sequence, without changing any weight.

    params: dict of W_xh, W_hh, W_hy, b_h, b_y;  x: T inputs (see `as_sequence`);  y: T targets.
    step_back: the one-step backward BPTT chains (default backward_step; see bptt_sequence).
    Returns (loss: float, grads: dict name -> array, trace: BPTTTrace).
    """
    input_size, _, output_size = check_params(params)
    xs = as_sequence(x, input_size, "x")  # (T, I, 1)
    ys = _targets_like(y, xs, output_size)  # (T, O, 1)
    hiddens, outputs = forward_sequence(params, xs)
    grads, trace = bptt_sequence(params, xs, hiddens, outputs, ys, keep_trace=True, step_back=step_back)
    return sequence_loss(outputs, ys), grads, trace


def _targets_like(y, xs: np.ndarray, output_size: int) -> np.ndarray:
    """Read the targets y as (T, O, 1) and check they have as many time steps as the inputs."""
    ys = as_sequence(y, output_size, "y")
    if len(ys) != len(xs):
        raise ValueError(
            f"y has {len(ys)} time step(s) but x has {len(xs)}: there must be one target per input time step."
        )
    return ys


def sgd_step(params: dict, grads: dict, learning_rate: float = LEARNING_RATE) -> None:
    """Plain gradient descent, in place: p <- p - learning_rate * dL/dp for every parameter.

    All or nothing: the learning rate, the parameters and the gradients are checked (section 8), and every
    new value is computed, before the first parameter changes; an update that would overflow is refused.
    """
    learning_rate = check_learning_rate(learning_rate)
    check_params(params)
    check_updatable(params)
    grads = check_gradients(grads, params)
    overflowed = try_sgd_step(params, grads, learning_rate)
    if overflowed is not None:
        raise ValueError(
            f"the update would make {overflowed} overflow to inf (learning_rate {learning_rate:g} times "
            f"gradients as large as {np.max(np.abs(grads[overflowed])):.1e}): nothing was changed. "
            "Use a smaller learning_rate."
        )


def try_sgd_step(params: dict, grads: dict, learning_rate: float) -> str | None:
    """sgd_step on checked arguments: apply the update and return None, or, if some new value would not be
    finite, change nothing and return the name of the first such parameter."""
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported by the caller, in words
        updated = {name: params[name] - learning_rate * grads[name] for name in PARAM_NAMES}
    overflowed = next((name for name in PARAM_NAMES if not np.isfinite(updated[name]).all()), None)
    if overflowed is None:
        for name in PARAM_NAMES:
            params[name][...] = updated[name]
    return overflowed


# ---------------------------------------------------------------------------
# 5. SimpleRNN: the source problem's class
# ---------------------------------------------------------------------------


def param_shapes(input_size: int, hidden_size: int, output_size: int) -> dict:
    """The shape of each parameter, in PARAM_NAMES order: the one table every initialiser and check uses."""
    return {
        "W_xh": (hidden_size, input_size),
        "W_hh": (hidden_size, hidden_size),
        "W_hy": (output_size, hidden_size),
        "b_h": (hidden_size, 1),
        "b_y": (output_size, 1),
    }


def initial_params(input_size, hidden_size, output_size, randn) -> dict:
    """The source problem's starting parameters: weights randn(...) * 0.01, biases zero.

    randn: the generator's randn (np.random.randn for the global state, as the standard code uses, or
    np.random.RandomState(seed).randn). The weights are drawn in the standard code's order, W_xh, W_hh,
    W_hy, so the same seed gives the same numbers bit for bit.
    """
    sizes = check_sizes(input_size, hidden_size, output_size)
    return {
        name: randn(*shape) * 0.01 if name.startswith("W") else np.zeros(shape)
        for name, shape in param_shapes(*sizes).items()
    }


class SimpleRNN:
    """The source problem's RNN: tanh hidden layer, linear output, BPTT and plain SGD.

    Same constructor, methods, attributes and numbers as the problem's standard code
    (under the same np.random.seed it draws the same initial weights), with clear
    errors for bad input. The maths lives in the functions above; this class only
    keeps the state.

    Attributes: W_xh (H, I), W_hh (H, H), W_hy (O, H), b_h (H, 1), b_y (O, 1), hidden_size H,
    and after forward(): last_inputs (T arrays (I, 1)), last_hiddens (T+1 arrays (H, 1),
    starting with the zero state), last_outputs (T arrays (O, 1)).
    """

    def __init__(self, input_size, hidden_size, output_size):
        self.hidden_size = check_size(hidden_size, "hidden_size")
        # The standard code's draws, in its order, from the global np.random state (as it does).
        for name, value in initial_params(input_size, hidden_size, output_size, np.random.randn).items():
            setattr(self, name, value)

    @property
    def params(self) -> dict:
        """The five parameters by name (the arrays themselves, not copies)."""
        return {name: getattr(self, name) for name in PARAM_NAMES}

    def _sizes(self) -> tuple[int, int, int]:
        input_size, hidden_size, output_size = check_params(self.params)
        if hidden_size != check_size(self.hidden_size, "model.hidden_size"):
            raise ValueError(f"W_xh has {hidden_size} rows but hidden_size is {self.hidden_size}.")
        return input_size, hidden_size, output_size

    def forward(self, x):
        """Run the sequence x (T inputs of size I) from h = 0; return the outputs, shape (T, O, 1)."""
        input_size, _, _ = self._sizes()
        xs = as_sequence(x, input_size, "x")  # (T, I, 1)
        hiddens, outputs = forward_sequence(self.params, xs)
        self.last_inputs = list(xs)  # T arrays (I, 1)
        self.last_hiddens = hiddens  # T+1 arrays (H, 1)
        self.last_outputs = outputs  # T arrays (O, 1)
        return np.array(outputs)

    def backward(self, x, y, learning_rate):
        """BPTT on the sequence of the last forward(x), then one SGD step in place.

        y: T targets of size O.  As in the standard code, the gradients use the activations
        cached by the last forward() and the current weights.
        """
        learning_rate = check_learning_rate(learning_rate)
        if not hasattr(self, "last_outputs"):
            raise RuntimeError(
                "backward() was called before forward(): call model.forward(x) first, then "
                "model.backward(x, y, learning_rate)."
            )
        input_size, _, output_size = self._sizes()
        xs = as_sequence(x, input_size, "x")
        if len(xs) != len(self.last_inputs) or not np.array_equal(xs, np.asarray(self.last_inputs)):
            raise ValueError(
                f"backward() got an x ({len(xs)} time steps) that is not the sequence the last forward() saw "
                f"({len(self.last_inputs)} time steps): call forward(x) on this x first."
            )
        ys = _targets_like(y, xs, output_size)
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below, in words
            grads, _ = bptt_sequence(self.params, self.last_inputs, self.last_hiddens, self.last_outputs, ys)
            loss = sequence_loss(self.last_outputs, ys)  # from the cached outputs: no second forward pass
        check_finite_result(loss, grads)
        sgd_step(self.params, grads, learning_rate)


# ---------------------------------------------------------------------------
# 6. Gradient check: compare BPTT with centred finite differences
# ---------------------------------------------------------------------------


def rel_error(analytic, numeric) -> float:
    """CS231n's relative error: max over entries of |a - n| / max(1e-8, |a| + |n|).

    About 1e-7 or less means the gradients agree; 1e-2 or more means a bug.
    """
    analytic, numeric = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    return float(np.max(np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric))))


def numerical_gradients(params: dict, x, y, eps: float = 1e-5) -> dict:
    """dL/dp for every entry p of every parameter by centred differences (L(p+eps) - L(p-eps)) / (2 eps).

    Works on copies: the caller's params are never changed. Returns name -> array of the parameter's shape.
    """
    input_size, _, output_size = check_params(params)
    xs = as_sequence(x, input_size, "x")
    ys = _targets_like(y, xs, output_size)
    work = {name: params[name].copy() for name in PARAM_NAMES}

    def loss() -> float:
        return sequence_loss(forward_sequence(work, xs)[1], ys)

    numeric = {}
    for name in PARAM_NAMES:
        array, grad = work[name], np.zeros_like(work[name])
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + eps
            loss_plus = loss()
            array[index] = saved - eps
            loss_minus = loss()
            array[index] = saved
            grad[index] = (loss_plus - loss_minus) / (2 * eps)
        numeric[name] = grad
    return numeric


@dataclass
class GradCheckReport:
    """Relative error (CS231n's, see `rel_error`) of BPTT against finite differences, per parameter."""

    errors: dict  # name -> float
    analytic: dict  # name -> array
    numeric: dict  # name -> array
    tolerance: float

    @property
    def max_error(self) -> float:
        return max(self.errors.values())

    @property
    def passed(self) -> bool:
        return self.max_error <= self.tolerance

    def __str__(self) -> str:
        lines = [f"{'parameter':<10}{'relative error':>16}  verdict"]
        for name, error in self.errors.items():
            verdict = "ok" if error <= self.tolerance else "MISMATCH"
            lines.append(f"{name:<10}{error:>16.1e}  {verdict}")
        lines.append(f"all {'agree' if self.passed else 'do NOT agree'} within {self.tolerance:.0e}")
        return "\n".join(lines)


def gradient_check(
    params: dict, x, y, eps: float = 1e-5, tolerance: float = 1e-7, analytic: dict | None = None
) -> GradCheckReport:
    """Check gradients of the loss of sequence (x, y) against centred finite differences.

    analytic: the gradients to check (name -> array); by default this module's BPTT.
    """
    if analytic is None:
        _, analytic, _ = gradients(params, x, y)
    numeric = numerical_gradients(params, x, y, eps)
    errors = {name: rel_error(analytic[name], numeric[name]) for name in PARAM_NAMES}
    return GradCheckReport(errors, analytic, numeric, tolerance)


def random_params(input_size, hidden_size, output_size, scale: float = 0.5, seed: int = 0) -> dict:
    """Random parameters (biases too) from a seeded generator, for experiments and checks.

    Weights and biases are N(0, scale^2). Uses its own generator, so it does not touch np.random's state.
    """
    shapes = param_shapes(*check_sizes(input_size, hidden_size, output_size))
    scale, rng = check_number(scale, "scale", 0.5, positive=False), np.random.default_rng(seed)
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


# ---------------------------------------------------------------------------
# 7. Batched BPTT: the same maths for B sequences at once, fast
#
# Rows are sequences here: a batch of hidden states is (B, H), so the column-vector
# equation h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h) becomes
# h_t = tanh(x_t W_xh^T + h_{t-1} W_hh^T + b_h^T). Everything that does not depend on
# the previous step (input projections, outputs, the weight gradients) is done for
# all T steps in one large matrix product; only the recurrence itself loops over t.
# ---------------------------------------------------------------------------


def as_batch(data, size: int, name: str) -> np.ndarray:
    if isinstance(data, np.ndarray) and data.dtype == np.float64 and data.ndim == 3:
        array = data  # not copied: bptt only reads it
        _check_finite(array, name)
    else:
        array = as_float_array(data, name)  # names the difference in a ragged list
    if array.ndim != 3 or array.shape[2] != size or 0 in array.shape:
        raise ValueError(
            f"{name} has shape {array.shape}, but bptt expects a non-empty array of shape "
            f"(T, B, {size}): T time steps, B sequences, {size} number(s) per step."
        )
    return array


def forward_batch(params: dict, X, h0=None) -> tuple[np.ndarray, np.ndarray]:
    """Forward pass for a batch.  X (T, B, I), h0 (B, H) or None (start from zero, as the source problem)
    ->  hiddens (T+1, B, H) with hiddens[0] = h0, outputs (T, B, O)."""
    input_size, hidden_size, output_size = check_params(params)
    X = as_batch(X, input_size, "X")
    return _forward_batch(params, X, _check_start_state(h0, X.shape[1], hidden_size))


def _check_start_state(h0, batch: int, hidden_size: int):
    """None (start from zero) or the start state as a float (B, H) array."""
    if h0 is None:
        return None
    h0 = as_float_array(h0, "h0")
    if h0.shape != (batch, hidden_size):
        raise ValueError(
            f"h0 has shape {h0.shape}, but the start state of {batch} sequence(s) with "
            f"hidden_size={hidden_size} must have shape ({batch}, {hidden_size})."
        )
    return h0


def _forward_batch(params, X, h0=None):
    steps, batch, input_size = X.shape
    hidden_size, output_size = params["W_hh"].shape[0], params["W_hy"].shape[0]
    hiddens = np.empty((steps + 1, batch, hidden_size))  # (T+1, B, H)
    hiddens[0] = 0.0 if h0 is None else h0
    # Input projections of every step in one product: (T*B, I) @ (I, H).
    drive = np.dot(X.reshape(steps * batch, input_size), params["W_xh"].T).reshape(steps, batch, hidden_size)
    drive += params["b_h"].T  # (T, B, H)
    W_hh_T = params["W_hh"].T  # (H, H), a view: BLAS reads it transposed for free
    for t in range(steps):
        h_t = hiddens[t + 1]  # (B, H), written in place
        np.dot(hiddens[t], W_hh_T, out=h_t)
        h_t += drive[t]
        np.tanh(h_t, out=h_t)
    states = hiddens[1:].reshape(steps * batch, hidden_size)  # (T*B, H)
    outputs = np.dot(states, params["W_hy"].T)  # (T*B, O)
    outputs += params["b_y"].T
    return hiddens, outputs.reshape(steps, batch, output_size)


def bptt(params: dict, X, Y, h0=None):
    """Loss and gradients summed over a batch of sequences.

    params: dict of W_xh (H, I), W_hh (H, H), W_hy (O, H), b_h (H, 1), b_y (O, 1)
    X: (T, B, I) inputs, Y: (T, B, O) targets, h0: (B, H) start state (zero by default).
    Returns (loss, grads): loss = 1/2 * sum over t, b of ||y_tb - Y_tb||^2 (a float), grads a dict of
    arrays in the parameters' shapes. With B = 1 this is exactly SimpleRNN's BPTT.
    """
    X, Y, h0 = check_batch(params, X, Y, h0)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below, in words
        loss, grads, _ = bptt_with_states(params, X, Y, h0)
    check_finite_result(loss, grads)
    return loss, grads


def check_batch(params, X, Y, h0=None):
    input_size, hidden_size, output_size = check_params(params)
    X = as_batch(X, input_size, "X")
    Y = as_batch(Y, output_size, "Y")
    if Y.shape[:2] != X.shape[:2]:
        raise ValueError(f"Y has shape {Y.shape} but X has shape {X.shape}: they must agree in T and B.")
    return X, Y, _check_start_state(h0, X.shape[1], hidden_size)


def bptt_with_states(params, X, Y, h0=None):
    """bptt on checked arrays; also returns the hidden states (T+1, B, H) it cached for the backward pass."""
    steps, batch, input_size = X.shape
    hidden_size, output_size = params["W_hh"].shape[0], params["W_hy"].shape[0]
    hiddens, outputs = _forward_batch(params, X, h0)

    d_outputs = outputs.reshape(steps * batch, output_size)  # (T*B, O)
    d_outputs -= Y.reshape(steps * batch, output_size)  # dy = y - target for every t and b, in place
    loss = 0.5 * float(np.vdot(d_outputs, d_outputs))
    states = hiddens[1:].reshape(steps * batch, hidden_size)  # (T*B, H)   h_t
    previous = hiddens[:-1].reshape(steps * batch, hidden_size)  # (T*B, H)  h_{t-1}

    grads = {
        "W_hy": np.dot(d_outputs.T, states),  # (O, H)
        "b_y": d_outputs.sum(axis=0)[:, None],  # (O, 1)
    }
    # dh_raw for every step, filled from t = T-1 down to 0. It starts as the part of dh that
    # comes from the outputs (dy W_hy), computed for all steps in one product.
    dh_raw = np.dot(d_outputs, params["W_hy"]).reshape(steps, batch, hidden_size)  # (T, B, H)
    dh_next = np.zeros((batch, hidden_size))  # (B, H)
    tanh_grad = np.empty((batch, hidden_size))  # (B, H) one step's 1 - h_t^2, reused: stays in cache
    W_hh = params["W_hh"]
    for t in reversed(range(steps)):
        np.multiply(hiddens[t + 1], hiddens[t + 1], out=tanh_grad)
        np.subtract(1.0, tanh_grad, out=tanh_grad)  # 1 - h_t^2
        dh_raw[t] += dh_next  # dh = dy W_hy + dh_next
        dh_raw[t] *= tanh_grad  # dh_raw = (1 - h_t^2) * dh
        np.dot(dh_raw[t], W_hh, out=dh_next)  # (B, H)  row form of W_hh^T dh_raw
    dh_raw = dh_raw.reshape(steps * batch, hidden_size)  # (T*B, H)
    grads["W_xh"] = np.dot(dh_raw.T, X.reshape(steps * batch, input_size))  # (H, I)
    grads["W_hh"] = np.dot(dh_raw.T, previous)  # (H, H)
    grads["b_h"] = dh_raw.sum(axis=0)[:, None]  # (H, 1)
    return loss, {name: grads[name] for name in PARAM_NAMES}, hiddens


# ---------------------------------------------------------------------------
# 8. Checking inputs
#
# Every public entry point turns its input into float64 arrays here, so a wrong
# shape, a NaN or a string is reported in words before any arithmetic happens
# (and before any weight is touched).
# ---------------------------------------------------------------------------


def as_float_array(data, name: str) -> np.ndarray:
    """Return `data` as a new float64 array, or raise a readable TypeError/ValueError."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"{name} must be numbers (a list or NumPy array), but it is the text {data!r}.")
    if data is None:
        raise TypeError(f"{name} must be numbers (a list or NumPy array), but it is None.")
    try:
        array = np.asarray(data)
    except ValueError:  # NumPy refuses ragged nested lists
        raise ValueError(
            f"{name} could not be read as a regular array: {_ragged_difference(data)}."
        ) from None
    if array.dtype == object:
        # NumPy would quietly turn None into NaN; name the culprit instead.
        kinds = sorted({type(item).__name__ for item in array.ravel() if not isinstance(item, numbers.Real)})
        if kinds:
            raise TypeError(f"{name} must contain only numbers, but it contains {', '.join(kinds)}.")
        try:
            array = array.astype(np.float64)
        except OverflowError:  # a Python int beyond float64's range, such as 10**400
            raise ValueError(
                f"{name} contains a number too large for a float (the largest is about 1.8e308): "
                "every entry must be a finite number of ordinary size."
            ) from None
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must contain real numbers, but it contains complex numbers.")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must contain only numbers, but it has data type {array.dtype}.")
    array = array.astype(np.float64)  # always a copy: later changes to the caller's data cannot leak in
    _check_finite(array, name)
    return array


def check_finite_result(loss, grads: dict) -> None:
    """Refuse a loss (None: not computed) or gradients that overflowed to inf or NaN, in words."""
    if loss is not None and not np.isfinite(loss):
        raise ValueError(
            f"the loss is {loss}: the outputs or targets are too large for float64 arithmetic "
            "(squares above about 1e308). Scale the data down; nothing was changed."
        )
    for name in PARAM_NAMES:
        _check_finite(grads[name], f"the gradient of {name} (too large: the weights were not changed)")


def _ragged_difference(data) -> str:
    """Say how the entries of a ragged nested list differ: their shapes, or their lengths."""
    try:
        shapes = [np.shape(entry) for entry in data]
    except (TypeError, ValueError):
        return "its entries have different lengths. Every time step must have the same number of entries"
    first = shapes[0]
    index = next(i for i, shape in enumerate(shapes) if shape != first) if len(set(shapes)) > 1 else None
    if index is None:  # the difference is deeper inside; NumPy's own words are the best we have
        return "its entries have different lengths deeper inside. Every entry must have the same shape"
    sizes = {int(np.prod(shape)) for shape in shapes}
    kind = "different shapes" if len(sizes) == 1 else "different lengths"
    return (
        f"its entries have {kind}: entry 0 has shape {first} but entry {index} has shape {shapes[index]}. "
        "Every time step must have the same shape"
    )


def _check_finite(array: np.ndarray, name: str) -> None:
    """Raise ValueError naming the first NaN/inf entry of `array`."""
    bad = ~np.isfinite(array)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} value(s) that are NaN or infinite "
            f"(the first at index {where}: {array[where]}). Every entry must be a finite number."
        )


def as_sequence(data, size: int, name: str = "x") -> np.ndarray:
    """Read a sequence of T vectors of length `size` and return it as column vectors, shape (T, size, 1).

    Accepted, as in the source problem: a list of T vectors, an array (T, size),
    column vectors (T, size, 1), row vectors (T, 1, size), and a flat array (T,)
    when size is 1.
    """
    if isinstance(data, (list, tuple)) and _mixed_step_shapes(data):
        # The standard code reshapes each step to a column, so (I,), (I, 1) and (1, I) steps may be mixed.
        steps = [as_float_array(step, f"{name}[{t}]") for t, step in enumerate(data)]
        data = [step.reshape(-1) if step.size == size else step for step in steps]
    array = as_float_array(data, name)
    if array.ndim == 0:
        raise ValueError(
            f"{name} is a single number, but a sequence of time steps was expected: "
            f"an array of shape (T, {size})."
        )
    steps = array.shape[0]
    if steps == 0:
        raise ValueError(f"{name} is empty: a sequence needs at least one time step.")
    step_shape = array.shape[1:]
    if step_shape in ((), (1,), (1, 1)) and size == 1 or step_shape in ((size,), (size, 1), (1, size)):
        return array.reshape(steps, size, 1)
    given = int(np.prod(step_shape))
    message = (
        f"{name} has shape {array.shape}: {steps} time step(s) of shape {step_shape} "
        f"({given} number(s) each), but this model expects {size} number(s) per time step, "
        f"i.e. shape (T, {size})."
    )
    if step_shape == () and size > 1:
        message += f" If {name} is one time step, write {name}.reshape(1, -1)."
    elif array.ndim == 2 and array.shape[0] == size:
        message += f" It looks transposed: try {name}.T."
    raise ValueError(message)


def _mixed_step_shapes(data) -> bool:
    """Is `data` a list of steps whose shapes differ only by being rows, columns or flat?"""
    try:
        shapes = {np.shape(step) for step in data}
    except (TypeError, ValueError):
        return False
    return len(shapes) > 1 and all(len(shape) <= 2 and 1 in (shape + (1,))[:2] for shape in shapes)


def check_params(params: dict) -> tuple[int, int, int]:
    """Check that `params` holds W_xh, W_hh, W_hy, b_h, b_y with matching shapes; return (I, H, O)."""
    _check_names(params, "the parameters")
    for name in PARAM_NAMES:
        value = params[name]
        if type(value) is not np.ndarray or value.dtype.kind != "f" or value.ndim != 2:
            raise TypeError(
                f"{name} must be a 2-D NumPy float array (not np.matrix or a masked array), but it is "
                f"{type(value).__name__} {getattr(value, 'dtype', '')} {np.shape(value)}."
            )
    hidden_size, input_size = params["W_xh"].shape
    output_size = params["W_hy"].shape[0]
    rows = "1 row" if output_size == 1 else f"{output_size} rows"
    for name, shape in param_shapes(input_size, hidden_size, output_size).items():
        if params[name].shape != shape:
            raise ValueError(
                f"{name} has shape {params[name].shape}, but with W_xh of shape {params['W_xh'].shape} "
                f"(hidden_size={hidden_size}) and W_hy with {rows} (output_size={output_size}) "
                f"it must be {shape}."
            )
    for name in PARAM_NAMES:
        _check_finite(params[name], name)
    return input_size, hidden_size, output_size


def check_number(value, name: str, example, positive: bool = True) -> float:
    """A finite number > 0 (positive) or >= 0, as a float: TypeError for another type, ValueError for another
    value. Any real number type is accepted (Fraction(1, 100), np.float32, a 0-d NumPy array)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()  # np.array(0.01) is the number it holds
    sign = "positive" if positive else "non-negative"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        given = (
            f"an array of shape {value.shape} (a plain number, not an array)"
            if isinstance(value, np.ndarray)
            else f"{type(value).__name__} {value!r}"
        )
        raise TypeError(f"{name} must be a {sign} number such as {example}, but it is {given}.")
    try:
        number = float(value)
    except OverflowError:  # e.g. Fraction(10**400) or 10**400
        number = float("inf")
    if not np.isfinite(number) or number < 0 or (positive and number == 0):
        raise ValueError(f"{name} must be a {sign} finite number such as {example}, but it is {value}.")
    return number


def check_learning_rate(learning_rate) -> float:
    try:
        return check_number(learning_rate, "learning_rate", LEARNING_RATE)
    except ValueError as error:
        hint = "(To get the gradients without changing the weights, call rnn_core.gradients.)"
        raise ValueError(f"{error} {hint}") from None


def check_updatable(params: dict) -> None:
    """Refuse parameters that an in-place update cannot write, or that share memory (the standard code's
    in-place updates in turn would then add both gradients to the shared array)."""
    read_only = [name for name in PARAM_NAMES if not params[name].flags.writeable]
    if read_only:
        raise ValueError(
            f"{', '.join(read_only)} cannot be changed (a read-only NumPy array, e.g. after "
            "setflags(write=False) or from np.broadcast_to): no weight was updated. Give the model ordinary "
            f"arrays, e.g. model.{read_only[0]} = model.{read_only[0]}.copy()."
        )
    for i, first in enumerate(PARAM_NAMES):
        for second in (
            name for name in PARAM_NAMES[i + 1 :] if np.shares_memory(params[first], params[name])
        ):
            same = "the same array" if params[first] is params[second] else "views of the same memory"
            raise ValueError(
                f"{first} and {second} are {same}: give each its own, e.g. "
                f"model.{first} = model.{second}.copy(). No weight was updated."
            )


def check_gradients(grads, params: dict) -> dict:
    """Check that grads holds a finite float array of each parameter's shape; return them as float arrays."""
    _check_names(grads, "the gradients")
    checked = {name: as_float_array(grads[name], f"the gradient of {name}") for name in PARAM_NAMES}
    for name, shape in ((name, params[name].shape) for name in PARAM_NAMES):
        if checked[name].shape != shape:
            raise ValueError(
                f"the gradient of {name} has shape {checked[name].shape}, but {name} has shape {shape}: "
                "each gradient must have its parameter's shape."
            )
    return checked


def _check_names(values, what: str) -> None:
    """`values` must be a dict holding every name in PARAM_NAMES."""
    names = ", ".join(PARAM_NAMES)
    if not isinstance(values, Mapping):
        raise TypeError(f"{what} must be a dict of {names}, but they are {type(values).__name__}.")
    missing = [name for name in PARAM_NAMES if name not in values]
    if missing:
        raise KeyError(f"{what} are missing {', '.join(missing)}; expected all of {names}.")


def check_sizes(*sizes) -> tuple[int, int, int]:
    return tuple(check_size(v, n) for v, n in zip(sizes, ("input_size", "hidden_size", "output_size")))


def check_size(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number such as 3, but it is {type(value).__name__} {value!r}."
        )
    if value < 1:
        raise ValueError(f"{name} must be at least 1, but it is {value}.")
    return int(value)
