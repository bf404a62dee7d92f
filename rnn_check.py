"""rnn_check: check a student's SimpleRNN against rnn_core, and grade a folder of homework.

For the student (in a notebook):

    import rnn_check
    result = rnn_check.check(SimpleRNN)      # a class or an instance; prints a short report
    result.passed, result.score, result.max_score, result.checks

For the teacher (in a terminal):

    python -m rnn_check grade submissions/ --csv grades.csv [--jobs N] [--timeout S] [--memory MB]

The module reads top to bottom:

    1. the cases       which models, sequences and learning rates the student's class is run on
    2. the runner      calls the student's class and returns plain numbers (no rnn_core in it: it
                       also runs inside the grader's sandboxed child process)
    3. the reference   rnn_core's results for the same cases, and typical wrong variants built
                       from rnn_core's own pieces (backward_step, forward_sequence, sgd_step)
    4. judging         compares, finds the earliest time step where the student departs, gives hints
    5. check()         the student's entry point
    6. the sandbox     one child process per submission: limits, no privileges, no rnn_core
    7. grading         reading submissions, running them in parallel, the CSV, the command line

Time steps are counted as in the notebooks and in rnn_core.BPTTTrace: t = 0 .. T-1, and the
hidden state produced at step t is h_t = last_hiddens[t + 1] (last_hiddens[0] is the zero start state).
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import numbers
import os
import re
import selectors
import shutil
import signal
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

import rnn_core

PARAM_NAMES = rnn_core.PARAM_NAMES
CHECK_NAMES = ("initial shapes", "forward outputs", "hidden states") + tuple(f"{name} update" for name in PARAM_NAMES)
PROJECT_ROOT = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------
# 1. The cases
#
# Several sizes with input_size != output_size, T = 1 and T > 1, non-zero biases, and a learning
# rate other than 0.01 (so a hard-coded 0.01 shows). The checker sets the weights itself, so the
# student's random initialiser plays no part in the numbers.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    input_size: int
    hidden_size: int
    output_size: int
    steps: int  # T
    learning_rate: float
    seed: int

    @property
    def sizes(self) -> tuple[int, int, int]:
        return (self.input_size, self.hidden_size, self.output_size)

    def describe(self) -> str:
        return (
            f"I={self.input_size}, H={self.hidden_size}, O={self.output_size}, T={self.steps}, "
            f"learning_rate={self.learning_rate}"
        )

    @cached_property
    def params(self) -> dict:
        return rnn_core.random_params(*self.sizes, scale=0.5, seed=self.seed)

    @cached_property
    def sequence(self) -> tuple[np.ndarray, np.ndarray]:
        """x (T, I) and targets y (T, O), seeded."""
        rng = np.random.default_rng(1000 + self.seed)
        return rng.standard_normal((self.steps, self.input_size)), rng.standard_normal((self.steps, self.output_size))


CASES = (
    Case(3, 4, 2, steps=6, learning_rate=rnn_core.LEARNING_RATE, seed=11),  # the problem's learning rate
    Case(2, 3, 1, steps=1, learning_rate=0.05, seed=12),  # one time step; another learning rate
    Case(1, 5, 3, steps=4, learning_rate=0.02, seed=13),
)
PROBE_CASE = Case(2, 3, 1, steps=3, learning_rate=rnn_core.LEARNING_RATE, seed=14)


@dataclass(frozen=True)
class Task:
    """One run of the student's class: case `case_index`, on the first `steps` time steps."""

    case_index: int
    steps: int

    @property
    def case(self) -> Case:
        return CASES[self.case_index]

    @property
    def is_full(self) -> bool:
        return self.steps == self.case.steps

    def as_data(self) -> dict:
        """The inputs only (never an expected answer): what the runner, maybe in a child process, receives."""
        x, y = self.case.sequence
        return {
            "kind": "run",
            "sizes": list(self.case.sizes),
            "params": {name: value.tolist() for name, value in self.case.params.items()},
            "x": x[: self.steps].tolist(),
            "y": y[: self.steps].tolist(),
            "learning_rate": self.case.learning_rate,
        }


def _make_tasks() -> tuple[Task, ...]:
    """Every case in full, then its prefixes of 1 .. T-1 steps (they locate the time step of a mistake)."""
    full = [Task(index, case.steps) for index, case in enumerate(CASES)]
    prefixes = [Task(index, steps) for index, case in enumerate(CASES) for steps in range(1, case.steps)]
    return tuple(full + prefixes)


TASKS = _make_tasks()


def _probe_data() -> dict:
    """Three calls with bad input whose exact error messages identify rnn_core.SimpleRNN itself."""
    x, y = PROBE_CASE.sequence
    params = {name: value.tolist() for name, value in PROBE_CASE.params.items()}
    return {"kind": "probe", "sizes": list(PROBE_CASE.sizes), "params": params, "x": x.tolist(), "y": y.tolist()}


# ---------------------------------------------------------------------------
# 2. The runner
#
# _run_tasks is self-contained (its imports are inside, it never touches rnn_core) because the
# grader copies its source into the sandboxed child process. It returns only plain data: lists of
# floats, shapes, strings. It catches the student's errors and describes them with the line in the
# student's own code, so nothing the student did produces a traceback from inside the checker.
# ---------------------------------------------------------------------------


def _run_tasks(cls, tasks, student_files):
    """Run `cls` (the student's SimpleRNN) on each task; return one dict of plain data per task."""
    import traceback
    import warnings

    import numpy as np

    names = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
    most_numbers = 20000  # far more than any correct answer here; stops huge arrays early

    def text(value, limit=300):
        try:
            value = str(value)
        except Exception:  # a hostile __str__
            value = "(a message that cannot be shown)"
        return value if len(value) <= limit else value[: limit - 3] + "..."

    def record(value):
        """A student's array as {'shape', 'data'}, or {'problem'} if it is not an array of numbers."""
        try:
            array = np.array(value, dtype=np.float64)
        except Exception as error:
            return {"problem": text(f"is a {type(value).__name__} that is not an array of numbers ({error})")}
        if array.size > most_numbers:
            return {"problem": f"has {array.size} numbers, far more than expected", "shape": list(array.shape)}
        return {"shape": list(array.shape), "data": [float(v) for v in array.ravel()]}

    def shape_of(model, name):
        value = getattr(model, name, None)
        shape = getattr(value, "shape", None)
        if value is None:
            return {"problem": "is missing"}
        if not isinstance(shape, tuple) or not all(isinstance(n, int) for n in shape):
            return {"problem": text(f"is a {type(value).__name__}, not a NumPy array")}
        return {"shape": list(shape)}

    def describe(error, stage):
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename in student_files]
        where = frames[-1] if frames else None
        kind = type(error).__name__
        message = text(error)
        if isinstance(error, SystemExit):
            message = f"the code called exit() / sys.exit({text(error.code, 40)})"
        return {
            "stage": stage,
            "type": kind,
            "message": message,
            "line": where.lineno if where else None,
            "code": text((where.line or "").strip(), 160) if where else None,
        }

    def new_model(task):
        model = cls(*task["sizes"])
        shapes = {name: shape_of(model, name) for name in names}
        for name in names:
            setattr(model, name, np.array(task["params"][name], dtype=np.float64))
        return model, shapes

    def run(task):
        out, stage = {}, "creating the model"
        x = np.array(task["x"], dtype=np.float64)  # (T, I)
        y = np.array(task["y"], dtype=np.float64)  # (T, O)
        try:
            model, out["init"] = new_model(task)
            stage = "forward"
            out["forward"] = record(model.forward(x.copy()))
            hiddens = getattr(model, "last_hiddens", None)
            out["hiddens"] = {"problem": "is missing"} if hiddens is None else record(hiddens)
            stage = "backward"
            model.backward(x.copy(), y.copy(), task["learning_rate"])
            out["after"] = {name: record(getattr(model, name, None)) for name in names}
        except (Exception, SystemExit) as error:  # the student's mistake, described in words
            out["error"] = describe(error, stage)
        return out

    def probe(task):
        x = np.array(task["x"], dtype=np.float64)
        y = np.array(task["y"], dtype=np.float64)
        bad_x = x.copy()
        bad_x[0, 0] = np.nan
        actions = (
            lambda model: (model.forward(x), model.backward(x, y, -1.0)),
            lambda model: model.forward(bad_x),
            lambda model: model.backward(x, y, 0.01),
        )
        messages = []
        for action in actions:
            try:
                action(new_model(task)[0])
                messages.append("no error")
            except (Exception, SystemExit) as error:
                messages.append(text(f"{type(error).__name__}: {text(error, 400)}", 500))
        return {"probe": messages}

    results = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # overflow in a wrong submission is judged by its numbers
        for task in tasks:
            results.append(probe(task) if task["kind"] == "probe" else run(task))
    return results


# ---------------------------------------------------------------------------
# 3. The reference: rnn_core's results, and typical wrong variants built from rnn_core's pieces
# ---------------------------------------------------------------------------


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
            params = {name: np.zeros_like(value) if name in zeroed else value for name, value in self.params.items()}
            return np.array(rnn_core.forward_sequence(params, self.xs)[1])

        return {
            "no b_h": without(b_h=True),
            "no b_y": without(b_y=True),
            "no biases": without(b_h=True, b_y=True),
            "no recurrence": without(W_hh=True),
        }

    # -- wrong backward passes -----------------------------------------------

    def _variant_grads(self, variant: str) -> dict:
        """BPTT as rnn_core.bptt_sequence does it, but each step's backward_step gets one wrong input."""
        grads = {name: np.zeros_like(value) for name, value in self.params.items()}
        dh_next = np.zeros_like(self.hiddens[0])  # (H, 1)
        W_hh, W_hy = self.params["W_hh"], self.params["W_hy"]
        for t in reversed(range(len(self.xs))):
            dy = rnn_core.output_gradient(self.outputs[t], self.ys[t])
            h_prev, h_t = self.hiddens[t], self.hiddens[t + 1]
            right = rnn_core.backward_step(dy, dh_next, self.xs[t], h_prev, h_t, W_hh, W_hy)
            if variant == "h_t in dW_hh":  # h_t where h_{t-1} belongs
                step = rnn_core.backward_step(dy, dh_next, self.xs[t], h_t, h_t, W_hh, W_hy)
            elif variant == "no dh_next":  # nothing comes back from step t+1
                step = rnn_core.backward_step(dy, np.zeros_like(dh_next), self.xs[t], h_prev, h_t, W_hh, W_hy)
            elif variant == "no tanh derivative":  # h_t = 0 makes (1 - h_t^2) = 1; W_hy's term taken from `right`
                step = rnn_core.backward_step(dy, dh_next, self.xs[t], h_prev, np.zeros_like(h_t), W_hh, W_hy)
                step.dW_hy = right.dW_hy
            else:
                raise ValueError(variant)
            for name in PARAM_NAMES:
                grads[name] += getattr(step, "d" + name)
            dh_next = step.dh_prev
        return grads

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
        for variant in ("h_t in dW_hh", "no dh_next", "no tanh derivative"):
            variants[variant] = self.updated(self._variant_grads(variant))
        return variants


_REFERENCES: dict = {}


def _reference(task: Task) -> Reference:
    if task not in _REFERENCES:
        _REFERENCES[task] = Reference(task)
    return _REFERENCES[task]


def _reference_probe() -> list:
    """rnn_core.SimpleRNN's own answers to the probe calls (computed once)."""
    if "probe" not in _REFERENCES:
        _REFERENCES["probe"] = _run_tasks(rnn_core.SimpleRNN, [_probe_data()], set())[0]["probe"]
    return _REFERENCES["probe"]


# ---------------------------------------------------------------------------
# 4. Judging
# ---------------------------------------------------------------------------

HINTS = {
    # forward
    "no b_h": "The hidden state is computed without b_h: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h).",
    "no b_y": "The output is computed without b_y: y_t = W_hy h_t + b_y.",
    "no biases": "Both biases are missing: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h) and y_t = W_hy h_t + b_y.",
    "no recurrence": "h_t does not use the previous state: the term W_hh h_{t-1} is missing (start from h = 0 and "
    "carry h from one step to the next).",
    # backward
    "wrong sign": "The update goes uphill: it adds learning_rate * gradient. Gradient descent subtracts it: "
    "W <- W - learning_rate * dW.",
    "not updated": "{name} does not change at all in backward(): its gradient (d{name}) is never subtracted. "
    "Every parameter, biases included, gets W <- W - learning_rate * dW.",
    "learning rate ignored": "The update is the whole gradient, as if learning_rate were 1: multiply the gradient "
    "by the learning_rate argument.",
    "learning rate hard-coded": "The update used the learning rate 0.01, but backward() was called with "
    "learning_rate={lr}: use the argument, not a fixed number.",
    "averaged": "The gradient is rnn_core's divided by T={steps}: the loss is a sum over time steps, so the "
    "gradients are summed over t (dW += ...), not averaged.",
    "updated inside the loop": "The weights change inside the time loop: add up the gradients over all t first, "
    "then update every parameter once, after the loop.",
    "h_t in dW_hh": "dW_hh must use the state that entered step t, h_{t-1} = last_hiddens[t], not h_t = "
    "last_hiddens[t+1]: dW_hh += dh_raw h_{t-1}^T.",
    "no dh_next": "The gradient coming back from later time steps is missing: dh = W_hy^T dy + dh_next, and after "
    "step t set dh_next = W_hh^T dh_raw for step t-1.",
    "no tanh derivative": "The tanh derivative is missing: dh_raw = (1 - h_t^2) * dh, with h_t = last_hiddens[t+1].",
}


@dataclass
class CheckItem:
    """One line of the report: a part of the class and whether it matches rnn_core on every case."""

    name: str
    passed: bool | None = None  # None: not checked because something before it failed
    message: str = ""  # for a failure: what was expected and what was given
    hint: str = ""
    case: int | None = None  # 1-based number of the first case where it failed
    time_step: int | None = None  # earliest time step t (0 .. T-1) where the student's result departs
    kind: str = ""  # the recognised common mistake (a key of HINTS), if any


@dataclass
class CheckResult:
    """The verdict: `passed`, `score` out of `max_score`, and the per-check details in `checks`."""

    checks: list
    status: str  # "passed", "failed", "error" (could not run) or "flagged" (used the reference)
    feedback: str  # the first diagnosis, one line
    notes: list = field(default_factory=list)  # extra lines, e.g. actions the sandbox blocked
    diagnosis: str = ""  # a short label for the teacher's summary, e.g. "no dh_next"

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def score(self) -> int:
        return sum(item.passed is True for item in self.checks)

    @property
    def max_score(self) -> int:
        return len(self.checks)

    def __repr__(self) -> str:
        return f"CheckResult(status={self.status!r}, score={self.score}, max_score={self.max_score})"

    def __str__(self) -> str:
        sizes = ", ".join(f"({c.input_size}, {c.hidden_size}, {c.output_size}, {c.steps})" for c in CASES)
        lines = [
            f"Checking SimpleRNN against rnn_core on {len(CASES)} cases, (I, H, O, T) = {sizes};",
            "the checker sets the weights and biases itself.",
            "",
        ]
        if self.status in ("error", "flagged"):
            return "\n".join(lines + [f"Not graded ({self.status}): {self.feedback}"] + self.notes + ["", f"Score: 0/{self.max_score}"])
        marks = {True: "ok     ", False: "WRONG  ", None: "-      "}
        for item in self.checks:
            note = "" if item.passed is not None else "  (not checked: an earlier part failed)"
            lines.append(f"  {marks[item.passed]}{item.name}{note}")
        lines += ["", f"Score: {self.score}/{self.max_score}"]
        if self.passed:
            lines.append("All checks passed: forward and one BPTT + SGD step match rnn_core on every case.")
            return "\n".join(lines + self.notes)
        lines += self.notes
        first = next(item for item in self.checks if item.passed is False)
        where = f" (case {first.case}: {CASES[first.case - 1].describe()})" if first.case else ""
        lines += ["", f"First problem: {first.name}{where}"]
        lines += ["  " + line for line in first.message.splitlines()]
        if first.hint:
            lines.append("Hint: " + first.hint)
        return "\n".join(lines)


def _error_text(error: dict, line_map=None) -> str:
    """'forward raised ValueError: ... \\n at line 12 of your code: h = ...' from a runner error record."""
    if error["type"] == "SystemExit":
        head = f"{error['stage']}: {error['message']}, which ends the program."
    else:
        head = f"{error['stage']} raised {error['type']}: {error['message']}"
    if error.get("line"):
        head += f"\nat {_where(error['line'], line_map)} of your code: {error.get('code') or ''}"
    return head


def _where(line: int, line_map=None) -> str:
    if line_map and 0 < line <= len(line_map):
        cell, cell_line = line_map[line - 1]
        return f"code cell {cell}, line {cell_line}"
    return f"line {line}"


def _array(rec, expected_shape=None):
    """A runner record -> (array, None), or (None, 'what is wrong with it')."""
    if not isinstance(rec, dict):
        return None, "could not be read"
    if "problem" in rec:
        return None, str(rec["problem"])[:300]
    shape, data = rec.get("shape"), rec.get("data")
    if not isinstance(shape, list) or not all(isinstance(n, int) and 0 <= n <= 10**6 for n in shape):
        return None, "could not be read"
    if not isinstance(data, list) or len(data) != int(np.prod(shape)) or not all(isinstance(v, float) for v in data):
        return None, "could not be read"
    return np.array(data, dtype=np.float64).reshape(shape), None


def _difference(label: str, expected: np.ndarray, given: np.ndarray) -> str:
    """Where two arrays of the same shape differ most, in words."""
    gap = np.abs(given - expected)
    gap[~np.isfinite(gap)] = np.inf
    index = np.unravel_index(int(np.argmax(gap)), gap.shape)
    position = ", ".join(str(int(i)) for i in index)
    text = f"{label}[{position}]: expected {expected[index]:.6f}, you gave {given[index]:.6f}"
    if not np.all(np.isfinite(given)):
        text += f" ({int(np.sum(~np.isfinite(given)))} value(s) are NaN or infinite)"
    return text


def _close(given: np.ndarray, expected: np.ndarray) -> bool:
    return given.shape == expected.shape and bool(np.all(np.isfinite(given))) and np.allclose(given, expected, rtol=1e-7, atol=1e-10)


def _same_update(given, expected, before, scale) -> bool:
    """Do two parameter values after an update agree, measured against the size of the update itself?"""
    if given.shape != expected.shape or not np.all(np.isfinite(given)):
        return False
    return float(np.max(np.abs((given - before) - (expected - before)))) <= 1e-6 * scale + 1e-14


@dataclass
class _Verdict:
    passed: bool | None
    message: str = ""
    hint: str = ""
    time_step: int | None = None
    kind: str = ""  # the recognised mistake (a key of HINTS), if any


def _judge_run(run: dict, ref: Reference, line_map=None) -> dict:
    """Compare one task's raw results with rnn_core's: check name -> _Verdict."""
    verdicts = {name: _Verdict(None) for name in CHECK_NAMES}
    error = run.get("error") if isinstance(run, dict) else {"stage": "creating the model", "type": "?", "message": "no results"}
    error_stage = error.get("stage") if error else None
    error_text = _error_text(error, line_map) if error else ""
    error_hint = ("This part is still a TODO: write it, run the cell with your class again, then check again."
                  if error and error.get("type") == "NotImplementedError" else "")

    # initial shapes
    if error_stage == "creating the model":
        verdicts["initial shapes"] = _Verdict(False, error_text, error_hint)
        return verdicts  # the rest: not checked
    problems = []
    for name in PARAM_NAMES:
        expected_shape = ref.params[name].shape
        rec = run["init"].get(name, {"problem": "is missing"})
        if "problem" in rec:
            problems.append(f"{name} {rec['problem']} (expected a NumPy array of shape {expected_shape})")
        elif tuple(rec.get("shape", ())) != expected_shape:
            problems.append(f"{name} has shape {tuple(rec['shape'])}, expected {expected_shape}")
    verdicts["initial shapes"] = _Verdict(
        not problems,
        "\n".join(problems),
        "" if not problems else "With SimpleRNN(input_size=I, hidden_size=H, output_size=O): W_xh (H, I), "
        "W_hh (H, H), W_hy (O, H), b_h (H, 1), b_y (O, 1).",
    )
    if error_stage == "forward":
        verdicts["forward outputs"] = _Verdict(False, error_text, error_hint)
        return verdicts  # the rest: not checked

    verdicts["forward outputs"] = _judge_forward(run.get("forward"), ref)
    verdicts["hidden states"] = _judge_hiddens(run.get("hiddens"), ref)
    if error_stage == "backward":
        for name in PARAM_NAMES:
            verdicts[f"{name} update"] = _Verdict(False, error_text, error_hint)
        return verdicts
    for name in PARAM_NAMES:
        verdicts[f"{name} update"] = _judge_update(name, run["after"].get(name), ref)
    return verdicts


def _judge_forward(rec, ref: Reference) -> _Verdict:
    expected = ref.forward
    given, problem = _array(rec)
    if problem:
        return _Verdict(False, f"forward returned something that {problem}; expected an array of shape {expected.shape}.")
    if given.shape != expected.shape:
        return _Verdict(
            False,
            f"forward returned shape {given.shape}; expected (T, O, 1) = {expected.shape}, like np.array(outputs) "
            "with each y_t a column (O, 1).",
        )
    if _close(given, expected):
        return _Verdict(True)
    step = next(t for t in range(len(expected)) if not _close(given[t], expected[t]))
    kind = next((k for k, v in ref.forward_variants.items() if _close(given, v)), "")
    hint = HINTS[kind] if kind else (
        "Compare your loop with h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), y_t = W_hy h_t + b_y, from h = 0. "
        "(The checker sets self.W_xh, self.W_hh, self.W_hy, self.b_h, self.b_y after creating the model: forward "
        "must use these attributes.)")
    message = f"y_t first differs at t = {step}: " + _difference("outputs", expected, given)
    return _Verdict(False, message, hint, step, kind)


def _judge_hiddens(rec, ref: Reference) -> _Verdict:
    expected = np.array(ref.hiddens)  # (T+1, H, 1)
    given, problem = _array(rec)
    if problem:
        return _Verdict(
            False,
            f"last_hiddens {problem}; after forward(x) it should hold the T+1 hidden states (H, 1): the zero "
            "start state, then h_0 .. h_{T-1}.",
        )
    if given.shape == expected.shape[:2]:  # (T+1, H) rows are accepted too
        given = given[..., None]
    if given.shape != expected.shape:
        hint = "Start the list with the zero state: self.last_hiddens = [h] before the loop." if (
            len(given) == len(expected) - 1) else ""
        return _Verdict(False, f"last_hiddens has shape {given.shape}; expected (T+1, H, 1) = {expected.shape}.", hint)
    if _close(given, expected):
        return _Verdict(True)
    index = next(i for i in range(len(expected)) if not _close(given[i], expected[i]))
    if index == 0:
        return _Verdict(False, "last_hiddens[0], the start state, should be zeros: " + _difference("last_hiddens", expected, given))
    return _Verdict(
        False,
        f"h_{index - 1} = last_hiddens[{index}] first differs, at t = {index - 1}: " + _difference("last_hiddens", expected, given),
        "h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), appended after each step.",
        index - 1,
    )


def _judge_update(name: str, rec, ref: Reference) -> _Verdict:
    expected, before = ref.after[name], ref.params[name]
    given, problem = _array(rec)
    if problem:
        return _Verdict(False, f"after backward(), {name} {problem}.")
    if given.shape != expected.shape:
        return _Verdict(False, f"after backward(), {name} has shape {given.shape}; expected {expected.shape}.")
    scale = float(np.max(np.abs(expected - before)))
    if _same_update(given, expected, before, scale):
        return _Verdict(True)
    message = _difference(name, expected, given) + f" after one backward(x, y, learning_rate={ref.case.learning_rate})"
    mistake = key = next(
        (key for key, variant in ref.update_variants.items()
         if not _same_update(variant[name], expected, before, scale) and _same_update(given, variant[name], before, scale)),
        None,
    )
    if mistake is None:
        hint = ""
    else:
        key = "updated inside the loop" if mistake.startswith("updated inside") else mistake
        hint = HINTS[key].replace("{name}", name).replace("{lr}", str(ref.case.learning_rate))
        hint = hint.replace("{steps}", str(len(ref.xs)))
    return _Verdict(False, message, hint, kind=key if mistake else "")


def _locate(name: str, runs: list, case_index: int, line_map=None) -> int | None:
    """Earliest time step t at which the student's update of `name` departs: the shortest prefix of
    the sequence (t = 0 .. k-1) on which it is already wrong gives t = k-1."""
    by_steps = {task.steps: run for task, run in zip(TASKS, runs) if task.case_index == case_index}
    for steps in sorted(by_steps):
        verdict = _judge_run(by_steps[steps], _reference(Task(case_index, steps)), line_map)[f"{name} update"]
        if verdict.passed is not True:
            return steps - 1
    return None


def _time_step_note(name: str, step: int, ref: Reference) -> str:
    if step == 0:
        return f"Where: {name} is already wrong on a one-step sequence, at t = 0."
    steps = "t = 0" if step == 1 else f"t = 0..{step - 1}"
    note = f"Where: {name} is right on the first {step} time step(s) ({steps}) and departs once the sequence includes t = {step}."
    # From rnn_core's trace: the gradient that reaches h_{step-1} from step `step` (zero for a shorter sequence).
    carried = float(np.linalg.norm(_reference(Task(ref.task.case_index, step + 1)).trace.dh_next[step - 1]))
    return note + (f"\nrnn_core's trace there: dh_next at t = {step - 1}, the gradient coming back from t = {step}, "
                   f"has norm {carried:.3f}.")


def judge(raw: dict, line_map=None) -> CheckResult:
    """Turn the runner's raw results (plain data, possibly from an untrusted child) into a CheckResult."""
    items = [CheckItem(name) for name in CHECK_NAMES]
    notes = []
    blocked = list(dict.fromkeys(str(entry)[:200] for entry in raw.get("blocked", [])))[:5]  # unique, in order
    if blocked:
        notes.append("The grader blocked: " + "; ".join(blocked) + ".")
    used = [entry for entry in blocked if entry.startswith(("import rnn_core", "import rnn_viz", "read "))]
    if used:
        feedback = ("flagged: the submission tried to use the reference implementation or the project's files ("
                    + used[0] + "); it must implement SimpleRNN itself.")
        return CheckResult(items, "flagged", feedback, notes, "flagged: uses the reference or project files")
    runs = raw["runs"]
    if len(runs) != len(TASKS):
        raise ValueError("wrong number of results")
    if _is_reference(raw.get("probe")):
        feedback = ("flagged: this SimpleRNN behaves exactly like rnn_core.SimpleRNN, error messages included: "
                    "it re-exports or copies the reference instead of implementing forward and backward.")
        return CheckResult(items, "flagged", feedback, notes, "flagged: behaves as rnn_core.SimpleRNN")

    # A part passes if it is right in every case, fails if wrong in any (the first such case is reported),
    # and is "not checked" otherwise (an earlier part failed, so it could not be reached).
    first_failure = {}
    all_cases = [_judge_run(run, _reference(task), line_map) for task, run in zip(TASKS, runs[: len(CASES)])]
    for item in items:
        verdicts = [case_verdicts[item.name] for case_verdicts in all_cases]
        failed = next((i for i, verdict in enumerate(verdicts) if verdict.passed is False), None)
        if failed is None:
            item.passed = True if all(verdict.passed for verdict in verdicts) else None
            continue
        verdict = verdicts[failed]
        item.passed, item.message, item.hint, item.case = False, verdict.message, verdict.hint, failed + 1
        item.time_step, item.kind = verdict.time_step, verdict.kind
        first_failure[item.name] = (failed, runs[failed])
    for item in items:
        if item.passed is False and item.name.endswith(" update") and item.case is not None:
            case_index = item.case - 1
            if "error" in first_failure[item.name][1]:
                continue
            name = item.name.split()[0]
            step = _locate(name, runs, case_index, line_map)
            if step is not None:
                item.time_step = step
                item.message += "\n" + _time_step_note(name, step, _reference(TASKS[case_index]))
    first = next((item for item in items if item.passed is False), None)
    if first is None:
        return CheckResult(items, "passed", "all checks passed", notes, "passed")
    where = f"case {first.case}" + (f", from t = {first.time_step}" if first.time_step is not None else "")
    detail = first.hint if first.kind else " ".join((first.message + " " + first.hint).split())
    feedback = f"{first.name} wrong ({where}): {detail}"
    return CheckResult(items, "failed", feedback[:500], notes, diagnosis=first.kind or f"{first.name} wrong")


def _is_reference(probe) -> bool:
    """Do the student's answers to the probe calls carry rnn_core.SimpleRNN's own error messages?"""
    if not isinstance(probe, list) or len(probe) != 3:
        return False
    reference = _reference_probe()
    same = sum(isinstance(a, str) and a == b and b != "no error" for a, b in zip(probe, reference))
    return same >= 2


def _error_result(feedback: str, notes=None, diagnosis: str = "could not run") -> CheckResult:
    return CheckResult([CheckItem(name) for name in CHECK_NAMES], "error", feedback, list(notes or []), diagnosis)


# ---------------------------------------------------------------------------
# 5. check(): the student's entry point
# ---------------------------------------------------------------------------


def check(model, verbose: bool = True) -> CheckResult:
    """Check a SimpleRNN class (or an instance of it) against rnn_core; print a report; return a CheckResult.

    The checker creates its own models with SimpleRNN(I, H, O), sets W_xh, W_hh, W_hy, b_h, b_y itself,
    calls forward(x) and then backward(x, y, learning_rate) once, on several cases (see CASES).
    """
    cls = model if isinstance(model, type) else type(model)
    if model is None or isinstance(model, (numbers.Number, str, bytes, list, dict, tuple, np.ndarray)):
        result = _error_result(
            f"check() needs your SimpleRNN class (or a model made from it), but it got {type(model).__name__}."
        )
    elif isinstance(cls, type) and issubclass(cls, rnn_core.SimpleRNN):
        result = CheckResult([CheckItem(name) for name in CHECK_NAMES], "flagged",
                             "This is rnn_core.SimpleRNN (the reference), not your own class: pass your SimpleRNN.")
    else:
        files = _student_files(cls)
        runs = _run_tasks(cls, [task.as_data() for task in TASKS] + [_probe_data()], files)
        try:
            result = judge({"runs": runs[:-1], "probe": runs[-1]["probe"]})
        except Exception as error:  # a bug of the checker's own: say so, without a traceback
            result = _error_result(f"the checker itself failed ({type(error).__name__}: {error}); "
                                   "please tell your teacher, and include this message.")
    if verbose:
        print(result)
    return result


def _student_files(cls) -> set:
    """The files the class's methods were written in (a notebook cell counts as a file)."""
    files = set()
    for klass in getattr(cls, "__mro__", (cls,)):
        for value in vars(klass).values():
            code = getattr(getattr(value, "__func__", value), "__code__", None)
            if code is not None:
                files.add(code.co_filename)
    files.discard(__file__)
    return files


# ---------------------------------------------------------------------------
# 6. The sandbox: one child process per submission
#
# The child is a fresh `python -I -B -c <code>` whose code is this section's functions, copied as
# text, so rnn_core and rnn_check are never loaded into it. Before any submitted code runs, the child:
#   - reads its job, keeps two private channels to the grader (results, and refusals) and points stdout
#     and stderr at /dev/null: nothing printed can reach the teacher's terminal or the CSV;
#   - removes the project from the import path and replaces rnn_check by an inert stub (so a finished
#     homework notebook's check cell still runs);
#   - sets memory, CPU-time, file-size and process limits, and drops to the user `nobody` if root;
#   - asks the kernel (Landlock, where available, also without root) to refuse file changes outside its
#     scratch directory and signals to processes outside it;
#   - installs an audit hook (Python cannot remove one) that refuses to start processes, send signals,
#     load C code, import rnn_core, read the project's or other submissions' files, or write outside
#     the scratch directory, and reports each refusal on its own channel.
# The parent enforces a wall-clock limit, caps what it reads, and judges the numbers in its own process.
# ---------------------------------------------------------------------------


def _child_main():
    import fcntl
    import json
    import os
    import resource
    import sys

    # Two private channels to the grader, out of the way (fd 1 and 2 go to /dev/null below): the results,
    # and the audit hook's record of what it refused, written the moment it refuses (so it cannot be erased).
    results_fd = fcntl.fcntl(1, fcntl.F_DUPFD, 100)
    refusals_fd = fcntl.fcntl(2, fcntl.F_DUPFD, 100)
    os.close(1)

    def text(value, limit=300):
        try:
            return str(value)[:limit]
        except BaseException:  # a hostile __str__
            return "(a message that cannot be shown)"

    def send(payload):
        data = json.dumps(payload).encode()
        while data:
            data = data[os.write(results_fd, data):]
        os._exit(0)  # no atexit handler, no thread of the submission, nothing else runs

    with open("job.json", encoding="utf-8") as handle:
        job = json.load(handle)
    os.remove("job.json")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)

    # Hide the project: no path to it, no editable-install finder, an inert rnn_check.
    project = os.path.realpath(job["project_root"])
    allowed_roots = [os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}]
    sys.path[:] = [p for p in sys.path if not (p == "" or os.path.realpath(p) == project)]
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in getattr(f, "__module__", "")]
    for name in list(sys.modules):
        if "editable" in name or name.split(".")[0] in ("rnn_core", "rnn_check", "rnn_viz"):
            del sys.modules[name]
    stub = type(sys)("rnn_check")
    stub.check = lambda *args, **kwargs: None  # a homework notebook's "check my work" cell does nothing here
    sys.modules["rnn_check"] = stub

    import numpy  # loaded while its files are still readable

    # Use the parts of NumPy that load more modules on first use, and seed np.random: a submission
    # that draws random numbers gets the same ones every run (grades are deterministic).
    numpy.random.randn(2)
    numpy.linalg.solve(numpy.eye(2), numpy.ones(2))
    numpy.einsum("ij,j->i", numpy.eye(2), numpy.ones(2))
    repr(numpy.ones((2, 2)))
    numpy.random.seed(0)
    for name in job["preload"]:  # after dropping to `nobody` the interpreter's own files may be unreadable
        try:
            __import__(name)
        except Exception:
            pass

    limit_bytes = job["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (job["cpu_seconds"], job["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024 * 1024, 8 * 1024 * 1024))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(job["uid"])
        os.setuid(job["uid"])
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))  # no new process or thread
    scratch = os.path.realpath(os.getcwd())
    _landlock_writes_only_in(scratch)  # the kernel's own guard, where available (also without root)
    private = [os.path.realpath(p) for p in job["private_roots"]]
    _install_audit_hook(scratch, private, allowed_roots, refusals_fd)

    # Run the submission's code, then the checks.
    filename = job["filename"]
    namespace = {"__name__": "__submission__", "__builtins__": __builtins__}
    try:
        import linecache

        linecache.cache[filename] = (len(job["source"]), None, job["source"].splitlines(True), filename)
        code = compile(job["source"], filename, "exec")
    except SyntaxError as error:
        send({"load_error": {"type": "SyntaxError", "message": str(error.msg), "line": error.lineno,
                             "code": (error.text or "").strip()[:160]}})
    except Exception as error:
        send({"load_error": {"type": type(error).__name__, "message": text(error)}})
    try:
        exec(code, namespace)
    except BaseException as error:  # anything the module code raises, exit() and KeyboardInterrupt included
        import traceback

        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
        where = frames[-1] if frames else None
        message = text(error) if not isinstance(error, SystemExit) else "the code called exit() / sys.exit()"
        send({"load_error": {"type": type(error).__name__, "message": message,
                             "line": where.lineno if where else None,
                             "code": text((where.line or "").strip(), 160) if where else None}})
    cls = namespace.get("SimpleRNN")
    if cls is None:
        send({"missing": sorted(str(k) for k in namespace if not str(k).startswith("__"))[:30]})
    try:
        results = _run_tasks(cls, job["tasks"], {filename})
    except BaseException as error:  # e.g. KeyboardInterrupt raised by the submission's forward()
        send({"load_error": {"type": type(error).__name__, "message": text(error)}})
    send({"runs": results[:-1], "probe": results[-1].get("probe")})


def _landlock_writes_only_in(folder, probe_only: bool = False) -> int:
    """Ask the Linux kernel (Landlock) to refuse this process any file change outside `folder`, and any
    signal to processes outside it; return the Landlock ABI version used, or 0 if it is not available.

    Works without root, and holds even if Python-level guards were undone. Self-contained: it runs in the
    grader's child process (before the audit hook, which refuses ctypes). probe_only: change nothing,
    just return the version.
    """
    import ctypes
    import os

    create_ruleset, add_rule, restrict_self = 444, 445, 446  # syscall numbers, the same on every architecture
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        abi = libc.syscall(create_ruleset, None, ctypes.c_size_t(0), ctypes.c_uint32(1))  # 1: ask the version
        if abi < 1 or probe_only:
            return max(abi, 0)
        write_file, remove_dir, remove_file = 1 << 1, 1 << 4, 1 << 5
        make_any = sum(1 << bit for bit in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
        handled = write_file | remove_dir | remove_file | make_any
        handled |= (1 << 13) if abi >= 2 else 0  # REFER: link or rename across folders
        truncate = (1 << 14) if abi >= 3 else 0
        handled |= truncate
        scope_signal = (1 << 1) if abi >= 6 else 0

        class RulesetAttr(ctypes.Structure):
            _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                        ("scoped", ctypes.c_uint64)]

        class PathBeneathAttr(ctypes.Structure):
            _pack_ = 1
            _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

        attr = RulesetAttr(handled, 0, scope_signal)
        ruleset = libc.syscall(create_ruleset, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)),
                               ctypes.c_uint32(0))
        if ruleset < 0:
            return 0
        for path, access in ((folder, handled), (os.devnull, write_file | truncate)):
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            rule = PathBeneathAttr(access, fd)
            failed = libc.syscall(add_rule, ctypes.c_int(ruleset), ctypes.c_int(1), ctypes.byref(rule), ctypes.c_uint32(0))
            os.close(fd)
            if failed:
                return 0
        if libc.prctl(38, 1, 0, 0, 0):  # PR_SET_NO_NEW_PRIVS, required to restrict oneself without root
            return 0
        if libc.syscall(restrict_self, ctypes.c_int(ruleset), ctypes.c_uint32(0)):
            return 0
        os.close(ruleset)
        return abi
    except Exception:  # no Landlock here (old kernel, not Linux, a container that filters the calls)
        return 0


def _install_audit_hook(scratch, private, allowed_roots, refusals_fd):
    """Install the child's audit hook, which writes each refusal at once to refusals_fd (read by the grader).

    Built in its own function so that no frame of the child keeps a reference to the hook or its state,
    and the gc module's object-finding functions are refused: submitted code cannot reach and disarm it.
    """
    import os
    import sys

    written = set()
    forbidden = frozenset({
        "os.fork", "os.forkpty", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "subprocess.Popen",
        "os.kill", "os.killpg", "signal.pthread_kill", "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function",
        "ctypes.cdata", "resource.setrlimit", "socket.connect", "socket.bind", "pty.spawn", "os.setuid",
        "gc.get_objects", "gc.get_referrers", "gc.get_referents", "sqlite3.connect", "dbm.open",
    })
    changes = frozenset({"os.remove", "os.rmdir", "os.rename", "os.mkdir", "os.truncate", "os.chmod", "os.chown",
                         "os.link", "os.symlink", "os.utime", "shutil.rmtree", "os.setxattr", "os.removexattr"})
    blocked_imports = ("rnn_core", "rnn_viz", "_posixsubprocess", "multiprocessing")
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    readable = tuple(allowed_roots) + (scratch,)

    def under(path, roots):
        return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)

    def refuse(what):
        try:
            os.write(refusals_fd, (what.replace("\n", " ")[:200] + "\n").encode())
        except OSError:
            pass
        raise PermissionError(f"{what} is not allowed during grading")

    def real(path):
        return None if isinstance(path, int) else os.path.realpath(os.fsdecode(os.fspath(path)))

    def hook(event, args):
        if event in forbidden:
            refuse(event)
        elif event == "import" and args[0].split(".")[0] in blocked_imports:
            refuse(f"import {args[0]}")
        elif event == "open":
            path, mode, flags = args
            path = real(path)
            if path is None:
                return
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool((flags or 0) & write_flags)
            if writing and not under(path, (scratch, os.devnull)):
                refuse(f"writing {path}")
            if writing:
                written.add(path)
                if len(written) > 20:  # each file is capped by RLIMIT_FSIZE; this caps their number
                    refuse("writing more than 20 files")
            elif under(path, private) and not under(path, readable):
                refuse(f"read {path}")
            elif os.path.isdir(path) and not under(path, (scratch,)):
                refuse(f"opening the folder {path}")  # a folder's fd (dir_fd=...) would dodge the path checks
        elif event in changes:
            paths = [real(a) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
            if any(p is not None and not under(p, (scratch,)) for p in paths):
                refuse(f"{event} {paths[0]}")

    sys.addaudithook(hook)


CHILD_CODE = "\n\n".join(
    textwrap.dedent(inspect.getsource(f)) for f in (_run_tasks, _landlock_writes_only_in, _install_audit_hook, _child_main)
) + "\n\n_child_main()\n"
# Modules loaded before the child drops to `nobody`: when the grader runs as root with Python installed
# under /root (as in CI), `nobody` cannot read the standard library, so a module a submission imports must
# already be loaded. Loading costs time, so only the allowed modules that the submission's own import lines
# name are loaded (found by a plain text search; an allow-list, because importing is running code, as root).
PRELOAD_ALWAYS = ("traceback", "linecache", "warnings")
PRELOAD_ALLOWED = frozenset(
    "math cmath random itertools functools collections copy typing dataclasses time statistics operator numbers "
    "abc re fractions decimal string enum pprint textwrap contextlib glob fnmatch pathlib inspect timeit heapq "
    "bisect array struct unittest numpy matplotlib scipy os sys io json csv signal shutil importlib gc types "
    "weakref logging datetime".split()
)

NUMPY_LAZY = frozenset("testing fft polynomial ma lib linalg random matlib ctypeslib".split())


def _preload_for(source: str) -> list:
    """The allowed module names (with their dotted sub-modules) that the source's import lines mention."""
    names = set(PRELOAD_ALWAYS)
    for match in re.finditer(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w., \t]+))", source, re.M):
        for name in (match.group(1) or match.group(2)).replace(" as ", ",").split(","):
            name = name.strip()
            if name and name.split(".")[0] in PRELOAD_ALLOWED and re.fullmatch(r"[\w.]+", name):
                names.add(name)
    for match in re.finditer(r"\b(?:np|numpy)\.(\w+)", source):  # NumPy loads these sub-packages on first use
        if match.group(1) in NUMPY_LAZY:
            names.add("numpy." + match.group(1))
    return sorted(names)
NOBODY_UID = 65534  # the user `nobody` on Linux


@dataclass
class Limits:
    timeout: float = 10.0  # seconds of CPU and (plus start-up) of wall clock per submission
    memory_mb: int = 512

    @property
    def wall_seconds(self) -> float:
        return self.timeout + 2.0  # starting Python and NumPy is not the submission's time


RESULT_CAP = 8 * 1024 * 1024  # bytes read from a child at most; a correct answer is about 100 kB


def _run_in_child(submission, limits: Limits, private_roots: list) -> dict:
    """Run one submission in a sandboxed child; return its raw results or {'failure': reason}."""
    scratch = tempfile.mkdtemp(prefix="rnn_check_")
    try:
        job = {
            "source": submission.source,
            "filename": submission.name,
            "tasks": [task.as_data() for task in TASKS] + [_probe_data()],
            "project_root": str(PROJECT_ROOT),
            "private_roots": private_roots,
            "preload": _preload_for(submission.source),
            "memory_mb": limits.memory_mb,
            "cpu_seconds": max(1, int(np.ceil(limits.timeout))),
            "uid": NOBODY_UID,
        }
        Path(scratch, "job.json").write_text(json.dumps(job), encoding="utf-8")
        if os.geteuid() == 0:
            os.chown(scratch, NOBODY_UID, NOBODY_UID)
            os.chmod(scratch, 0o700)
        env = {
            "PATH": os.defpath, "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": scratch, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        }
        import subprocess

        child = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", CHILD_CODE], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=scratch, env=env, start_new_session=True, close_fds=True,
        )
        deadline = time.monotonic() + limits.wall_seconds
        data, refusals, reason = _read_capped(child, deadline)
        finished = None if reason else _wait(child, deadline)  # it may close the pipe and go on running
        if finished is None:
            reason = reason or f"took longer than the time limit of {limits.timeout:g} s"
            _kill(child)
            finished = _wait(child, None)
        status, usage = finished
        child.returncode = os.waitstatus_to_exitcode(status)
        raw = _parse_results(data, reason, child.returncode, usage, limits)
        # What the audit hook refused, as written down the moment it refused (the child cannot erase it).
        raw["blocked"] = refusals.decode("utf-8", errors="replace").splitlines()
        return raw
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _parse_results(data: bytes, reason, code: int, usage, limits: Limits) -> dict:
    """The child's results as a dict, or {'failure': reason in words}."""
    if reason == "time":
        reason = f"took longer than the time limit of {limits.timeout:g} s"
    if reason:
        return {"failure": reason}
    if not data:
        if code in (-signal.SIGXCPU, -signal.SIGKILL) and usage.ru_utime + usage.ru_stime >= limits.timeout - 0.5:
            return {"failure": f"took longer than the time limit of {limits.timeout:g} s (CPU time)"}
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else f"number {-code}"
            return {"failure": f"the process was killed by signal {name} before it returned "
                    "results (over the time or memory limit?)"}
        return {"failure": f"the process ended (exit code {code}) before returning its results: does the code "
                "call os._exit()?"}
    try:
        raw = json.loads(data)
        if isinstance(raw, dict):
            return raw
    except Exception:  # ValueError, or RecursionError for absurdly nested data
        pass
    return {"failure": "its results could not be read (did it write into the grader's channel?)"}


def _read_capped(child, deadline: float):
    """Read the child's two channels until both close, within the deadline and the size caps.

    Returns (results, refusals, failure reason or None)."""
    received = {child.stdout.fileno(): bytearray(), child.stderr.fileno(): bytearray()}
    caps = {child.stdout.fileno(): RESULT_CAP, child.stderr.fileno(): 64 * 1024}
    reason = None
    with selectors.DefaultSelector() as selector:
        for fd in received:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                reason = "time"
                break
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fd)
                elif len(received[key.fd]) + len(chunk) > caps[key.fd]:
                    if key.fd == child.stdout.fileno():
                        reason = "returned far more data than any answer needs"
                    selector.unregister(key.fd)  # stop reading; a child that keeps writing runs into the time limit
                else:
                    received[key.fd] += chunk
            if reason:
                break
    results, refusals = bytes(received[child.stdout.fileno()]), bytes(received[child.stderr.fileno()])
    return (b"" if reason else results), refusals, reason


def _wait(child, deadline):
    """Reap the child (with its CPU usage) by the deadline, or return None; deadline None: wait as long as it takes."""
    while True:
        pid, status, usage = os.wait4(child.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            return status, usage
        if time.monotonic() > deadline:
            return None
        time.sleep(0.005)


def _kill(child) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)  # its own session: the whole group
    except (ProcessLookupError, PermissionError):
        pass


# ---------------------------------------------------------------------------
# 7. Grading: submissions, parallel runs, the CSV and the command line
# ---------------------------------------------------------------------------

MAX_SOURCE_BYTES = 2 * 1024 * 1024


@dataclass
class Submission:
    name: str  # as shown in the CSV: the file name (with its sub-folder, if any)
    path: Path
    source: str | None = None
    problem: str | None = None  # why it could not be read
    line_map: list | None = None  # notebook: line of the joined code -> (code cell number, line in the cell)


def find_submissions(paths) -> list:
    """Files (.py, .ipynb) given directly or found in the given folders, sorted; raises SystemExit on teacher errors."""
    found = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise SystemExit(f"rnn_check grade: no such file or folder: {given}")
        if path.is_file():
            found.append((path.name, path))
            continue
        for file in sorted(path.rglob("*")):
            parts = file.relative_to(path).parts
            if file.is_file() and file.suffix in (".py", ".ipynb") and not any(
                p.startswith(".") or p in ("__pycache__",) for p in parts
            ):
                found.append((file.relative_to(path).as_posix(), file))
    if not found:
        raise SystemExit(f"rnn_check grade: no submissions (.py or .ipynb files) found in {', '.join(map(str, paths))}")
    names = [name for name, _ in found]
    return [Submission(name if names.count(name) == 1 else str(file), file) for name, file in found]


def read_submission(submission: Submission) -> Submission:
    """Read the file into memory (before anything runs); notebooks become their code cells, in order."""
    try:
        data = submission.path.read_bytes()
    except OSError as error:
        submission.problem = f"could not be read ({error.strerror})"
        return submission
    if len(data) > MAX_SOURCE_BYTES:
        submission.problem = f"is {len(data)} bytes, more than the {MAX_SOURCE_BYTES} allowed"
        return submission
    text = data.decode("utf-8", errors="replace")
    if submission.path.suffix != ".ipynb":
        submission.source = text
        return submission
    try:
        cells = json.loads(text)["cells"]
        sources = [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                   for c in cells if c.get("cell_type") == "code"]
    except (ValueError, KeyError, TypeError):
        submission.problem = "is not a readable Jupyter notebook (.ipynb)"
        return submission
    lines, line_map = [], []
    for number, source in enumerate(sources, start=1):
        for index, line in enumerate(source.splitlines(), start=1):
            if line.lstrip().startswith(("%", "!")):  # IPython magics and shell commands are not Python
                line = line[: len(line) - len(line.lstrip())] + "pass  # skipped by the grader: " + line.strip()[:60]
            lines.append(line)
            line_map.append((number, index))
        lines.append("")
        line_map.append((number, len(source.splitlines()) + 1))
    submission.source, submission.line_map = "\n".join(lines) + "\n", line_map
    return submission


def grade_one(submission: Submission, limits: Limits, private_roots: list) -> CheckResult:
    if submission.problem:
        return _error_result(f"the file {submission.problem}.", diagnosis="unreadable file")
    try:
        raw = _run_in_child(submission, limits, private_roots)
        return _result_from_raw(raw, submission)
    except Exception as error:  # never let one submission stop the grading of the others
        return _error_result(f"could not be graded ({type(error).__name__}: {str(error)[:200]})", diagnosis="grader error")


def _result_from_raw(raw: dict, submission: Submission) -> CheckResult:
    result = _result_from_raw_data(raw, submission)
    if result.notes and result.status != "flagged":
        result.feedback += " " + result.notes[0]  # the teacher should know what it tried
    return result


def _result_from_raw_data(raw: dict, submission: Submission) -> CheckResult:
    blocked = raw.get("blocked") if isinstance(raw.get("blocked"), list) else []
    blocked = list(dict.fromkeys(str(entry)[:200] for entry in blocked[:1000]))
    notes = ["The grader blocked: " + "; ".join(str(b)[:200] for b in blocked[:5]) + "."] if blocked else []
    if "failure" in raw:
        failure = str(raw["failure"])[:300]
        label = "time limit" if "time limit" in failure else "crashed or exited" if "process" in failure else "unreadable results"
        return _error_result(failure, notes, label)
    if any(str(b).startswith(("import rnn_core", "import rnn_viz", "read ")) for b in blocked):
        return judge({"blocked": blocked, "runs": []})
    if "load_error" in raw:
        error = raw["load_error"] if isinstance(raw["load_error"], dict) else {}
        kind, message = str(error.get("type", "Error"))[:60], str(error.get("message", ""))[:300]
        if kind == "SyntaxError":
            text, label = f"syntax error: {message}", "syntax error"
        elif kind == "SystemExit":
            text, label = "the code calls exit() / sys.exit() while loading, which ends the program", "exit()"
        elif kind == "MemoryError":
            text, label = "ran out of memory while loading (MemoryError)", "memory limit"
        else:
            text, label = f"loading the code raised {kind}: {message}", "error while loading"
            if kind == "ModuleNotFoundError":
                text += (" (the grading sandbox can load a module only if the file imports it by name, with "
                         "an import line of its own)")
        if isinstance(error.get("line"), int):
            text += f" (at {_where(error['line'], submission.line_map)}: {str(error.get('code') or '')[:120]})"
        return _error_result(text, notes, label)
    if "missing" in raw:
        names = [str(n)[:40] for n in raw["missing"]][:30] if isinstance(raw["missing"], list) else []
        similar = [n for n in names if n.lower() == "simplernn"]
        text = "defines no SimpleRNN class"
        text += f" (found {similar[0]}: names are case-sensitive)" if similar else (
            f" (it defines: {', '.join(names[:8])})" if names else "")
        return _error_result(text, notes, "no SimpleRNN")
    try:
        return judge(raw, submission.line_map)
    except Exception:  # the child's data is untrusted: anything malformed means no grade
        return _error_result("its results could not be read (did it write into the grader's channel?)", notes)


def grade(paths, csv_path, jobs=None, limits: Limits | None = None, out=sys.stdout) -> list:
    """Grade every submission found under `paths`; write the CSV; return [(Submission, CheckResult)]."""
    limits = limits or Limits()
    submissions = [read_submission(s) for s in find_submissions(paths)]  # all in memory before any runs
    jobs = jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    # Files the submissions may not read: the project (rnn_core!) and the submissions themselves.
    private_roots = [str(PROJECT_ROOT)] + [str(p if p.is_dir() else p.parent) for p in map(lambda g: Path(g).resolve(), paths)]
    total = len(submissions)
    print(f"Grading {total} submission(s) with {jobs} parallel job(s); limits {limits.timeout:g} s, "
          f"{limits.memory_mb} MB each.", file=out, flush=True)
    user = "the user nobody" if os.geteuid() == 0 else "your own user (run as root, e.g. in CI, to use `nobody`)"
    guard = "on" if _landlock_writes_only_in(None, probe_only=True) else "not available on this system"
    print(f"Each submission runs in its own process as {user}; kernel file guard (Landlock): {guard}.",
          file=out, flush=True)
    results = [None] * total
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_one, s, limits, private_roots): i for i, s in enumerate(submissions)}
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            results[index] = future.result()
            print(f"[{done:>{len(str(total))}}/{total}] {submissions[index].name}: {_verdict(results[index])}",
                  file=out, flush=True)
    write_csv(csv_path, submissions, results)
    print(_summary(submissions, results, time.monotonic() - started, csv_path), file=out, flush=True)
    return list(zip(submissions, results))


def _verdict(result: CheckResult) -> str:
    return f"{result.status} {result.score}/{result.max_score}"


def write_csv(csv_path, submissions, results) -> None:
    rows = sorted(zip(submissions, results), key=lambda pair: pair[0].name)
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submission", "passed", "score", "max_score", "status", "feedback"])
        for submission, result in rows:
            feedback = " ".join(result.feedback.split())  # one line
            writer.writerow([submission.name, "true" if result.passed else "false", result.score, result.max_score,
                             result.status, feedback])


def _summary(submissions, results, seconds: float, csv_path) -> str:
    counts = {status: sum(r.status == status for r in results) for status in ("passed", "failed", "error", "flagged")}
    lines = [
        "",
        f"Graded {len(results)} submission(s) in {seconds:.1f} s: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".",
    ]
    scores = [r.score for r in results]
    if scores:
        lines.append(f"Scores out of {results[0].max_score}: mean {np.mean(scores):.1f}, lowest {min(scores)}, highest {max(scores)}.")
    problems = {}
    for result in results:
        if result.status != "passed":
            key = result.diagnosis or result.status
            problems[key] = problems.get(key, 0) + 1
    if problems:
        lines.append("First problems found (a submission counts once):")
        for key, count in sorted(problems.items(), key=lambda kv: (-kv[1], kv[0]))[:10]:
            lines.append(f"  {count:>4}  {key}")
    lines.append(f"Wrote {csv_path}.")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnn_check", description="Check SimpleRNN homework against rnn_core.")
    commands = parser.add_subparsers(dest="command", required=True)
    grader = commands.add_parser("grade", help="grade .py / .ipynb submissions (files or folders) into a CSV")
    grader.add_argument("paths", nargs="+", help="submission files or folders")
    grader.add_argument("--csv", required=True, help="where to write the grades (one row per submission)")
    grader.add_argument("--jobs", type=int, default=None, help="submissions run in parallel (default: number of cores)")
    grader.add_argument("--timeout", type=float, default=Limits.timeout, help="seconds per submission (default %(default)s)")
    grader.add_argument("--memory", type=int, default=Limits.memory_mb, help="MB of memory per submission (default %(default)s)")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1 or args.timeout <= 0 or args.memory < 128:
        parser.error("--jobs must be at least 1, --timeout positive, --memory at least 128 (MB)")
    try:
        grade(args.paths, args.csv, args.jobs, Limits(args.timeout, args.memory))
    except SystemExit as error:
        if isinstance(error.code, str):
            print(error.code, file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
