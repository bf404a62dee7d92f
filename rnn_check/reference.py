"""rnn_check.reference: rnn_core's results for each task, and the typical wrong variants built from
rnn_core's own pieces (backward_step, forward_sequence, sgd_step), to recognise common mistakes.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

import rnn_core
from rnn_check.cases import CLIP_SEEN, PARAM_NAMES, Task, probe_data
from rnn_check.child import run_tasks

# ---------------------------------------------------------------------------
# 3. The reference: rnn_core's results, and typical wrong variants built from rnn_core's pieces
# ---------------------------------------------------------------------------


def _h_t_in_dW_hh(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """h_t where h_{t-1} belongs: dW_hh += dh_raw h_t^T."""
    return rnn_core.backward_step(dy, dh_next, x_t, h_t, h_t, W_hh, W_hy)


def _no_dh_next(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """Nothing comes back from step t+1."""
    return rnn_core.backward_step(dy, np.zeros_like(dh_next), x_t, h_prev, h_t, W_hh, W_hy)


def _no_tanh_derivative(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """dh_raw = dh: h_t = 0 makes (1 - h_t^2) = 1; W_hy's term, which needs the real h_t, is kept."""
    step = rnn_core.backward_step(dy, dh_next, x_t, h_prev, np.zeros_like(h_t), W_hh, W_hy)
    step.dW_hy = rnn_core.backward_step(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy).dW_hy
    return step


WRONG_STEPS = {
    "h_t in dW_hh": _h_t_in_dW_hh,
    "no dh_next": _no_dh_next,
    "no tanh derivative": _no_tanh_derivative,
}


class Reference:
    """What rnn_core computes for one task, plus what common mistakes would compute instead."""

    def __init__(self, task: Task):
        self.task, self.case = task, task.case
        x, y = self.case.sequence
        self.params = self.case.params
        self.xs = rnn_core.as_sequence(x[: task.steps], self.case.input_size)  # (T, I, 1)
        self.ys = rnn_core.as_sequence(y[: task.steps], self.case.output_size)  # (T, O, 1)
        self.hiddens, self.outputs = rnn_core.forward_sequence(self.params, self.xs)
        # BPTT on this forward pass (rnn_core.gradients would run the same forward pass again).
        self.grads, self.trace = rnn_core.bptt_sequence(
            self.params, self.xs, self.hiddens, self.outputs, self.ys, keep_trace=True
        )
        self.after = self.updated(self.grads)

    @property
    def forward(self) -> np.ndarray:
        return np.array(self.outputs)  # (T, O, 1), what SimpleRNN.forward returns

    def updated(self, grads: dict, learning_rate: float | None = None) -> dict:
        """The parameters after one SGD step with `grads` (rnn_core.sgd_step on copies)."""
        params = {name: value.copy() for name, value in self.params.items()}
        rnn_core.sgd_step(params, grads, self.case.learning_rate if learning_rate is None else learning_rate)
        return params

    # -- wrong forward passes ------------------------------------------------

    @cached_property
    def forward_variants(self) -> dict:
        """Outputs (T, O, 1) of forward passes with one usual piece missing."""

        def without(**zeroed):
            params = {
                name: np.zeros_like(value) if name in zeroed else value for name, value in self.params.items()
            }
            return np.array(rnn_core.forward_sequence(params, self.xs)[1])

        return {
            "no b_h": without(b_h=True),
            "no b_y": without(b_y=True),
            "no biases": without(b_h=True, b_y=True),
            "no recurrence": without(W_hh=True),
        }

    # -- wrong backward passes -----------------------------------------------

    def _variant_grads(self, variant: str) -> dict:
        """rnn_core's BPTT (bptt_sequence) chaining a one-step backward that gets one input wrong."""
        return rnn_core.bptt_sequence(
            self.params, self.xs, self.hiddens, self.outputs, self.ys, step_back=WRONG_STEPS[variant]
        )[0]

    def _updated_inside_loop(self, accumulated: bool) -> dict:
        """The parameters when the SGD step happens inside the time loop, after each step t.

        accumulated=True: the running sums dW are subtracted at every step (an indentation slip);
        False: each step's own term is subtracted. Later steps then use the changed W_hh and W_hy.
        """
        params = {name: value.copy() for name, value in self.params.items()}
        totals = {name: np.zeros_like(value) for name, value in self.params.items()}
        dh_next = np.zeros_like(self.hiddens[0])
        for t in reversed(range(len(self.xs))):
            dy = rnn_core.output_gradient(self.outputs[t], self.ys[t])
            step = rnn_core.backward_step(
                dy, dh_next, self.xs[t], self.hiddens[t], self.hiddens[t + 1], params["W_hh"], params["W_hy"]
            )
            terms = {name: getattr(step, "d" + name) for name in PARAM_NAMES}
            for name in PARAM_NAMES:
                totals[name] += terms[name]
            rnn_core.sgd_step(params, totals if accumulated else terms, self.case.learning_rate)
            dh_next = step.dh_prev
        return params

    @cached_property
    def update_variants(self) -> dict:
        """Parameters after one backward() for each common mistake: mistake -> {name: array}."""
        lr, steps = self.case.learning_rate, len(self.xs)
        scaled = lambda factor: {name: factor * g for name, g in self.grads.items()}  # noqa: E731
        variants = {
            "wrong sign": self.updated(scaled(-1.0)),
            "not updated": {name: value.copy() for name, value in self.params.items()},
        }
        if lr != 1.0:
            variants["learning rate ignored"] = self.updated(self.grads, 1.0)
        if lr != rnn_core.LEARNING_RATE:
            variants["learning rate hard-coded"] = self.updated(self.grads, rnn_core.LEARNING_RATE)
        if steps > 1:
            variants["averaged"] = self.updated(scaled(1.0 / steps))
            variants["updated inside the loop"] = self._updated_inside_loop(accumulated=True)
            variants["updated inside the loop, per step"] = self._updated_inside_loop(accumulated=False)
        clip = CLIP_SEEN
        if any(np.max(np.abs(g)) > clip for g in self.grads.values()):
            variants["clipped"] = self.updated(
                {name: np.clip(g, -clip, clip) for name, g in self.grads.items()}
            )
        for variant in WRONG_STEPS:
            variants[variant] = self.updated(self._variant_grads(variant))
        return variants


_REFERENCES: dict = {}


def reference(task: Task) -> Reference:
    if task not in _REFERENCES:
        _REFERENCES[task] = Reference(task)
    return _REFERENCES[task]


def reference_probe() -> list:
    """rnn_core.SimpleRNN's own answers to the probe calls (computed once)."""
    if "probe" not in _REFERENCES:
        _REFERENCES["probe"] = run_tasks(rnn_core.SimpleRNN, [probe_data()], set())[0]["probe"]
    return _REFERENCES["probe"]
