"""rnn_lab.train: what training adds to BPTT (notebooks 05-07).

Gradients as one vector (norm, cosine, clipping), truncated BPTT, and the plain SGD training loop. Everything
builds on rnn_core's batched `bptt` (rows are sequences, X is (T, B, I)). Truncation and clipping are options
of one function, `training_gradients`, which `train` calls for every update, so what notebook 06 measures is
exactly what notebooks 05 and 07 train with.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

import rnn_core
from rnn_core import LEARNING_RATE, PARAM_NAMES

# ---- gradients as one vector: norm, cosine, clipping ----------------------------------------


def flatten_gradients(grads: dict) -> np.ndarray:
    """All gradients as one long vector, in PARAM_NAMES order (what norms and cosines are taken of)."""
    return np.concatenate([np.ravel(grads[name]) for name in PARAM_NAMES])


def global_norm(grads: dict) -> float:
    """The Euclidean norm of all gradients together, as if they were one long vector."""
    return float(np.linalg.norm(flatten_gradients(grads)))


def cosine_similarity(grads_a: dict, grads_b: dict) -> float:
    """cos of the angle between two gradients (all parameters as one vector): 1 = same direction."""
    a, b = flatten_gradients(grads_a), flatten_gradients(grads_b)
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    return float(np.dot(a, b) / norms) if norms > 0 else 0.0


def relative_difference(grads: dict, reference: dict) -> float:
    """||grads - reference|| / ||reference||, all parameters as one vector (0 = identical)."""
    ref = flatten_gradients(reference)
    return float(np.linalg.norm(flatten_gradients(grads) - ref) / max(np.linalg.norm(ref), 1e-300))


CLIP_MODES = ("norm", "value")


def clip_gradients(grads: dict, threshold: float, mode: str = "norm") -> dict:
    """Return clipped copies of the gradients (the input is not changed).

    mode "norm"  (Pascanu et al. 2013; d2l): if the global norm g exceeds `threshold`, scale every
                 gradient by threshold / g. The direction is kept; small gradients are untouched.
    mode "value" (min-char-rnn's np.clip(d, -5, 5)): clip every entry to [-threshold, threshold].
                 Large entries are cut while small ones are kept, so the direction changes.
    """
    threshold = _check_clipping(threshold, mode)
    if mode == "norm":
        norm = global_norm(grads)
        factor = threshold / norm if norm > threshold else 1.0
        return {name: grads[name] * factor for name in PARAM_NAMES}
    return {name: np.clip(grads[name], -threshold, threshold) for name in PARAM_NAMES}


def _check_clipping(threshold, mode: str) -> float:
    """The threshold as a float (so Fraction(5) or 10**400 cannot reach np.clip), and a known mode."""
    threshold = rnn_core.check_number(threshold, "the clipping threshold", 5.0)
    if not isinstance(mode, str) or mode not in CLIP_MODES:
        raise ValueError(
            f"unknown clipping mode {mode!r}: choose 'norm' (keeps the direction) or 'value' (entry-wise)."
        )
    return threshold


def _check_clip_options(clip, clip_mode: str):
    """clip: None (no clipping) or a threshold; the mode is checked either way, so a typo is not ignored."""
    if clip is None:
        _check_clipping(1.0, clip_mode)
        return None
    return _check_clipping(clip, clip_mode)


# ---- truncated BPTT ------------------------------------------------------------------------


def _check_truncation(truncation) -> int | None:
    if truncation is None:
        return None
    if isinstance(truncation, bool) or not isinstance(truncation, numbers.Integral) or truncation < 1:
        raise ValueError(
            f"truncation must be None (full BPTT) or a whole number of steps >= 1, but it is {truncation!r}."
        )
    return int(truncation)


def _chunks(params, X, Y, truncation, h0=None):
    """Run bptt on consecutive chunks of `truncation` steps, carrying the hidden state forward.

    Yields (loss, grads, hiddens) per chunk. The forward pass is exactly the full one (each chunk starts
    from the last state of the previous chunk); only the backward pass stops at chunk boundaries.
    Only one chunk's activations, (k+1, B, H), are alive at a time: that is the memory truncation saves.
    """
    steps = X.shape[0]
    k = steps if truncation is None else min(truncation, steps)
    for start in range(0, steps, k):
        loss, grads, hiddens = rnn_core.bptt_with_states(
            params, X[start : start + k], Y[start : start + k], h0
        )
        h0 = hiddens[-1]  # (B, H) the start state of the next chunk
        yield loss, grads, hiddens


def truncated_bptt(params: dict, X, Y, truncation: int | None = None, h0=None):
    """Loss and gradients of a batch, with the backward pass cut every `truncation` steps.

    The sequence is split into chunks of k = truncation steps (the last may be shorter). Every chunk is
    run forward from where the previous one ended and then backpropagated inside itself only, so the
    gradient from a loss at time t reaches back to the start of t's chunk and no further (dh_next = 0 at
    each boundary). The chunk gradients are summed at fixed weights. truncation=None or >= T is full BPTT,
    identical to `bptt`.  X (T, B, I), Y (T, B, O), h0 (B, H) or None  ->  (loss, grads)
    """
    X, Y, h0 = rnn_core.check_batch(params, X, Y, h0)
    truncation = _check_truncation(truncation)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below, in words
        loss, grads = _truncated_bptt(params, X, Y, truncation, h0)
    rnn_core.check_finite_result(loss, grads)
    return loss, grads


def _truncated_bptt(params, X, Y, truncation, h0=None):
    total, summed = 0.0, None
    for loss, grads, _ in _chunks(params, X, Y, truncation, h0):
        total += loss
        summed = grads if summed is None else {name: summed[name] + grads[name] for name in PARAM_NAMES}
    return total, summed


def activation_cache_bytes(params: dict, X, truncation: int | None = None) -> int:
    """Bytes of hidden states held for the backward pass at one time, measured on the arrays themselves.

    Full BPTT keeps all T+1 states (T+1, B, H) in float64; truncation k keeps one chunk, (k+1, B, H).
    """
    input_size, _, output_size = rnn_core.check_params(params)
    X = rnn_core.as_batch(X, input_size, "X")
    Y = np.zeros(X.shape[:2] + (output_size,))
    return max(hiddens.nbytes for _, _, hiddens in _chunks(params, X, Y, _check_truncation(truncation)))


def training_gradients(
    params: dict, X, Y, truncation: int | None = None, clip: float | None = None, clip_mode: str = "norm"
):
    """The gradients one training update uses: (truncated) BPTT, averaged over the batch, then clipped.

    Averaging over the B sequences keeps the step size independent of the batch size: with B = 1
    an update with these gradients is exactly SimpleRNN.backward's.
    Returns (loss, grads, norm): loss summed over the batch, and the global norm before clipping.
    """
    X, Y, _ = rnn_core.check_batch(params, X, Y)
    clip = _check_clip_options(clip, clip_mode)
    truncation = _check_truncation(truncation)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below, in words
        loss, grads, norm = _training_gradients(params, X, Y, truncation, clip, clip_mode)
    rnn_core.check_finite_result(loss, grads)
    return loss, grads, norm


def _training_gradients(params, X, Y, truncation, clip, clip_mode):
    """training_gradients on checked arrays (train checks once, not at every update)."""
    loss, grads = _truncated_bptt(params, X, Y, truncation)
    batch = X.shape[1]
    grads = {name: grads[name] / batch for name in PARAM_NAMES}
    norm = global_norm(grads)
    if clip is not None:
        grads = clip_gradients(grads, clip, clip_mode)
    return loss, grads, norm


# ---- the training loop -------------------------------------------------------------------


@dataclass
class TrainingHistory:
    """What `train` recorded, one entry per epoch."""

    losses: list = field(default_factory=list)  # mean loss per sequence, 1/2 sum_t ||y_t - target_t||^2
    grad_norms: list = field(
        default_factory=list
    )  # largest global gradient norm seen in the epoch (before clipping)
    stopped: str = ""  # why training stopped early ("" if it ran every epoch)


def train(
    params: dict,
    X,
    Y,
    epochs: int,
    batch_size: int = 16,
    learning_rate: float = LEARNING_RATE,
    truncation: int | None = None,
    clip: float | None = None,
    clip_mode: str = "norm",
    callback=None,
) -> TrainingHistory:
    """Plain minibatch SGD on the sequences X (T, N, I) -> Y (T, N, O); changes `params` in place.

    Each epoch visits the N sequences in order, batch_size at a time; every update is
    params -= learning_rate * training_gradients(...). The loss recorded for an epoch is the mean per
    sequence over the epoch's batches. callback(epoch, history), if given, runs after every epoch
    (the live widgets draw from it). Training stops early, with a message in history.stopped, if the
    loss overflows (a too large learning rate), instead of filling the weights with NaN.
    """
    X, Y, _ = rnn_core.check_batch(params, X, Y)  # checks params too
    epochs, batch_size = rnn_core.check_size(epochs, "epochs"), rnn_core.check_size(batch_size, "batch_size")
    learning_rate = rnn_core.check_learning_rate(learning_rate)
    truncation = _check_truncation(truncation)
    clip = _check_clip_options(clip, clip_mode)  # a bad setting fails here, not in the middle of a run
    rnn_core.check_updatable(params)
    if callback is not None and not callable(callback):
        raise TypeError(
            "callback must be a function called as callback(epoch, history) after every epoch, or None, "
            f"but it is {type(callback).__name__} {callback!r}."
        )
    history = TrainingHistory()
    count = X.shape[1]
    # Contiguous copies of the batches, made once: BLAS reads them faster than strided views.
    batches = [
        (np.ascontiguousarray(X[:, s : s + batch_size]), np.ascontiguousarray(Y[:, s : s + batch_size]))
        for s in range(0, count, batch_size)
    ]
    for epoch in range(epochs):
        total, largest = 0.0, 0.0
        for X_batch, Y_batch in batches:
            with np.errstate(over="ignore", invalid="ignore"):  # reported below, in words
                loss, grads, norm = _training_gradients(params, X_batch, Y_batch, truncation, clip, clip_mode)
            if not (np.isfinite(loss) and np.isfinite(norm)):
                history.stopped = (
                    f"stopped in epoch {epoch + 1}: the loss or the gradients overflowed "
                    f"(learning rate {learning_rate:g} is too large for this task)"
                )
                return history
            overflowed = rnn_core.try_sgd_step(params, grads, learning_rate)  # all or nothing
            if overflowed is not None:
                history.stopped = (
                    f"stopped in epoch {epoch + 1}: the update would have made {overflowed} overflow "
                    f"(learning rate {learning_rate:g} is too large for this task); the weights are "
                    "those before that update"
                )
                return history
            total += loss
            largest = max(largest, norm)
        history.losses.append(total / count)
        history.grad_norms.append(largest)
        if callback is not None:
            callback(epoch, history)
    return history


# ---- starting weights ----------------------------------------------------------------------


def problem_init(input_size: int, hidden_size: int, output_size: int, seed: int = 0) -> dict:
    """The source problem's starting weights (N(0, 0.01^2), zero biases) as a params dict.

    Identical to SimpleRNN(input_size, hidden_size, output_size) after np.random.seed(seed), but drawn
    from a private generator, so the global np.random state is left alone.
    """
    draws = np.random.RandomState(seed)  # the legacy generator that np.random.seed(seed) sets
    return rnn_core.initial_params(input_size, hidden_size, output_size, draws.randn)
