"""rnn_lab.tasks: the sequence tasks the notebooks train on, and the worked examples of 01-04.

Every generator is seeded and returns float64 arrays in rnn_core.bptt's layout: X (T, B, I), Y (T, B, O),
rows are sequences. The worked examples return single sequences (params, x (T, I)[, y (T, O)]) for the
column-vector functions of rnn_core.
"""

from __future__ import annotations

import numbers

import numpy as np

import rnn_core

TASK_NAMES = ("sine", "echo", "sum")  # the sequence tasks of `make_task`


def _sizes_for_task(steps, batch) -> tuple[int, int]:
    return rnn_core.check_size(steps, "steps"), rnn_core.check_size(batch, "batch")


def _check_delay(delay, steps: int | None = None) -> None:
    """ValueError unless delay is a whole number of steps >= 0 (not a bool), and < steps when given."""
    whole = not isinstance(delay, bool) and isinstance(delay, numbers.Integral)
    if steps is None and not (whole and delay >= 0):
        raise ValueError(f"delay must be a whole number of steps (0 or more), but it is {delay!r}.")
    if steps is not None and not (whole and 0 <= delay < steps):
        raise ValueError(
            f"delay must be a whole number of steps from 0 to {steps - 1} (the sequences have {steps} "
            f"steps, and only the steps t >= delay are scored), but it is {delay!r}."
        )


def sine_task(steps: int, batch: int, noise: float = 0.05, seed: int = 0):
    """Next-step prediction of a noisy sine wave: the target at t is the input at t+1.

    Each sequence has its own period (10 to 30 steps) and phase. Returns X, Y of shape (T, B, 1).
    The noise cannot be predicted, so the loss cannot go below about 1/2 * noise^2 per step.
    """
    steps, batch = _sizes_for_task(steps, batch)
    noise = rnn_core.check_number(noise, "noise", 0.05, positive=False)  # NaN noise would make NaN data
    rng = np.random.default_rng(seed)
    omega = 2 * np.pi / rng.uniform(10, 30, size=batch)  # (B,)  angular frequency, radians per step
    phase = rng.uniform(0, 2 * np.pi, size=batch)  # (B,)
    time = np.arange(steps + 1)[:, None]  # (T+1, 1)
    wave = np.sin(omega * time + phase) + noise * rng.standard_normal((steps + 1, batch))  # (T+1, B)
    return wave[:-1, :, None], wave[1:, :, None]


def echo_task(steps: int, batch: int, delay: int = 2, seed: int = 0):
    """Delayed echo: the inputs are random bits -1/+1; the target at t is the input at t - delay (0 before).

    The network must keep each bit in its hidden state for `delay` steps. Returns X, Y of shape (T, B, 1).
    """
    steps, batch = _sizes_for_task(steps, batch)
    _check_delay(delay)
    rng = np.random.default_rng(seed)
    X = rng.choice([-1.0, 1.0], size=(steps, batch, 1))  # (T, B, 1)
    Y = np.zeros_like(X)
    if delay < steps:
        Y[delay:] = X[: steps - delay]
    return X, Y


def running_sum_task(steps: int, batch: int, scale: float = 0.5, seed: int = 0):
    """Running sum: the inputs are uniform in [-scale, scale]; the target at t is x_0 + x_1 + ... + x_t.

    The network must accumulate every input it has seen. Returns X, Y of shape (T, B, 1).
    The targets grow like sqrt(t), and so do the gradients: from about T = 30 on, plain SGD at the
    learning rate 0.01 needs gradient clipping to make progress (notebook 06).
    """
    steps, batch = _sizes_for_task(steps, batch)
    scale = rnn_core.check_number(scale, "scale", 0.5, positive=False)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-scale, scale, size=(steps, batch, 1))  # (T, B, 1)
    return X, np.cumsum(X, axis=0)


def make_task(name: str, steps: int, batch: int, seed: int = 0, **options):
    """X (T, B, 1), Y (T, B, 1) of the task `name` ("sine", "echo" or "sum"); options go to its generator."""
    makers = {"sine": sine_task, "echo": echo_task, "sum": running_sum_task}
    if name not in makers:
        raise ValueError(f"unknown task {name!r}: choose one of {', '.join(repr(n) for n in TASK_NAMES)}.")
    return makers[name](steps, batch, seed=seed, **options)


def echo_accuracy(outputs, Y, delay: int) -> float:
    """Fraction of steps t >= delay where the sign of the output equals the remembered bit (0.5 =
    guessing). outputs and Y: the same shape, time along axis 0 (T, B, O); 0 <= delay < T."""
    outputs, Y = np.asarray(outputs), np.asarray(Y)
    # Checked because NumPy would not complain: outputs (T, B) against Y (T, B, 1) broadcast to a
    # (T, B, B) comparison and give a wrong fraction, and a delay of T or more leaves no step to score.
    if outputs.shape != Y.shape or outputs.ndim == 0:
        raise ValueError(
            f"outputs and Y must have the same shape, with time along the first axis, such as (T, B, 1), "
            f"but outputs has shape {outputs.shape} and Y has shape {Y.shape}."
        )
    if outputs.size == 0:
        raise ValueError(f"outputs and Y are empty (shape {outputs.shape}): there is no step to score.")
    _check_delay(delay, steps=outputs.shape[0])
    return float(np.mean(np.sign(outputs[delay:]) == np.sign(Y[delay:])))


# ---- the worked examples of notebooks 01-04 ------------------------------------------------


def forward_example(steps: int = 20):
    """Notebook 01's example: random weights I=2, H=8, O=1 and a sine and a cosine as input.

    Returns (params, x) with x of shape (steps, 2).
    """
    time = np.arange(steps)
    x = np.stack([np.sin(0.5 * time), np.cos(0.3 * time)], axis=1)  # (T, 2)
    return rnn_core.random_params(2, 8, 1, seed=0), x


def sine_example(steps: int = 8):
    """Notebooks 02-04's example: predict the next value of a sine wave. I=1, H=4, O=1.

    x_t = sin(0.6 t), target_t = sin(0.6 (t+1)).  Returns (params, x (T, 1), y (T, 1)).
    """
    wave = np.sin(0.6 * np.arange(steps + 1))
    return rnn_core.random_params(1, 4, 1, seed=3), wave[:-1].reshape(steps, 1), wave[1:].reshape(steps, 1)


# --- 02: outputs, targets and dy ---------------------------------------------
