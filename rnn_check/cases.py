"""rnn_check.cases: which models, sequences and learning rates a student's SimpleRNN is run on.

Several sizes with input_size != output_size, T = 1 and T > 1, non-zero biases, and a learning rate other
than 0.01 (so a hard-coded 0.01 shows). The checker sets the weights itself, so the student's random
initialiser plays no part in the numbers. A task's data holds the inputs only, never an expected answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

import rnn_core

PARAM_NAMES = rnn_core.PARAM_NAMES
CHECK_NAMES = ("initial shapes", "forward outputs", "hidden states") + tuple(
    f"{name} update" for name in PARAM_NAMES
)


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
    target_scale: float = 1.0  # the targets y are drawn from a normal distribution times this

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
        x = rng.standard_normal((self.steps, self.input_size))
        return x, self.target_scale * rng.standard_normal((self.steps, self.output_size))


# Gradients are often clipped at +-5 (or 1): a clipped backward() must show, so one case has targets far
# enough from the outputs that every parameter has gradient entries above twice this (found with rnn_core).
CLIP_SEEN = 5.0


def large_gradient_case(input_size, hidden_size, output_size, steps, learning_rate, seed) -> Case:
    """The case with the smallest target scale (1, 2, 4, ...) at which rnn_core's gradient of every
    parameter has an entry above 2 * CLIP_SEEN."""
    scale = 1.0
    while True:
        case = Case(
            input_size,
            hidden_size,
            output_size,
            steps,
            learning_rate=learning_rate,
            seed=seed,
            target_scale=scale,
        )
        x, y = case.sequence
        grads = rnn_core.gradients(case.params, x, y)[1]
        if all(np.max(np.abs(g)) > 2 * CLIP_SEEN for g in grads.values()) or scale >= 1024:
            return case
        scale *= 2


CASES = (
    Case(3, 4, 2, steps=6, learning_rate=rnn_core.LEARNING_RATE, seed=11),  # the problem's learning rate
    Case(2, 3, 1, steps=1, learning_rate=0.05, seed=12),  # one time step; another learning rate
    large_gradient_case(1, 5, 3, steps=4, learning_rate=0.02, seed=13),  # gradients above 10: clipping shows
)
PROBE_CASE = Case(2, 3, 1, steps=3, learning_rate=rnn_core.LEARNING_RATE, seed=14)


def hidden_case(seed: int) -> Case:
    """A case drawn at grading time from `seed` (sizes, length, learning rate and numbers): a submission
    cannot know it in advance, so a table of answers to the public CASES built offline fails it."""
    rng = np.random.default_rng(seed)
    input_size, hidden_size, output_size = (int(v) for v in rng.integers((1, 2, 1), (5, 7, 4)))
    return Case(
        input_size,
        hidden_size,
        output_size,
        steps=int(rng.integers(2, 7)),
        learning_rate=float(rng.choice([0.003, 0.02, 0.03, 0.07, 0.1])),
        seed=int(rng.integers(100, 2**31)),
    )


@dataclass(frozen=True)
class Task:
    """One run of the student's class: case `case_index` (or the hidden case given), on the first `steps`
    time steps."""

    case_index: int
    steps: int
    hidden: Case | None = None

    @property
    def case(self) -> Case:
        return self.hidden if self.hidden is not None else CASES[self.case_index]

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


def probe_data() -> dict:
    """Three calls with bad input whose exact error messages identify rnn_core.SimpleRNN itself."""
    x, y = PROBE_CASE.sequence
    params = {name: value.tolist() for name, value in PROBE_CASE.params.items()}
    return {
        "kind": "probe",
        "sizes": list(PROBE_CASE.sizes),
        "params": params,
        "x": x.tolist(),
        "y": y.tolist(),
    }
