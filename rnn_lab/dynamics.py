"""rnn_lab.dynamics: measuring what the recurrence does (notebooks 06-07).

Spectral tools for W_hh, how strongly a hidden state still influences the end of a sequence (gradients
against lag, with Pascanu et al.'s bound), principal components of hidden states, and the echo-task
memory sweep.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

import rnn_core
from rnn_core import PARAM_NAMES
from rnn_lab.tasks import echo_accuracy, echo_task
from rnn_lab.train import problem_init, train

SATURATION_THRESHOLD = 0.95  # |h| above this: tanh's slope 1 - h^2 is below 0.1 (1 - 0.95^2 = 0.0975)


def saturated_fraction(hiddens, threshold: float = SATURATION_THRESHOLD) -> float:
    """Fraction of hidden values with |h| > threshold: units where tanh is saturated and gradients fade."""
    return float(np.mean(np.abs(np.asarray(hiddens)) > threshold))


def spectral_radius(W) -> float:
    """The largest |eigenvalue| of the square matrix W."""
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def largest_singular_value(W) -> float:
    """sigma_max(W) = ||W||_2, the most W can stretch a vector (always >= the spectral radius)."""
    return float(np.linalg.norm(W, ord=2))


def orthogonal_recurrence(params: dict, seed: int = 0) -> dict:
    """A copy of params whose W_hh is a random orthogonal matrix: all its singular values are 1, so after
    `with_spectral_radius(.., r)` both the spectral radius and sigma_max equal r."""
    rnn_core.check_params(params)
    hidden_size = params["W_hh"].shape[0]
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((hidden_size, hidden_size)))
    result = {name: params[name].copy() for name in PARAM_NAMES}
    result["W_hh"] = q * np.sign(np.diag(r))  # the sign fix makes the draw uniform over orthogonal matrices
    return result


def with_spectral_radius(params: dict, radius: float) -> dict:
    """A copy of params with W_hh rescaled so that its spectral radius is `radius` (its eigenvectors
    unchanged)."""
    rnn_core.check_params(params)
    if isinstance(radius, bool) or not isinstance(radius, numbers.Real) or not radius >= 0:
        raise ValueError(f"radius must be a number >= 0 such as 0.9, but it is {radius!r}.")
    current = spectral_radius(params["W_hh"])
    if current == 0:
        raise ValueError(
            "W_hh has spectral radius 0 (all its eigenvalues are 0), so it cannot be rescaled to another "
            "radius."
        )
    scaled = {name: params[name].copy() for name in PARAM_NAMES}
    scaled["W_hh"] *= radius / current
    return scaled


# ---- gradients against lag (notebook 06) --------------------------------------------------


@dataclass
class LagGradients:
    """How strongly h_t still influences the end of the sequence, per lag = (T-1) - t.

    jacobian_norms[lag, b]: ||dh_{T-1}/dh_t||_2 (the largest singular value of the Jacobian) for sequence b
    loss_grad_norms[lag, b]: ||dL/dh_t|| for the loss at the last step only,
        L = 1/2 ||y_{T-1} - target_{T-1}||^2
    sigma_max, radius: largest singular value and spectral radius of W_hh
    saturation: fraction of hidden values with |h| > 0.95 (where tanh' = 1 - h^2 < 0.1)
    mean_slope: mean of tanh' = 1 - h^2 over all steps and units (1 = linear, 0 = fully saturated)
    """

    jacobian_norms: np.ndarray  # (T, B)
    loss_grad_norms: np.ndarray  # (T, B)
    sigma_max: float
    radius: float
    saturation: float
    mean_slope: float

    @property
    def lags(self) -> np.ndarray:
        return np.arange(len(self.jacobian_norms))

    def bound(self) -> np.ndarray:
        """Pascanu et al. (2013) for tanh (|tanh'| <= 1): ||dh_{T-1}/dh_t|| <= sigma_max ** lag."""
        return self.sigma_max ** self.lags.astype(float)


def gradient_vs_lag(params: dict, X, Y) -> LagGradients:
    """Jacobians dh_{T-1}/dh_t and gradients of the last step's loss, for every lag, on a batch.

    Uses the chain rule dh_{t+1}/dh_t = diag(1 - h_{t+1}^2) W_hh: going one step further back multiplies
    the Jacobian by diag(1 - h^2) W_hh, whose norm is at most sigma_max(W_hh).
    X (T, B, I), Y (T, B, O)  ->  LagGradients with arrays of shape (T, B)
    """
    X, Y, _ = rnn_core.check_batch(params, X, Y)
    steps, batch, _ = X.shape
    hidden_size = params["W_hh"].shape[0]
    with np.errstate(
        over="ignore", invalid="ignore"
    ):  # exploding products are clamped to inf below, on purpose
        hiddens, outputs = rnn_core.forward_batch(params, X)
        dh_last = np.dot(outputs[-1] - Y[-1], params["W_hy"])  # (B, H)  dL/dh_{T-1} (row form of W_hy^T dy)
        jacobian = np.broadcast_to(
            np.eye(hidden_size), (batch, hidden_size, hidden_size)
        ).copy()  # lag 0: identity
        jacobians = np.empty((steps, batch, hidden_size, hidden_size))
        for lag in range(steps):
            jacobians[lag] = jacobian
            t = steps - 1 - lag  # the Jacobian now is dh_{T-1}/dh_t; extend it to dh_{T-1}/dh_{t-1}
            step = (1.0 - hiddens[t + 1] ** 2)[:, :, None] * params["W_hh"]  # (B, H, H)  dh_t/dh_{t-1}
            jacobian = jacobian @ step
        finite = np.nan_to_num(jacobians, nan=np.inf, posinf=np.inf, neginf=-np.inf)
        jacobian_norms = np.linalg.norm(np.clip(finite, -1e150, 1e150), ord=2, axis=(2, 3))  # (T, B)
        loss_grads = np.einsum(
            "lbij,bi->lbj", np.clip(finite, -1e150, 1e150), dh_last
        )  # (T, B, H)  J^T dL/dh_{T-1}
    return LagGradients(
        jacobian_norms=jacobian_norms,
        loss_grad_norms=np.linalg.norm(loss_grads, axis=2),
        sigma_max=largest_singular_value(params["W_hh"]),
        radius=spectral_radius(params["W_hh"]),
        saturation=saturated_fraction(hiddens[1:]),
        mean_slope=float(np.mean(1.0 - hiddens[1:] ** 2)),
    )


# ---- hidden-state analysis (notebook 07) -------------------------------------------------


def pca_2d(states):
    """Project hidden states onto their two main directions (principal component analysis, via SVD).

    states (N, H)  ->  (coords (N, 2), components (2, H), mean (H,), explained (2,)),
    coords = (states - mean) @ components.T; explained = fraction of the variance along each direction.
    Each component's sign is fixed so that its largest entry is positive (SVD's sign is arbitrary).
    """
    states = rnn_core.as_float_array(states, "states")
    if states.ndim != 2 or states.shape[0] < 2 or states.shape[1] < 2:
        raise ValueError(
            "states must have shape (N, H) with N >= 2 states of H >= 2 units, but it has shape "
            f"{states.shape}."
        )
    mean = states.mean(axis=0)
    _, singular, components = np.linalg.svd(states - mean, full_matrices=False)
    components = components[:2]
    signs = np.sign(components[np.arange(2), np.argmax(np.abs(components), axis=1)])
    components = components * signs[:, None]
    variance = singular**2
    explained = variance[:2] / variance.sum() if variance.sum() > 0 else np.zeros(2)
    return (states - mean) @ components.T, components, mean, explained


@dataclass
class MemorySweep:
    """Echo-task results per delay: accuracy (0.5 = guessing) and loss per step after training."""

    delays: list
    accuracy: list
    loss_per_step: list


def echo_memory_sweep(
    delays,
    hidden_size: int = 16,
    steps: int = 20,
    count: int = 32,
    epochs: int = 100,
    truncation: int | None = None,
    radius: float | None = None,
    seed: int = 0,
) -> MemorySweep:
    """Train one fresh RNN per delay on the echo task (same budget each) and measure what it remembers.

    Starts from the problem's weights (`problem_init`), with W_hh rescaled to spectral radius `radius`
    if given; trains with `train` (learning rate 0.01, batches of 16, optional truncation), then scores
    on fresh sequences (another seed).
    """
    result = MemorySweep([], [], [])
    for delay in delays:
        X, Y = echo_task(steps, count, delay=delay, seed=seed)
        params = problem_init(1, hidden_size, 1, seed=seed)
        if radius is not None:
            params = with_spectral_radius(params, radius)
        train(params, X, Y, epochs, truncation=truncation)
        X_test, Y_test = echo_task(steps, count, delay=delay, seed=seed + 1000)
        _, outputs = rnn_core.forward_batch(params, X_test)
        result.delays.append(int(delay))
        result.accuracy.append(echo_accuracy(outputs, Y_test, delay))
        result.loss_per_step.append(0.5 * float(np.mean((outputs - Y_test) ** 2)))
    return result
