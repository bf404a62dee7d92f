"""rnn_lab.gated: the LSTM, derived like the vanilla RNN of rnn_core (notebook 10).

It reads top to bottom like a chapter:

    1. parameters          shapes from one place, a seeded init with a forget-gate bias
    2. one step            the cell's equations forward, and its local gradients backward
    3. batched forward     h, c and the four gates for every step (for plots and checks)
    4. batched BPTT        lstm_bptt: loss and all gradients of a batch, fast
    5. checking inputs     clear errors before any arithmetic, as in rnn_core

What it helps with, buys and costs (gradients against lag, the echo memory sweep stored in
gated_results.json, parameters and time per step) is measured in rnn_lab.memory, sections 6-8.

The cell (column vectors, as in rnn_core; sigma is the logistic function 1 / (1 + e^-a)):

    a_t = W_x x_t + W_h h_{t-1} + b                    (4H, 1), four blocks of H rows: i, f, g, o
    i_t = sigma(a_i)   input gate:  how much of the candidate to write
    f_t = sigma(a_f)   forget gate: how much of the old cell to keep
    g_t = tanh(a_g)    candidate:   what to write
    o_t = sigma(a_o)   output gate: how much of the cell to show
    c_t = f_t * c_{t-1} + i_t * g_t                    the cell: an element-wise, gated running sum
    h_t = o_t * tanh(c_t)                              the hidden state, read out as y_t = W_hy h_t + b_y

The gate order i, f, g, o is PyTorch's (torch.nn.LSTM's weight_ih_l0 has the same layout as W_x).
Shapes use rnn_core's letters: T time steps, B sequences, I inputs, H hidden units, O outputs.
"""

from __future__ import annotations

import numbers
import threading
from dataclasses import dataclass, field

import numpy as np

# rnn_core's input checks, so that bad input gets the same words here as there.
from rnn_core import as_batch, as_float_array, check_size

PARAM_NAMES = ("W_x", "W_h", "b", "W_hy", "b_y")
GATE_NAMES = ("i", "f", "g", "o")  # the order of the four blocks of rows in W_x, W_h and b


# ---------------------------------------------------------------------------
# 1. Parameters
# ---------------------------------------------------------------------------


def lstm_shapes(input_size: int, hidden_size: int, output_size: int) -> dict:
    """The shape of every parameter: the one place that defines them.

    W_x (4H, I), W_h (4H, H), b (4H, 1): the four gates stacked, blocks i, f, g, o of H rows each;
    W_hy (O, H), b_y (O, 1): the linear read-out, as in the vanilla RNN.
    """
    gates = 4 * hidden_size
    return {
        "W_x": (gates, input_size),
        "W_h": (gates, hidden_size),
        "b": (gates, 1),
        "W_hy": (output_size, hidden_size),
        "b_y": (output_size, 1),
    }


def gate_rows(gate: str, hidden_size: int) -> slice:
    """The rows of W_x, W_h and b (or columns of a batch of pre-activations) that belong to one gate."""
    k = GATE_NAMES.index(gate)
    return slice(k * hidden_size, (k + 1) * hidden_size)


def lstm_init(
    input_size: int,
    hidden_size: int,
    output_size: int,
    forget_bias: float = 1.0,
    scale: float | None = None,
    seed: int = 0,
) -> dict:
    """Seeded starting weights: every weight uniform in [-scale, scale], biases 0 except b_f = forget_bias.

    scale defaults to 1/sqrt(H), PyTorch's choice for nn.LSTM. forget_bias = 1 (Gers et al. 2000;
    Jozefowicz et al. 2015) starts the forget gate at sigma(1) = 0.73 instead of sigma(0) = 0.5, so the
    cell keeps more of its past from the first update on; section 6 and 7 measure what that buys.
    Uses its own generator: np.random's global state is left alone.
    """
    sizes = [
        check_size(s, n)
        for s, n in ((input_size, "input_size"), (hidden_size, "hidden_size"), (output_size, "output_size"))
    ]
    forget_bias = _check_real(forget_bias, "forget_bias", "1.0")
    scale = 1.0 / np.sqrt(sizes[1]) if scale is None else _check_real(scale, "scale", "0.1")
    rng = np.random.default_rng(seed)
    params = {}
    for name, shape in lstm_shapes(*sizes).items():
        is_bias = name.startswith("b")
        params[name] = np.zeros(shape) if is_bias else rng.uniform(-scale, scale, size=shape)
    params["b"][gate_rows("f", sizes[1])] = forget_bias
    return params


def random_lstm_params(
    input_size: int, hidden_size: int, output_size: int, scale: float = 0.5, seed: int = 0
) -> dict:
    """Random parameters, biases too, N(0, scale^2), from a seeded generator, for checks.

    Like rnn_core.random_params; scale 3 or more saturates most gates."""
    rng = np.random.default_rng(seed)
    return {
        name: scale * rng.standard_normal(shape)
        for name, shape in lstm_shapes(input_size, hidden_size, output_size).items()
    }


def parameter_count(params: dict) -> int:
    """How many numbers the model learns: the sum of the sizes of its parameter arrays."""
    return int(sum(np.size(value) for value in params.values()))


def lstm_parameter_count(input_size: int, hidden_size: int, output_size: int) -> int:
    """4H(I + H + 1) + O(H + 1): four vanilla-sized gate layers plus the read-out."""
    return 4 * hidden_size * (input_size + hidden_size + 1) + output_size * (hidden_size + 1)


def vanilla_parameter_count(input_size: int, hidden_size: int, output_size: int) -> int:
    """H(I + H + 1) + O(H + 1): the tanh RNN of rnn_core."""
    return hidden_size * (input_size + hidden_size + 1) + output_size * (hidden_size + 1)


# ---------------------------------------------------------------------------
# 2. One step forward and one step backward (column vectors, for teaching)
# ---------------------------------------------------------------------------


def sigmoid(a):
    """The logistic function 1 / (1 + e^-a), computed as (1 + tanh(a/2)) / 2.

    The two are equal; the tanh form never overflows (e^-a does for a < -709 and numpy warns).
    """
    return 0.5 + 0.5 * np.tanh(0.5 * a)


@dataclass
class LSTMStep:
    """What one step of the cell computes; every entry is (H, 1)."""

    i: np.ndarray  # input gate
    f: np.ndarray  # forget gate
    g: np.ndarray  # candidate
    o: np.ndarray  # output gate
    c: np.ndarray  # cell c_t
    h: np.ndarray  # hidden state h_t


def lstm_step(x_t, h_prev, c_prev, W_x, W_h, b) -> LSTMStep:
    """One step of the cell.

    x_t (I, 1), h_prev (H, 1), c_prev (H, 1), W_x (4H, I), W_h (4H, H), b (4H, 1)  ->  LSTMStep
    """
    hidden_size = h_prev.shape[0]
    a = np.dot(W_x, x_t) + np.dot(W_h, h_prev) + b  # (4H, 1) all four pre-activations at once
    block = {gate: a[gate_rows(gate, hidden_size)] for gate in GATE_NAMES}  # (H, 1) each
    i, f, o = sigmoid(block["i"]), sigmoid(block["f"]), sigmoid(block["o"])  # in (0, 1): gates
    g = np.tanh(block["g"])  # in (-1, 1): a value to write
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return LSTMStep(i, f, g, o, c, h)


@dataclass
class LSTMStepGradients:
    """What one step t of BPTT computes, named like rnn_core.StepGradients (column vectors / matrices)."""

    dh: np.ndarray  # (H, 1)   dL/dh_t = W_hy^T dy + dh_next
    dc: np.ndarray  # (H, 1)   dL/dc_t = dc_next + dh * o * (1 - tanh(c_t)^2)
    da: np.ndarray  # (4H, 1)  dL/da_t, the pre-activations, blocks i, f, g, o (vanilla: dh_raw)
    dh_prev: np.ndarray  # (H, 1)   W_h^T da: flows back to h_{t-1} (the next step's dh_next)
    dc_prev: np.ndarray  # (H, 1)   f * dc: flows back to c_{t-1} (the next step's dc_next)
    dW_x: np.ndarray  # (4H, I)  contribution of step t
    dW_h: np.ndarray  # (4H, H)
    db: np.ndarray  # (4H, 1)
    dW_hy: np.ndarray  # (O, H)
    db_y: np.ndarray  # (O, 1)


def lstm_backward_step(
    dy, dh_next, dc_next, x_t, h_prev, c_prev, step: LSTMStep, W_h, W_hy
) -> LSTMStepGradients:
    """Backpropagate through step t of the cell.

    dy (O, 1) = y_t - target_t;  dh_next, dc_next (H, 1): the gradients reaching h_t and c_t from step t+1;
    x_t (I, 1), h_prev, c_prev (H, 1): what entered step t;  step: its LSTMStep;  W_h (4H, H), W_hy (O, H).
    """
    tanh_c = np.tanh(step.c)
    dh = np.dot(W_hy.T, dy) + dh_next  # h_t feeds y_t and step t+1
    # c_t reaches the loss through h_t = o * tanh(c_t) and, unchanged but for f, through c_{t+1}.
    dc = dc_next + dh * step.o * (1 - tanh_c**2)
    # Each gate's local gradient times its nonlinearity's slope: sigma' = s(1 - s), tanh' = 1 - g^2.
    da_i = dc * step.g * step.i * (1 - step.i)  # c_t = ... + i * g
    da_f = dc * c_prev * step.f * (1 - step.f)  # c_t = f * c_{t-1} + ...
    da_g = dc * step.i * (1 - step.g**2)
    da_o = dh * tanh_c * step.o * (1 - step.o)  # h_t = o * tanh(c_t)
    da = np.concatenate([da_i, da_f, da_g, da_o])  # (4H, 1), in the order of GATE_NAMES
    return LSTMStepGradients(
        dh=dh,
        dc=dc,
        da=da,
        dh_prev=np.dot(W_h.T, da),
        dc_prev=step.f * dc,  # the cell path: one step back multiplies by f, nothing else
        dW_x=np.dot(da, x_t.T),
        dW_h=np.dot(da, h_prev.T),
        db=da,
        dW_hy=np.dot(dy, step.h.T),
        db_y=dy,
    )


def lstm_sequence_gradients(params: dict, xs, ys):
    """Loss and gradients of one sequence by the per-step functions above, the slow way (for checks).

    xs (T, I, 1), ys (T, O, 1) column vectors.  Returns (loss, grads) like lstm_bptt with B = 1.
    """
    hidden_size = params["W_h"].shape[1]
    h, c = np.zeros((hidden_size, 1)), np.zeros((hidden_size, 1))
    states, steps, outputs = [(h, c)], [], []
    for x_t in xs:
        step = lstm_step(x_t, h, c, params["W_x"], params["W_h"], params["b"])
        h, c = step.h, step.c
        states.append((h, c))
        steps.append(step)
        outputs.append(np.dot(params["W_hy"], h) + params["b_y"])
    loss = 0.5 * sum(float(np.sum((y - target) ** 2)) for y, target in zip(outputs, ys))
    grads = {name: np.zeros_like(params[name]) for name in PARAM_NAMES}
    dh_next, dc_next = np.zeros((hidden_size, 1)), np.zeros((hidden_size, 1))
    for t in reversed(range(len(xs))):
        h_prev, c_prev = states[t]
        local = lstm_backward_step(
            outputs[t] - ys[t],
            dh_next,
            dc_next,
            xs[t],
            h_prev,
            c_prev,
            steps[t],
            params["W_h"],
            params["W_hy"],
        )
        for name in PARAM_NAMES:
            grads[name] += getattr(local, "d" + name)
        dh_next, dc_next = local.dh_prev, local.dc_prev
    return loss, grads


# ---------------------------------------------------------------------------
# 3. Batched forward, in column layout
#
# rnn_core's batched code keeps one sequence per ROW: h is (B, H). Here every state and gate is kept
# with one sequence per COLUMN, h_t as (H, B), so that a step's pre-activations
#     a_t = W_x x_t + W_h h_{t-1} + b                      (4H, B): four blocks of H rows
# come out of one matrix product with each gate as one contiguous (H, B) block of memory.
# (With rows, (B, 4H), the gates interleave within every row, and NumPy's element-wise work on
# such strided (B, H) slices was measured 2-4x slower than on contiguous blocks: that work, not the
# matrix products, was the cost.) More speed-ups, all exact:
#  * one product per step: a_t = [W_h  W_x  b] [h_{t-1}; x_t; 1], the bias being the weight of an input
#    that is always 1. The stacked inputs of all steps live in one array, `inputs` (H + I + 1, T+1, B),
#    into which each step writes its h_t, so nothing is copied or added between the steps. (Measured at
#    I=65, H=128, T=25, B=64: the input part as one large product before the loop, W_x X^T, is no faster
#    than its share of the per-step product, but adding its columns to each step's product, strided
#    through a (4H, T*B) array, took 1.6 ms per call.)
#  * sigma(a) = (1 + tanh(a/2)) / 2, so with the i, f, o rows of the weights halved once per call, ONE
#    tanh over all 4H rows gives g and the three gates up to a final "* 0.5 + 0.5";
#  * the rows are reordered once to i, f, o, g, so those three gates are one contiguous block.
# The results are handed out in rnn_core's row layout, (T, B, H), as transposed views.
# ---------------------------------------------------------------------------

_FAST_ORDER = ("i", "f", "o", "g")  # the forward pass's internal row order: sigmoid gates first


def _fast_weights(params: dict, allocate=None) -> np.ndarray:
    """[W_h  W_x  b] (4H, H + I + 1), rows in the order i, f, o, g and the sigmoid rows halved.

    Written block by block into one array (allocate(name, shape), np.empty by default): one pass over
    the weights, where concatenating, reordering and scaling made three copies (measured 0.24 -> 0.13 ms
    per call).
    """
    hidden_size, input_size = params["W_h"].shape[1], params["W_x"].shape[1]
    stacked = (allocate or _fresh)("weights", (4 * hidden_size, hidden_size + input_size + 1))
    columns = {"W_h": slice(0, hidden_size), "W_x": slice(hidden_size, -1), "b": slice(-1, None)}
    for k, gate in enumerate(_FAST_ORDER):
        rows = slice(k * hidden_size, (k + 1) * hidden_size)
        scale = 1.0 if gate == "g" else 0.5  # sigma(a) needs tanh(a / 2)
        for name, part in columns.items():
            np.multiply(params[name][gate_rows(gate, hidden_size)], scale, out=stacked[rows, part])
    return stacked


@dataclass
class _Columns:
    """The forward pass in column layout (one contiguous (rows, B) block per step for the gates and c)."""

    gates: np.ndarray  # (T, 4H, B)  i, f, o, g at every step (rows in _FAST_ORDER)
    inputs: np.ndarray  # (H + I + 1, T+1, B)  column t: [h_{t-1}; x_t; 1], step t's right factor
    c: np.ndarray  # (T+1, H, B)  c[0] the start state, c[t+1] = c_t
    tanh_c: np.ndarray  # (T, H, B)  tanh(c_t)

    @property
    def h(self) -> np.ndarray:
        """(H, T+1, B) view: h[:, 0] the start state, h[:, t+1] = h_t."""
        return self.inputs[: self.c.shape[1]]

    def gate(self, name: str) -> np.ndarray:
        """(T, H, B) view of one gate, each step's block contiguous."""
        k, H = _FAST_ORDER.index(name), self.c.shape[1]
        return self.gates[:, k * H : (k + 1) * H]


def _fresh(name: str, shape: tuple) -> np.ndarray:
    """A new uninitialised float array (`name` is ignored): for arrays handed out to the caller."""
    return np.empty(shape)


_buffers = threading.local()  # per thread: name -> an array lstm_bptt reuses from call to call


def _scratch(name: str, shape: tuple) -> np.ndarray:
    """An uninitialised float array of `shape` that is kept and handed out again on the next call.

    Only for arrays that never leave lstm_bptt. Why: a fresh array of a megabyte or more is new memory for
    the operating system, and its first touch costs a page fault per 4 KB page (measured: about 2800 faults,
    11 MB, per call at I=65, H=128, T=25, B=64, and 43.5 -> 35.6 ms per call with reused arrays). As in
    rnn_lab.lm; per thread, so that two threads calling lstm_bptt at once do not share them.
    """
    store = _buffers.__dict__
    array = store.get(name)
    if array is None or array.shape != shape:
        array = store[name] = np.empty(shape)
    return array


def _forward_columns(params, X, h0=None, c0=None, allocate=_fresh) -> _Columns:
    """Run the cell over X (T, B, I) (checked), from h0, c0 (B, H) or zero.

    allocate(name, shape) makes every array: _fresh for results the caller keeps, _scratch for lstm_bptt,
    whose arrays never leave it."""
    steps, batch, input_size = X.shape
    H = params["W_h"].shape[1]
    weights = _fast_weights(params, allocate)  # (4H, H + I + 1)
    inputs = allocate("inputs", (H + input_size + 1, steps + 1, batch))
    inputs[:H, 0] = 0.0 if h0 is None else h0.T
    inputs[H:-1, :steps] = X.transpose(2, 0, 1)  # x_t as columns, (I, T, B)
    inputs[H:-1, steps] = 0.0  # column T only holds h_T: no step reads its x part
    inputs[-1] = 1.0  # the constant input whose weights are b
    gates = allocate("gates", (steps, 4 * H, batch))
    c = allocate("c", (steps + 1, H, batch))
    c[0] = 0.0 if c0 is None else c0.T
    tanh_c = allocate("tanh_c", (steps, H, batch))
    written = allocate("written", (H, batch))  # (H, B) i * g, reused every step
    for t in range(steps):
        a = gates[t]  # (4H, B): the pre-activations, then (in place) the gates
        if t > 0 or h0 is not None:
            np.dot(weights, inputs[:, t], out=a)  # [W_h W_x b] [h_{t-1}; x_t; 1]
        else:  # from the zero start state the recurrent part is zero: skip its columns
            np.dot(weights[:, H:], inputs[H:, 0], out=a)
        np.tanh(a, out=a)
        sigmoid_gates = a[: 3 * H]  # i, f, o: one contiguous block
        sigmoid_gates *= 0.5
        sigmoid_gates += 0.5  # sigma(a) = (1 + tanh(a/2)) / 2
        i, f, o, g = a[:H], a[H : 2 * H], a[2 * H : 3 * H], a[3 * H :]  # (H, B) each, contiguous
        np.multiply(f, c[t], out=c[t + 1])
        np.multiply(i, g, out=written)
        c[t + 1] += written  # c_t = f * c_{t-1} + i * g
        np.tanh(c[t + 1], out=tanh_c[t])
        np.multiply(o, tanh_c[t], out=inputs[:H, t + 1])  # h_t = o * tanh(c_t), the next step's input
    return _Columns(gates, inputs, c, tanh_c)


def _rows(columns: np.ndarray) -> np.ndarray:
    """(T, n, B) in column layout -> (T, B, n), rnn_core's row layout, as a view (no copy)."""
    return columns.transpose(0, 2, 1)


@dataclass
class LSTMForward:
    """Everything a batched forward pass computes.  Time runs along axis 0.

    h, c: (T+1, B, H), with h[0], c[0] the start states (zero unless given), h[t+1] = h_t;
    i, f, g, o: (T, B, H), the gates and candidate at every step;  outputs: (T, B, O), y_t = W_hy h_t + b_y.
    (The arrays are views of the column-layout buffers of the computation, so not C-contiguous.)
    """

    h: np.ndarray
    c: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    outputs: np.ndarray
    tanh_c: np.ndarray = field(repr=False)  # (T, B, H)  tanh(c_t)


def lstm_forward(params: dict, X, h0=None, c0=None) -> LSTMForward:
    """Run the LSTM over a batch X (T, B, I) from h0, c0 (B, H) each (zero by default)."""
    input_size, hidden_size, _ = check_lstm_params(params)
    X = as_batch(X, input_size, "X")
    h0 = _check_state(h0, "h0", X.shape[1], hidden_size)
    c0 = _check_state(c0, "c0", X.shape[1], hidden_size)
    return _lstm_forward(params, X, h0, c0)


def _lstm_forward(params, X, h0=None, c0=None) -> LSTMForward:
    steps, batch, _ = X.shape
    cols = _forward_columns(params, X, h0, c0)
    states = _states(cols, 1, steps + 1)  # (H, T*B)  h_1 .. h_T
    outputs = np.dot(params["W_hy"], states)  # (O, T*B)
    outputs += params["b_y"]
    outputs = _rows(outputs.reshape(-1, steps, batch).transpose(1, 0, 2))  # (T, B, O)
    gates = {name: _rows(cols.gate(name)) for name in GATE_NAMES}
    h = cols.h.transpose(1, 2, 0)  # (T+1, B, H)
    return LSTMForward(h, _rows(cols.c), **gates, outputs=outputs, tanh_c=_rows(cols.tanh_c))


def _states(cols: _Columns, first: int, stop: int) -> np.ndarray:
    """h_{first-1} .. h_{stop-2}, i.e. columns first .. stop-1 of cols.h, as one (H, (stop-first)*B) matrix.

    A view, not a copy (tests/test_gated.py checks it): within `inputs` the B columns of consecutive steps
    are adjacent in memory, so the T and B axes merge into one."""
    block = cols.h[:, first:stop]  # (H, stop - first, B)
    return block.reshape(block.shape[0], -1)


# ---------------------------------------------------------------------------
# 4. Batched BPTT
# ---------------------------------------------------------------------------


def lstm_bptt(params: dict, X, Y):
    """Loss and gradients summed over a batch of sequences, from h_0 = c_0 = 0.

    params: W_x (4H, I), W_h (4H, H), b (4H, 1) (gate blocks i, f, g, o), W_hy (O, H), b_y (O, 1).
    X (T, B, I) inputs, Y (T, B, O) targets.  Returns (loss, grads): loss = 1/2 * sum over t, b of
    ||W_hy h_t + b_y - Y[t, b]||^2 (a float); grads: the parameters' names, arrays of their shapes.
    """
    X, Y = _check_batch(params, X, Y)
    return _lstm_bptt(params, X, Y)


_CHUNK_STEPS = 5  # steps per weight-gradient product in _lstm_bptt (measured: 2 to 8 differ by noise)


def _lstm_bptt(params, X, Y):
    """lstm_bptt on checked arrays, in column layout: dh, dc (H, B) and da (4H, B) per step."""
    steps, batch, input_size = X.shape
    H = params["W_h"].shape[1]
    cols = _forward_columns(params, X, allocate=_scratch)
    states = _states(cols, 1, steps + 1)  # (H, T*B)  h_1 .. h_T, column t*B + b: step t, sequence b
    d_outputs = np.dot(states.T, params["W_hy"].T, out=_scratch("d_outputs", (steps * batch, Y.shape[2])))
    d_outputs += params["b_y"].T  # (T*B, O)  y_t as rows, like Y
    d_outputs -= Y.reshape(steps * batch, -1)  # dy = y - target, for every t and b, in place
    loss = 0.5 * float(np.vdot(d_outputs, d_outputs))
    grads = {"W_hy": np.dot(d_outputs.T, states.T), "b_y": d_outputs.sum(axis=0)[:, None]}

    # dL/da of every step, blocks i, f, g, o (params' order), enters the weight gradients as the left factor
    # of da (4H, n*B) [h_{t-1}; x_t; 1]^T over n steps at a time. Why chunks of n steps and not all T at once:
    # a (4H, T, B) array of all steps is written one strided (4H, B) block per step, each of its 512 rows on
    # another memory page, and such writes to memory that is not in the cache were measured at 1.5-2 ms per
    # call (I=65, H=128, T=25, B=64); a chunk of _CHUNK_STEPS steps stays in the cache, and the few larger
    # products cost no more than one.
    chunk = _scratch("da_chunk", (4 * H, min(_CHUNK_STEPS, steps), batch))  # (4H, n, B)
    weight_grads = _scratch("weight_grads", (4 * H, H + input_size + 1))  # d[W_h W_x b], summed over chunks
    weight_grads[...] = 0.0
    # dL/dh_t = W_h^T da_{t+1} + W_hy^T dy_t (h_t feeds step t+1 and y_t) in ONE product per step:
    # [W_h^T  W_hy^T] [da_{t+1}; dy_t]. Each step writes its da_t into the upper block, where the next step
    # (t-1) finds it, and copies dy_t into the lower one. (It replaces a separate product W_hy^T dy for all
    # steps and the per-step addition of its strided (H, B) block.)
    back_weights = np.concatenate([params["W_h"].T, params["W_hy"].T], axis=1)  # (H, 4H + O)
    stacked = _scratch("da_and_dy", (4 * H + Y.shape[2], batch))
    da_t, dy_t = stacked[: 4 * H], stacked[4 * H :]  # (4H, B), (O, B): contiguous blocks
    dc = np.zeros((H, batch))  # dc_next from after the last step is 0; becomes dc_t, then dc_{t-1}
    dh = _scratch("dh", (H, batch))
    scratch = _scratch("sigmoid_slopes", (3 * H, batch)), _scratch("scratch", (H, batch))
    for t in reversed(range(steps)):
        dy_t[...] = d_outputs[t * batch : (t + 1) * batch].T
        if t < steps - 1:
            np.dot(back_weights, stacked, out=dh)  # dh = W_h^T da_{t+1} + W_hy^T dy_t
        else:  # nothing comes back from after the last step
            np.dot(back_weights[:, 4 * H :], dy_t, out=dh)
        _backward_step(dh, dc, cols.gates[t], cols.c[t], cols.tanh_c[t], da_t, scratch)
        first = t - t % _CHUNK_STEPS  # the chunk's first step
        chunk[:, t - first] = da_t
        if t == first:  # the chunk is complete: steps first .. first + n - 1
            count = min(_CHUNK_STEPS, steps - first)
            _add_weight_gradients(
                weight_grads, chunk[:, :count], cols.inputs[:, first : first + count], H, first == 0
            )
    grads["W_h"] = np.ascontiguousarray(weight_grads[:, :H])
    grads["W_x"] = np.ascontiguousarray(weight_grads[:, H:-1])
    grads["b"] = np.ascontiguousarray(weight_grads[:, -1:])
    return loss, {name: grads[name] for name in PARAM_NAMES}


def _backward_step(dh, dc, gates, c_prev, tanh_c, da, scratch) -> None:
    """One step of the backward recurrence, in place, from the step's forward values.

    dh (H, B) = dL/dh_t;  dc (H, B): on entry dc_next (from step t+1), on exit dc_prev = f * dc_t (for t-1);
    gates (4H, B): i, f, o, g of the step (rows in _FAST_ORDER);  c_prev = c_{t-1}, tanh_c = tanh(c_t) (H, B);
    da (4H, B): receives dL/da_t, blocks i, f, g, o (the params' order);  scratch: (3H, B) and (H, B) arrays.
      dc   = dc_next + dh * o (1 - tanh(c_t)^2)
      da_i = dc * g i(1 - i),  da_f = dc * c_{t-1} f(1 - f),  da_g = dc * i (1 - g^2)
      da_o = dh * tanh(c_t) o(1 - o)
    The slopes are computed here, not in the forward pass: stored for all steps they were 8 MB more
    written and read back per call (I=65, H=128, T=25, B=64), measured slower than redoing them here,
    where this step's gates, c_{t-1} and tanh(c_t) are read anyway.
    """
    H = dh.shape[0]
    i, f, o, g = gates[:H], gates[H : 2 * H], gates[2 * H : 3 * H], gates[3 * H :]
    sigmoid_slopes, work = scratch
    np.subtract(1.0, gates[: 3 * H], out=sigmoid_slopes)
    sigmoid_slopes *= gates[: 3 * H]  # sigma' = s(1 - s) for i, f, o at once (one contiguous block)
    np.multiply(tanh_c, tanh_c, out=work)
    np.subtract(1.0, work, out=work)
    work *= o
    work *= dh
    dc += work  # dc = dc_next + dh * o * tanh'(c_t)
    da_i, da_f, da_g, da_o = da[:H], da[H : 2 * H], da[2 * H : 3 * H], da[3 * H :]
    np.multiply(dh, tanh_c, out=da_o)
    da_o *= sigmoid_slopes[2 * H :]
    np.multiply(dc, g, out=da_i)
    da_i *= sigmoid_slopes[:H]
    np.multiply(dc, c_prev, out=da_f)
    da_f *= sigmoid_slopes[H : 2 * H]
    np.multiply(g, g, out=da_g)
    np.subtract(1.0, da_g, out=da_g)
    da_g *= i
    da_g *= dc
    dc *= f  # dc_prev = f * dc: the cell path


def _add_weight_gradients(total, da, inputs, hidden_size: int, from_start: bool) -> None:
    """total (4H, H + I + 1) += sum over a chunk of n steps of da_t [h_{t-1}; x_t; 1]^T, in one product.

    da (4H, n, B): the steps' dL/da;  inputs (H + I + 1, n, B): the right factors of their forward products.
    from_start: the chunk begins at step 0, whose h_{-1} = 0 contributes nothing, so the h part skips it.
    """
    H, batch = hidden_size, da.shape[2]
    left, right = da.reshape(da.shape[0], -1), inputs.reshape(inputs.shape[0], -1)  # (4H, n*B), (H+I+1, n*B)
    if from_start:
        h_part = np.dot(left[:, batch:], right[:H, batch:].T, out=_scratch("h_part", (left.shape[0], H)))
        total[:, :H] += h_part
        rest = np.dot(left, right[H:].T, out=_scratch("rest_part", (left.shape[0], right.shape[0] - H)))
        total[:, H:] += rest
    else:
        total += np.dot(left, right.T, out=_scratch("chunk_part", total.shape))


# ---------------------------------------------------------------------------
# 5. Checking inputs: the same rules and messages as rnn_core section 8
# ---------------------------------------------------------------------------


def check_lstm_params(params: dict) -> tuple[int, int, int]:
    """Check that params holds W_x, W_h, b, W_hy, b_y with matching shapes; return (I, H, O)."""
    if not isinstance(params, dict):
        raise TypeError(
            f"params must be a dict of the arrays {', '.join(PARAM_NAMES)}, "
            f"but it is {type(params).__name__}."
        )
    missing = [name for name in PARAM_NAMES if name not in params]
    if missing:
        raise KeyError(
            f"the LSTM parameters are missing {', '.join(missing)}; expected all of {', '.join(PARAM_NAMES)}."
        )
    for name in PARAM_NAMES:
        value = params[name]
        if not isinstance(value, np.ndarray) or value.dtype.kind != "f" or value.ndim != 2:
            raise TypeError(
                f"{name} must be a 2-D NumPy float array, but it is "
                f"{type(value).__name__} {getattr(value, 'dtype', '')} {np.shape(value)}."
            )
    rows, input_size = params["W_x"].shape
    if rows % 4:
        raise ValueError(
            f"W_x has {rows} rows, but an LSTM's W_x stacks four gates (i, f, g, o) of H rows each, "
            f"so its number of rows must be 4 * hidden_size (a multiple of 4)."
        )
    hidden_size, output_size = rows // 4, params["W_hy"].shape[0]
    expected = lstm_shapes(input_size, hidden_size, output_size)
    for name, shape in expected.items():
        if params[name].shape != shape:
            raise ValueError(
                f"{name} has shape {params[name].shape}, but with W_x of shape {params['W_x'].shape} "
                f"(hidden_size={hidden_size}, 4 gates) and W_hy with {output_size} rows it must be {shape}."
            )
    for name in PARAM_NAMES:
        if not np.isfinite(params[name]).all():
            as_float_array(params[name], name)  # raises rnn_core's error, naming the first NaN or inf
    return input_size, hidden_size, output_size


def _check_batch(params, X, Y):
    input_size, _, output_size = check_lstm_params(params)
    X = as_batch(X, input_size, "X")
    Y = as_batch(Y, output_size, "Y")
    if Y.shape[:2] != X.shape[:2]:
        raise ValueError(f"Y has shape {Y.shape} but X has shape {X.shape}: they must agree in T and B.")
    return X, Y


def _check_state(state, name: str, batch: int, hidden_size: int):
    """None (start from zero) or a start state as a float (B, H) array."""
    if state is None:
        return None
    state = as_float_array(state, name)
    if state.shape != (batch, hidden_size):
        raise ValueError(
            f"{name} has shape {state.shape}, but the start state of {batch} sequence(s) with "
            f"hidden_size={hidden_size} must have shape ({batch}, {hidden_size})."
        )
    return state


def _check_real(value, name: str, example: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = type(value).__name__
        raise TypeError(f"{name} must be a number such as {example}, but it is {kind} {value!r}.")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number such as {example}, but it is {value}.")
    return float(value)
