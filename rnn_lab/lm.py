"""rnn_lab.lm: a character-level RNN language model, the chapter's RNN reading and writing text.

The network is rnn_core's tanh RNN. What changes is only what goes in and what comes out:

    in:   a character id c_t, i.e. the one-hot vector x_t = onehot(c_t) (V, 1)
    out:  y_t = W_hy h_t + b_y (V, 1), the scores of the V possible next characters;
          p_t = softmax(y_t) is the predicted distribution of c_{t+1}
    loss: L = sum_t -ln p_t[target_t]   (cross-entropy, natural log, summed over t and over sequences)

It reads top to bottom like a chapter:

    1. characters and one-hot vectors   one_hot, W_xh @ onehot(c) == W_xh[:, c] (rnn_lab.corpus.Vocabulary)
    2. softmax and cross-entropy        step_loss, output_gradient  (dL/dy_t = p_t - onehot(target_t))
    3. BPTT, one sequence               bptt_one_sequence: rnn_core's backward_step with the new dy
    4. BPTT, a batch, fast              bptt: the contract the tests, the benchmark and notebook 09 use
    5. truncated BPTT                   truncated_bptt (state carried or reset), truncation_bias
    6. using the model                  sample, read, perplexity, teacher_forcing_drift, sample_sentences
    7. training                         init_params, train (plain SGD or Adagrad, gradient-norm clipping)
    8. checking inputs                  clear errors, raised before any arithmetic

The text it learns (a grammar written here, its acceptance check, and a character n-gram baseline) is
in rnn_lab.corpus.

Shapes: T time steps, B sequences in a batch, V characters in the vocabulary, H hidden units.
Character ids are integer arrays (T, B): column b is sequence b. Hidden states in the public functions
are (H, B), columns are sequences, as in the chapter's column-vector equations (note: rnn_core.bptt's
h0 is (B, H); this module's is not). Inside the fast functions the hidden states are stored as rows,
(T+1, B, H), exactly as in rnn_core section 7, so that all T*B states are one (T*B, H) matrix.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np

import rnn_core
from rnn_lab.corpus import Vocabulary, check_ids, check_temperature
from rnn_lab.train import clip_gradients, cosine_similarity, global_norm, relative_difference

PARAM_NAMES = rnn_core.PARAM_NAMES  # W_xh, W_hh, W_hy, b_h, b_y: the same five parameters as the chapter's


# ---------------------------------------------------------------------------
# 1. Characters, ids and one-hot vectors
# ---------------------------------------------------------------------------


def one_hot(ids, vocab_size: int) -> np.ndarray:
    """The one-hot column vectors of character ids: (N,) ids -> (V, N), column n is onehot(ids[n]).

    onehot(c) is all zeros except a 1 at row c, so W_xh @ onehot(c) == W_xh[:, c]: multiplying by a
    one-hot vector just picks column c. The fast `bptt` therefore never builds one-hot vectors; it looks
    the columns up (see `input_drive`).
    """
    ids = np.ravel(check_ids(np.reshape(ids, (-1, 1)), vocab_size, "ids"))
    vectors = np.zeros((vocab_size, ids.size))
    vectors[ids, np.arange(ids.size)] = 1.0
    return vectors


def input_drive(params: dict, ids, out=None) -> np.ndarray:
    """W_xh x_t + b_h for one-hot inputs, by lookup: ids (N,) -> (N, H), row n = W_xh[:, ids[n]] + b_h.

    Row form (one row per step), as the fast bptt stores states. The table W_xh^T + b_h^T (V, H) holds
    the drive of every character; gathering rows of it replaces the (H, V) x (V, N) product.
    out: an (N, H) array to write into, or None for a new one.
    """
    table = params["W_xh"].T + params["b_h"].T  # (V, H): row c = (W_xh[:, c] + b_h)^T
    return np.take(table, ids, axis=0, out=out)


# ---------------------------------------------------------------------------
# 2. Softmax and cross-entropy
# ---------------------------------------------------------------------------


def softmax(y) -> np.ndarray:
    """p = exp(y) / sum(exp(y)) down each column.   y (V,) or (V, N) -> same shape.

    Subtracting the column's maximum first changes nothing mathematically (it cancels in the ratio)
    but keeps exp from overflowing for large scores.
    """
    y = np.asarray(y, dtype=float)
    e = np.exp(y - y.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def step_loss(y_t, target_t: int) -> float:
    """Cross-entropy of one step: -ln softmax(y_t)[target_t].   y_t (V, 1) scores, target_t an id -> float

    Computed as logsumexp(y_t) - y_t[target_t], which never takes the log of an underflowed 0.
    """
    y_t = np.ravel(np.asarray(y_t, dtype=float))
    top = y_t.max()
    return float(top + np.log(np.sum(np.exp(y_t - top))) - y_t[target_t])


def output_gradient(y_t, target_t: int) -> np.ndarray:
    """dL/dy_t = p_t - onehot(target_t) for L = -ln softmax(y_t)[target_t].   y_t (V, 1) -> (V, 1)

    This replaces the chapter's dy = y_t - target_t (squared error). Everything below the output layer,
    the whole backward recurrence, stays as it was: it only sees dy.
    """
    dy = softmax(np.asarray(y_t, dtype=float).reshape(-1, 1))
    dy[target_t] -= 1.0
    return dy


# ---------------------------------------------------------------------------
# 3. BPTT for one sequence, with the chapter's column vectors
# ---------------------------------------------------------------------------


def bptt_one_sequence(params: dict, inputs, targets, h0=None):
    """The language model's BPTT for one sequence, built from rnn_core's own step functions.

    inputs, targets: (T,) character ids;  h0: (H, 1) or None (zeros).  Returns (loss, grads, h_last (H, 1)).
    The forward pass is rnn_core.rnn_step with x_t = onehot(c_t); the backward pass is rnn_core's
    backward_step, called with the language model's dy = p_t - onehot(target_t). Nothing else differs
    from the chapter's BPTT. Slow (one column at a time); `bptt` computes the same numbers fast.
    """
    vocab_size, hidden_size = _check_lm_params(params)
    inputs = check_ids(np.reshape(inputs, (-1, 1)), vocab_size, "inputs")[:, 0]
    targets = check_ids(np.reshape(targets, (-1, 1)), vocab_size, "targets")[:, 0]
    _check_same_shape(inputs, targets)
    h = np.zeros((hidden_size, 1)) if h0 is None else _check_h0(h0, hidden_size, 1)
    xs = one_hot(inputs, vocab_size).T[:, :, None]  # (T, V, 1) one-hot columns
    hiddens, outputs, loss = [h], [], 0.0
    for x_t, target in zip(xs, targets):
        h = rnn_core.rnn_step(x_t, h, params["W_xh"], params["W_hh"], params["b_h"])  # (H, 1)
        y = rnn_core.output_step(h, params["W_hy"], params["b_y"])  # (V, 1)
        loss += step_loss(y, target)
        hiddens.append(h)
        outputs.append(y)
    grads = {name: np.zeros_like(params[name]) for name in PARAM_NAMES}
    dh_next = np.zeros((hidden_size, 1))
    for t in reversed(range(len(xs))):
        dy = output_gradient(outputs[t], targets[t])  # the only line that differs from rnn_core
        step = rnn_core.backward_step(
            dy, dh_next, xs[t], hiddens[t], hiddens[t + 1], params["W_hh"], params["W_hy"]
        )
        for name in PARAM_NAMES:
            grads[name] += getattr(step, "d" + name)
        dh_next = step.dh_prev
    return loss, grads, hiddens[-1]


# ---------------------------------------------------------------------------
# 4. BPTT for a batch, fast
#
# The same maths as section 3 for B sequences at once, in rnn_core section 7's row form: the states of
# all sequences at step t are the rows of a (B, H) matrix, so h_t = tanh(x_t W_xh^T + h_{t-1} W_hh^T + b_h^T).
# What does not depend on the previous step (input lookup, scores, softmax, weight gradients) is done for
# all T*B steps at once; only the two recurrences loop over t.
#
# Speed, and why it must not change a single bit. The matrix products are BLAS's work; the rest (tanh,
# softmax, the scatter-add, the sums) costs about a third of the call at V=65, H=128, T=25, B=64
# (benchmarks/bench_core.py --lm, which also prints the floor numpy allows: that work alone is more than
# 15% of the call even when done the fastest way numpy knows). Notebook 09's stored outputs
# depend on lm.bptt's numbers bit for bit: its training runs are chaotic (a different last bit in one
# gradient changes the third decimal of the loss after 2000 updates, and whether the unclipped run
# diverges), and its finite-difference check is close to its 1e-7 threshold. So a speed-up here may
# change how the work is done but not the order of any sum: no other layout for the softmax sums, no
# b_h gradient from dW_xh's columns (both measured faster, both change the rounding).
# ---------------------------------------------------------------------------


def bptt(params: dict, inputs, targets, h0=None):
    """Loss, gradients and last state of a batch of character sequences.

    params : W_xh (H, V), W_hh (H, H), b_h (H, 1), W_hy (V, H), b_y (V, 1)
    inputs, targets : integer arrays (T, B) of character ids in [0, V); usually targets[t] = inputs[t+1]
    h0 : (H, B) start state (column b is sequence b's), zeros when None
    Returns (loss, grads, h_last): loss = sum over t and b of -ln softmax(W_hy h_t + b_y)[targets[t, b]]
    (a float), grads a dict with the params' keys and shapes, h_last (H, B) the state after step T-1.
    """
    inputs, targets, h0_rows = _check_batch(params, inputs, targets, h0)
    loss, grads, h_last = _bptt(params, inputs, targets, h0_rows)
    return loss, grads, np.ascontiguousarray(h_last.T)  # (B, H) rows -> (H, B) columns


def _forward(params, inputs, h0_rows, hiddens=None):
    """The recurrence on checked ids (T, B); h0_rows (B, H) or None.  -> hiddens (T+1, B, H), row form.

    hiddens: an array (T+1, B, H) to write into (bptt passes a reused one, see `_scratch`), or None.
    """
    steps, batch = inputs.shape
    hidden_size = params["W_hh"].shape[0]
    if hiddens is None:
        hiddens = np.empty((steps + 1, batch, hidden_size))
    hiddens[0] = 0.0 if h0_rows is None else h0_rows
    # x_t W_xh^T + b_h^T for every step, looked up as in `input_drive`. mode="clip" because the ids are
    # already checked: with the default mode="raise", np.take copies `out` through a buffer to be able
    # to raise halfway (measured: 2.5 times as long, about 0.1 ms of the call).
    table = params["W_xh"].T + params["b_h"].T  # (V, H): row c = (W_xh[:, c] + b_h)^T
    drive = _scratch("drive", (steps * batch, hidden_size))
    np.take(table, inputs.ravel(), axis=0, out=drive, mode="clip")
    drive = drive.reshape(steps, batch, hidden_size)
    W_hh_T = params["W_hh"].T  # a view: BLAS reads it transposed for free
    for t in range(steps):
        h_t = hiddens[t + 1]  # (B, H), written in place
        np.dot(hiddens[t], W_hh_T, out=h_t)
        h_t += drive[t]
        np.tanh(h_t, out=h_t)
    return hiddens


_buffers = threading.local()  # per thread: name -> an array bptt reuses from call to call


def _scratch(name: str, shape: tuple) -> np.ndarray:
    """An uninitialised float array of `shape` that is kept and handed out again on the next call.

    Only for arrays that never leave bptt. Why: a fresh array of a megabyte or more is new memory for
    the operating system, and touching it page by page costs more time than bptt's arithmetic on it
    (measured: the forward pass took twice as long with fresh arrays). Per thread, so that two threads
    calling bptt at once do not share them.
    """
    store = _buffers.__dict__
    array = store.get(name)
    if array is None or array.shape != shape:
        array = store[name] = np.empty(shape)
    return array


def _softmax_cross_entropy(scores, targets):
    """Loss and dL/dscores for all steps at once, in place.

    scores (N, V) rows y_n^T (overwritten by the gradient), targets (N,) ids  ->  loss (float), dy (N, V)
    dy = softmax(y) - onehot(target) row by row, as `output_gradient` does for one column.
    """
    rows = np.arange(len(targets))
    scores -= scores.max(axis=1, keepdims=True)  # stable: every row's largest score becomes 0
    target_scores = scores[rows, targets]  # y[target] - max, a copy taken before exp overwrites scores
    np.exp(scores, out=scores)
    totals = scores.sum(axis=1)
    loss = float(np.sum(np.log(totals)) - np.sum(target_scores))  # sum_n logsumexp(y_n) - y_n[target_n]
    scores *= (1.0 / totals)[:, None]  # probabilities p_n (one division per row, then multiplications)
    scores[rows, targets] -= 1.0  # p_n - onehot(target_n)
    return loss, scores


def _backward_through_time(dh, hiddens, W_hh):
    """The backward recurrence, exactly the loop of rnn_core.bptt_with_states, in place.

    dh (T, B, H): on entry the part of dL/dh_t that comes from the output at t (dy_t W_hy); on exit
    dh_raw_t = (1 - h_t^2) * (dy_t W_hy + dh_next), the gradient at the pre-activation. hiddens (T+1, B, H).
    It does not know which loss produced dy: squared error or cross-entropy, the loop is the same.
    Returns dh_next after step 0: the gradient that reaches the start state h0, (B, H).
    """
    steps = dh.shape[0]
    slope = np.multiply(hiddens[1:], hiddens[1:], out=_scratch("slope", dh.shape))
    np.subtract(1.0, slope, out=slope)  # (T, B, H)  tanh' = 1 - h_t^2, for all steps at once
    dh_next = np.zeros(dh.shape[1:])  # (B, H) nothing comes back from after the last step
    for t in reversed(range(steps)):
        dh[t] += dh_next  # dh = dy W_hy + dh_next: h_t feeds y_t and h_{t+1}
        dh[t] *= slope[t]  # dh_raw = (1 - h_t^2) * dh
        np.dot(dh[t], W_hh, out=dh_next)  # (B, H)  row form of W_hh^T dh_raw
    return dh_next


def _bptt(params, inputs, targets, h0_rows=None):
    """bptt on checked arrays.  -> (loss, grads, h_last (B, H) rows, a fresh array)."""
    steps, batch = inputs.shape
    hidden_size, vocab_size = params["W_xh"].shape
    count = steps * batch  # N = T*B steps of all sequences
    hiddens = _forward(params, inputs, h0_rows, _scratch("hiddens", (steps + 1, batch, hidden_size)))
    states = hiddens[1:].reshape(count, hidden_size)  # (T*B, H)  h_t as rows
    previous = hiddens[:-1].reshape(count, hidden_size)  # (T*B, H)  h_{t-1}

    # Output layer: scores, softmax and cross-entropy for all T*B steps in one go.
    scores = np.dot(states, params["W_hy"].T, out=_scratch("scores", (count, vocab_size)))  # (T*B, V)
    scores += params["b_y"].T
    loss, dy = _softmax_cross_entropy(scores, targets.ravel())  # dy (T*B, V) = p - onehot(target)

    grads = {"W_hy": np.dot(dy.T, states), "b_y": dy.sum(axis=0)[:, None]}  # (V, H), (V, 1)
    # From here on the backward pass is the chapter's: it only needs dy.
    dh = np.dot(dy, params["W_hy"], out=_scratch("dh", (count, hidden_size)))  # (T*B, H)  dy_t W_hy
    _backward_through_time(dh.reshape(steps, batch, hidden_size), hiddens, params["W_hh"])
    dh_raw = dh  # (T*B, H) now (1 - h_t^2) * (dy_t W_hy + dh_next) for every step
    grads["W_hh"] = np.dot(dh_raw.T, previous)  # (H, H)
    grads["b_h"] = dh_raw.sum(axis=0)[:, None]  # (H, 1)
    grads["W_xh"] = _input_weight_gradient(dh_raw, inputs.ravel(), vocab_size)  # (H, V)
    return loss, {name: grads[name] for name in PARAM_NAMES}, hiddens[-1].copy()


def _input_weight_gradient(dh_raw, ids, vocab_size):
    """dW_xh = sum over steps n of dh_raw_n onehot(ids[n])^T, without building the one-hot matrix.

    Column c of dW_xh is the sum of dh_raw_n over the steps n whose input was character c: a scatter-add.
    Sorting the steps by their input character puts each character's steps in one run of rows, and
    np.add.reduceat sums every run in one pass. (Measured at V=65, H=128, T*B=1600: the one-hot product,
    2*T*B*H*V flops, takes about twice as long, and np.add.at about four times.)
    dh_raw (N, H), ids (N,)  ->  (H, V)
    """
    # The steps, grouped by input character. Sorting the ids as the smallest integer type that holds
    # them (uint8 for V <= 256) lets numpy's stable sort use a radix sort (measured: 4 times as fast).
    order = np.argsort(ids.astype(np.min_scalar_type(vocab_size - 1)), kind="stable")
    counts = np.bincount(ids, minlength=vocab_size)  # (V,) how many steps read each character
    seen = np.flatnonzero(counts)  # the characters that occur, in sorted order: one run each
    run_starts = (np.cumsum(counts) - counts)[seen]  # where each seen character's run begins
    grouped = _scratch("grouped", dh_raw.shape)
    np.take(dh_raw, order, axis=0, out=grouped, mode="clip")  # rows in sorted order; "clip": see _forward
    gradient = np.zeros((vocab_size, dh_raw.shape[1]))  # (V, H): characters never seen get 0
    gradient[seen] = np.add.reduceat(grouped, run_starts, axis=0)  # one sum per run
    return np.ascontiguousarray(gradient.T)


def sequence_loss(params: dict, inputs, targets, h0=None) -> float:
    """The loss of `bptt` from the forward pass alone (no gradients): for finite differences and scoring."""
    inputs, targets, h0_rows = _check_batch(params, inputs, targets, h0)
    return _loss(params, inputs, targets, h0_rows)[0]


def _loss(params, inputs, targets, h0_rows=None):
    """-> (loss, hiddens) on checked arrays."""
    hiddens = _forward(params, inputs, h0_rows)
    states = hiddens[1:].reshape(-1, hiddens.shape[2])
    scores = np.dot(states, params["W_hy"].T) + params["b_y"].T
    return _softmax_cross_entropy(scores, targets.ravel())[0], hiddens


def numerical_gradients(params: dict, inputs, targets, h0=None, eps: float = 1e-5) -> dict:
    """dL/dp for every entry of every parameter by centred differences, on copies (params are not changed)."""
    inputs, targets, h0_rows = _check_batch(params, inputs, targets, h0)
    work = {name: params[name].copy() for name in PARAM_NAMES}
    numeric = {}
    for name in PARAM_NAMES:
        array, grad = work[name], np.zeros_like(work[name])
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + eps
            plus = _loss(work, inputs, targets, h0_rows)[0]
            array[index] = saved - eps
            minus = _loss(work, inputs, targets, h0_rows)[0]
            array[index] = saved
            grad[index] = (plus - minus) / (2 * eps)
        numeric[name] = grad
    return numeric


# ---------------------------------------------------------------------------
# 5. Truncated BPTT
# ---------------------------------------------------------------------------


def truncated_bptt(params: dict, inputs, targets, truncation: int, h0=None, carry_state: bool = True):
    """BPTT cut into chunks of `truncation` steps; the chunk gradients are summed at fixed weights.

    carry_state=True (as min-char-rnn trains): each chunk starts from the state the previous chunk ended
    in, so the forward pass is the full one and only the backward pass stops at the chunk boundaries.
    carry_state=False: every chunk starts from h0 again, as if the chunks were unrelated texts; the
    forward pass changes too, and the model never sees more than `truncation` characters of context.
    inputs, targets (T, B), h0 (H, B) or None  ->  (loss, grads, h_last (H, B)).  truncation >= T is `bptt`.
    """
    inputs, targets, h0_rows = _check_batch(params, inputs, targets, h0)
    truncation = rnn_core.check_size(truncation, "truncation")
    loss, grads, h_last = _truncated_bptt(params, inputs, targets, truncation, h0_rows, carry_state)
    return loss, grads, np.ascontiguousarray(h_last.T)


def _truncated_bptt(params, inputs, targets, truncation, h0_rows, carry_state):
    total, summed, state = 0.0, None, h0_rows
    for start in range(0, len(inputs), truncation):
        chunk = slice(start, start + truncation)
        loss, grads, h_last = _bptt(params, inputs[chunk], targets[chunk], state)
        total += loss
        summed = grads if summed is None else {name: summed[name] + grads[name] for name in PARAM_NAMES}
        if carry_state:
            state = h_last  # (B, H) the next chunk starts where this one ended
    return total, summed, h_last


@dataclass
class TruncationBias:
    """How far truncated gradients are from full BPTT's on the same text and weights."""

    truncation: int
    cosine: float  # cos of the angle between the two gradients (all parameters as one vector): 1 = same
    relative_difference: float  # ||g_truncated - g_full|| / ||g_full||: 0 = identical
    per_parameter: dict  # name -> relative difference of that parameter's gradient


def truncation_bias(
    params: dict, inputs, targets, truncation: int, carry_state: bool = True
) -> TruncationBias:
    """Compare truncated BPTT with full BPTT on the same batch (T, B) of text, from h0 = 0."""
    inputs, targets, _ = _check_batch(params, inputs, targets, None)
    truncation = rnn_core.check_size(truncation, "truncation")
    _, full, _ = _bptt(params, inputs, targets)
    _, cut, _ = _truncated_bptt(params, inputs, targets, truncation, None, carry_state)
    per_parameter = {
        name: float(np.linalg.norm(cut[name] - full[name]) / max(np.linalg.norm(full[name]), 1e-300))
        for name in PARAM_NAMES
    }
    return TruncationBias(
        truncation, cosine_similarity(cut, full), relative_difference(cut, full), per_parameter
    )


# ---------------------------------------------------------------------------
# 6. Using the model: sampling, perplexity, teacher forcing against free running
# ---------------------------------------------------------------------------


def sample(params: dict, prime, length: int, temperature: float = 1.0, seed: int = 0, h0=None) -> np.ndarray:
    """Let the model write: read `prime`, then draw `length` characters, each fed back as the next input.

    prime: ids (P,) or (P, B), P >= 1 (B texts written side by side); h0 (H, B) or None.
    temperature: the scores are divided by it before the softmax; 1 samples the model's distribution,
    below 1 sharpens it (towards always taking the most likely character), above 1 flattens it.
    Returns the drawn ids, (length, B), or (length,) for a 1-D prime. Deterministic under `seed`.
    """
    return _sample(params, prime, length, temperature, seed, h0)[0]


def _sample(params, prime, length, temperature, seed, h0):
    """sample, also returning the hidden states (length, B, H) from which each drawn character was drawn."""
    vocab_size, hidden_size = _check_lm_params(params)
    flat = np.ndim(prime) == 1
    prime = check_ids(np.reshape(prime, (-1, 1)) if flat else prime, vocab_size, "prime")
    length, temperature = rnn_core.check_size(length, "length"), check_temperature(temperature)
    h0_rows = None if h0 is None else _check_h0(h0, hidden_size, prime.shape[1]).T
    rng = np.random.default_rng(seed)
    h = _forward(params, prime, h0_rows)[-1]  # (B, H) the state after reading the prime
    table = params["W_xh"].T + params["b_h"].T  # (V, H) the input drive of every character, as in bptt
    drawn, states = np.empty((length, prime.shape[1]), dtype=np.intp), []
    for t in range(length):
        states.append(h)
        scores = (h @ params["W_hy"].T + params["b_y"].T) / temperature  # (B, V)
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        cumulative = np.cumsum(p, axis=1)
        # Inverse-CDF draw: the first character whose cumulative probability exceeds u * total.
        u = rng.random(len(p))[:, None] * cumulative[:, -1:]
        char = np.minimum((cumulative <= u).sum(axis=1), vocab_size - 1)
        drawn[t] = char
        h = np.tanh(table[char] + h @ params["W_hh"].T)  # (B, H) read the drawn character: the next state
    return (drawn[:, 0] if flat else drawn), np.array(states)


@dataclass
class Reading:
    """What the model computes while it reads one text ids (N,), character by character (teacher forcing).

    states[t]         h_t (H,), the state after reading ids[t]
    probabilities[t]  p_t = softmax(W_hy h_t + b_y) (V,), its prediction of the character after ids[t]
    next_probability[t] = probabilities[t][ids[t+1]] for t = 0 .. N-2: the probability it gave the
                      character that actually came next (-ln of it is that step's cross-entropy)
    """

    states: np.ndarray  # (N, H)
    probabilities: np.ndarray  # (N, V)
    next_probability: np.ndarray  # (N-1,)


def read(params: dict, ids, h0=None) -> Reading:
    """Run the model over the text ids (N,) from h0 ((H, 1), zeros when None) and keep what it computes."""
    vocab_size, hidden_size = _check_lm_params(params)
    ids = check_ids(np.reshape(ids, (-1, 1)), vocab_size, "ids")
    h0_rows = None if h0 is None else _check_h0(h0, hidden_size, 1).T
    states = _forward(params, ids, h0_rows)[1:, 0, :]  # (N, H)
    probabilities = softmax(params["W_hy"] @ states.T + params["b_y"]).T  # (N, V)
    chosen = probabilities[np.arange(len(ids) - 1), ids[1:, 0]]  # (N-1,)
    return Reading(states, probabilities, chosen)


def perplexity(params: dict, ids, h0=None) -> float:
    """exp(mean cross-entropy per character) of predicting ids[1:] from the characters before them.

    ids (N,) one text, or (N, B) B texts. A model that knows nothing (uniform p = 1/V) has perplexity
    exactly V: as uncertain as a fair V-sided die. Lower is better; 1 would be certain and always right.
    """
    ids = np.asarray(ids)
    ids = ids.reshape(-1, 1) if ids.ndim == 1 else ids
    if len(ids) < 2:
        raise ValueError(f"perplexity needs a text of at least 2 characters, but it got {len(ids)}.")
    loss = sequence_loss(params, ids[:-1], ids[1:], h0)
    return float(np.exp(loss / ids[1:].size))


@dataclass
class DriftReport:
    """Teacher forcing against free running, per position j = 0 .. horizon-1 after a true prefix.

    teacher_loss[j]: mean -ln p(true char) when the model has read the true text up to there
    free_loss[j]: mean -ln p(true char) when, after the prefix, the model has read its own samples instead
    state_distance[j]: mean ||h_free - h_true|| between the two runs' hidden states
    """

    teacher_loss: np.ndarray  # (horizon,)
    free_loss: np.ndarray  # (horizon,)
    state_distance: np.ndarray  # (horizon,)


def teacher_forcing_drift(
    params: dict, ids, prefix: int, horizon: int, windows: int = 64, seed: int = 0, temperature: float = 1.0
) -> DriftReport:
    """How the model drifts from the text when it is fed its own samples (free running) instead of the truth.

    Training always feeds the true previous character (teacher forcing); when it writes, the model feeds
    itself. From `windows` evenly spaced places in the text ids (N,), both runs read the same `prefix`
    true characters; then one reads the true text and the other its own samples for `horizon` steps,
    and both are scored on the true text.
    """
    vocab_size, hidden_size = _check_lm_params(params)
    ids = check_ids(np.reshape(ids, (-1, 1)), vocab_size, "ids")[:, 0]
    prefix, horizon, windows = (
        rnn_core.check_size(v, n) for v, n in ((prefix, "prefix"), (horizon, "horizon"), (windows, "windows"))
    )
    span = prefix + horizon
    if len(ids) < span + windows - 1:
        raise ValueError(
            f"the text has {len(ids)} characters, too few for {windows} windows of "
            f"prefix + horizon = {span} characters."
        )
    starts = np.linspace(0, len(ids) - span, windows).astype(np.intp)
    text = ids[starts[None, :] + np.arange(span)[:, None]]  # (span, windows), column = one window
    targets = text[prefix:]  # (horizon, windows): the true characters both runs are scored on
    # Teacher forcing: read the true window; hiddens[j] is the state after reading text[j-1], which
    # predicts text[j].
    true_states = _forward(params, text[:-1], None)[prefix:]  # (horizon, windows, H)
    # Free running: read the true prefix, then the model's own samples; states[j] predicts position prefix+j.
    _, free_states = _sample(params, text[:prefix], horizon, temperature, seed, None)
    return DriftReport(
        teacher_loss=_per_step_loss(params, true_states, targets),
        free_loss=_per_step_loss(params, free_states, targets),
        state_distance=np.linalg.norm(free_states - true_states, axis=2).mean(axis=1),
    )


def _per_step_loss(params, states, targets):
    """states (J, B, H), targets (J, B) -> (J,) mean over b of -ln softmax(W_hy h + b_y)[target]."""
    scores = states @ params["W_hy"].T + params["b_y"].T  # (J, B, V)
    top = scores.max(axis=2, keepdims=True)
    log_totals = np.log(np.exp(scores - top).sum(axis=2)) + top[..., 0]
    chosen = np.take_along_axis(scores, targets[..., None], axis=2)[..., 0]
    return (log_totals - chosen).mean(axis=1)


def sample_sentences(
    params: dict,
    vocab: Vocabulary,
    count: int,
    seed: int = 0,
    temperature: float = 1.0,
    streams: int = 16,
    stream_length: int = 400,
) -> list:
    """`count` sentences the model writes, as strings without their newlines. Deterministic under seed.

    The model writes `streams` long texts side by side, starting from h = 0 after a newline, and the
    sentences between newlines are cut out. The first sentence of every text is dropped: in training the
    state at a sentence start is the one the previous sentence left, never 0, so the first sentence from
    h = 0 is not what the model would write in the middle of a text. If too few sentences come out,
    more texts are written (with the next seed), up to 100 rounds.
    """
    count = rnn_core.check_size(count, "count")
    newline, sentences = vocab.ids["\n"], []
    for round_seed in range(seed, seed + 100):
        drawn = sample(params, np.full((1, streams), newline), stream_length, temperature, round_seed)
        for b in range(streams):
            sentences += vocab.decode(drawn[:, b]).split("\n")[1:-1]  # complete sentences after the first
        if len(sentences) >= count:
            break
    return sentences[:count]


# ---------------------------------------------------------------------------
# 7. Training
# ---------------------------------------------------------------------------


def init_params(vocab_size: int, hidden_size: int, seed: int = 0, scale: float = 0.01) -> dict:
    """Starting weights as in min-char-rnn and the chapter: N(0, scale^2), zero biases; own generator."""
    rng = np.random.default_rng(seed)
    vocab_size, hidden_size = (
        rnn_core.check_size(vocab_size, "vocab_size"),
        rnn_core.check_size(hidden_size, "hidden_size"),
    )
    shapes = rnn_core.param_shapes(vocab_size, hidden_size, vocab_size)  # input and output size are both V
    return {
        name: scale * rng.standard_normal(shape) if name.startswith("W") else np.zeros(shape)
        for name, shape in shapes.items()
    }


@dataclass
class TrainingLog:
    """What `train` recorded, one entry per update."""

    losses: list = field(default_factory=list)  # mean cross-entropy per character (nats) of the chunk
    grad_norms: list = field(default_factory=list)  # global gradient norm BEFORE clipping
    seconds: float = 0.0  # wall time spent
    stopped: str = ""  # why training stopped ("" if it did every update it was asked for)


OPTIMIZERS = ("adagrad", "sgd")


def train(
    params: dict,
    ids,
    updates: int = 1000,
    steps: int = 25,
    batch: int = 32,
    learning_rate: float = 1.0,
    optimizer: str = "sgd",
    clip: float | None = 1.0,
    seconds: float | None = None,
    callback=None,
    carry_state: bool = True,
) -> TrainingLog:
    """Train on the text `ids` (N,) with truncated BPTT, the state carried across chunks; changes params.

    The text is cut into `batch` equally long streams read side by side (column b starts at b N/batch).
    Every update reads the next `steps` characters of every stream, starting from the state the previous
    update ended in (min-char-rnn's h_prev), and backpropagates inside the chunk only. At the end of the
    streams it starts again from the beginning with h = 0.

    The gradient is the mean over the chunk's T*B characters (so the step does not grow with T or B);
    its global norm is recorded, then clipped to `clip`. optimizer:
      "sgd" (default)  p -= lr * g, the chapter's plain gradient descent. rnn_core.LEARNING_RATE = 0.01 is
                 the regression tasks' rate for gradients summed over a sequence; the mean gradient per
                 character here is about T = 25 times smaller, and 0.01 would barely move in 20 s. With
                 learning_rate 1.0 and norm clipping at 1.0 (the recorded norms are mostly 0.2-0.4 but
                 spike past 3 early on; with clipping at 5 instead, the same rate diverged when measured)
                 samples of the grammar corpus are mostly grammatical after 20 s on one core (H = 64,
                 B = 32).
      "adagrad"  min-char-rnn's p -= lr * g / sqrt(sum of past g^2 + 1e-8): every weight gets its own step
                 size. Measured as good as SGD here (learning_rate 0.05); offered to compare with
                 min-char-rnn.
    updates: how many updates at most; seconds: stop earlier once this much wall time has passed (for a
    live demo; the result then depends on the machine's speed, unlike a fixed number of updates).
    callback(update, log), if given, runs after every update.
    carry_state=False starts every chunk from h = 0 instead (the chunks are read as unrelated texts): the
    model then never sees more than `steps` characters of context, in training.
    """
    vocab_size, hidden_size = _check_lm_params(params)
    ids = check_ids(np.reshape(ids, (-1, 1)), vocab_size, "ids")[:, 0]
    updates, steps, batch = (
        rnn_core.check_size(v, n) for v, n in ((updates, "updates"), (steps, "steps"), (batch, "batch"))
    )
    learning_rate = rnn_core.check_learning_rate(learning_rate)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}: choose 'adagrad' or 'sgd'.")
    if clip is not None:
        clip_gradients({name: np.zeros(1) for name in PARAM_NAMES}, clip)  # checks the threshold, in words
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function (or None), but it is {type(callback).__name__}.")
    if seconds is not None:
        seconds = rnn_core.check_number(seconds, "seconds", 20)
    rnn_core.check_updatable(params)  # read-only or shared arrays: refused before any update
    length = (len(ids) - 1) // batch  # characters per stream
    if length < 1:
        raise ValueError(f"the text has {len(ids)} characters: too short for {batch} streams.")
    streams = np.ascontiguousarray(ids[: batch * length].reshape(batch, length).T)  # (length, B) inputs
    next_chars = np.ascontiguousarray(ids[1 : batch * length + 1].reshape(batch, length).T)  # (length, B)
    memory = {name: np.zeros_like(params[name]) for name in PARAM_NAMES}  # Adagrad's sum of squares
    log, state, position, start = TrainingLog(), None, 0, time.perf_counter()
    for update in range(updates):
        if position >= length:
            position, state = 0, None  # back to the start of the text: the carried state is meaningless
        if not carry_state:
            state = None  # every chunk from h = 0
        chunk = slice(position, position + steps)
        loss, grads, state = _bptt(params, streams[chunk], next_chars[chunk], state)  # state: (B, H)
        position += steps
        characters = streams[chunk].size
        grads = {name: grads[name] / characters for name in PARAM_NAMES}
        norm = global_norm(grads)
        if not np.isfinite(norm):
            log.stopped = f"stopped at update {update}: the gradients overflowed (learning rate too large?)"
            break
        if clip is not None:
            grads = clip_gradients(grads, clip)
        # All five parameters change together or not at all (rnn_core.try_sgd_step): an update that would
        # overflow stops training with the weights as they were before it.
        if optimizer == "adagrad":
            for name in PARAM_NAMES:
                memory[name] += grads[name] * grads[name]
            step = {name: learning_rate * grads[name] / np.sqrt(memory[name] + 1e-8) for name in PARAM_NAMES}
            overflowed = rnn_core.try_sgd_step(params, step, 1.0)
        else:
            overflowed = rnn_core.try_sgd_step(params, grads, learning_rate)
        if overflowed is not None:
            log.stopped = (
                f"stopped at update {update}: the update would have made {overflowed} overflow "
                "(learning rate too large?); the weights are those before that update"
            )
            break
        log.losses.append(loss / characters)
        log.grad_norms.append(norm)
        log.seconds = time.perf_counter() - start
        if callback is not None:
            callback(update, log)
        if seconds is not None and log.seconds >= seconds:
            log.stopped = f"stopped after {update + 1} updates: the time limit of {seconds:g} s was reached"
            break
    return log


# ---------------------------------------------------------------------------
# 8. Checking inputs
#
# Every public function checks what it is given before any arithmetic, and says in words what it
# expected and what it got. Nothing is changed when a check fails.
# ---------------------------------------------------------------------------


def _check_lm_params(params) -> tuple[int, int]:
    """rnn_core's parameter checks, plus: inputs and outputs are the same V characters. -> (V, H)"""
    if not isinstance(params, dict):
        raise TypeError(
            f"params must be a dict of W_xh, W_hh, W_hy, b_h, b_y, but it is {type(params).__name__}."
        )
    input_size, hidden_size, output_size = rnn_core.check_params(params)
    if input_size != output_size:
        raise ValueError(
            f"W_xh has {input_size} columns but W_hy has {output_size} rows: a language model reads and "
            f"predicts the same characters, so both must equal the vocabulary size V."
        )
    return input_size, hidden_size


def _check_same_shape(inputs, targets):
    if inputs.shape != targets.shape:
        raise ValueError(
            f"targets has shape {targets.shape} but inputs has shape {inputs.shape}: there must be "
            f"one target (the next character) for every input character."
        )


def _check_h0(h0, hidden_size: int, batch: int) -> np.ndarray:
    """The start state as a float (H, B) array (a copy), or a readable error."""
    h0 = rnn_core.as_float_array(h0, "h0")
    if h0.shape != (hidden_size, batch):
        hint = " It looks transposed: try h0.T." if h0.shape == (batch, hidden_size) else ""
        raise ValueError(
            f"h0 has shape {h0.shape}, but the start state of {batch} sequence(s) with {hidden_size} "
            f"hidden units must have shape (H, B) = ({hidden_size}, {batch}).{hint}"
        )
    return h0


def _check_batch(params, inputs, targets, h0):
    """Check everything bptt receives. -> (inputs, targets, h0 as (B, H) rows or None)."""
    vocab_size, hidden_size = _check_lm_params(params)
    inputs = check_ids(inputs, vocab_size, "inputs")
    targets = check_ids(targets, vocab_size, "targets")
    _check_same_shape(inputs, targets)
    h0_rows = None if h0 is None else _check_h0(h0, hidden_size, inputs.shape[1]).T
    return inputs, targets, h0_rows
