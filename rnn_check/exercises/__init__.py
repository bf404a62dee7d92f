"""rnn_check.exercises: the checks a student runs on a notebook's exercises, in the notebook itself.

    from rnn_check.exercises import check
    check("01.1", answer)     # prints whether the answer is right, the first thing wrong, and a hint

`check` prints and returns nothing, so a notebook shows the verdict once; `verdict` returns it as a
Verdict (for tests and for code that wants `.right`).

Each notebook's exercises live in a module of this package named after it (ex01.py for notebook 01,
...); every module defines EXERCISES, a list of `Exercise`. An exercise holds the question in one line,
a function that computes the right answer with rnn_core / rnn_lab (never a number typed in), and the
typical mistakes: for each, a function computing the answer that mistake gives, and the hint to show.
The verdict answers like the homework does: right or wrong, the first thing wrong, and a hint when the
answer is a recognised mistake. An unanswered exercise (answer None) says so, without a traceback, so
a notebook's Run All goes on.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = ["Exercise", "Verdict", "check", "exercises", "verdict"]

RTOL, ATOL = 1e-6, 1e-9  # an answer computed another way (by hand with a calculator: 4+ digits) still passes


@dataclass
class Exercise:
    key: str  # "01.1": notebook 01, exercise 1
    question: str  # one line, as the notebook asks it
    answer: Callable[[], object]  # computes the right answer
    mistakes: dict = field(default_factory=dict)  # name -> (function computing that answer, hint)
    form: str = ""  # what the answer looks like, e.g. "an array of shape (3,)", said when the form is wrong
    rtol: float = RTOL


@dataclass
class Verdict:
    key: str
    right: bool | None  # None: not answered yet
    message: str = ""  # for a wrong answer: the first thing wrong
    hint: str = ""
    mistake: str = ""  # the recognised mistake, if any

    def __str__(self) -> str:
        if self.right is None:
            return (
                f"Exercise {self.key}: not answered yet. Put your answer in place of None, then run the cell."
            )
        if self.right:
            return f"Exercise {self.key}: right."
        lines = [f"Exercise {self.key}: not yet right. {self.message}"]
        if self.hint:
            lines.append(f"Hint: {self.hint}")
        return "\n".join(lines)

    def _repr_pretty_(
        self, printer, cycle
    ) -> None:  # a notebook shows the verdict as text, not as a dataclass
        printer.text(str(self))


def _as_array(value):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def rounded_right(want: np.ndarray, got: np.ndarray) -> np.ndarray:
    """Which entries equal the right value rounded to 3 or more significant digits.

    0.393 and 0.3935 are 0.39348 rounded; 0.340 (which Python keeps as 0.34) is 0.34003 rounded to three
    digits; 0.39 and 0.4 are not accepted for 0.39348 (two digits, or one, say too little).
    """
    ok = np.zeros(got.shape, dtype=bool)
    for index in np.ndindex(got.shape):
        value = float(want[index])
        ok[index] = any(
            np.isclose(got[index], float(f"{value:.{digits - 1}e}"), rtol=1e-12, atol=0)
            for digits in range(3, 17)
        )
    return ok


def difference(expected, given, rtol: float = RTOL) -> str:
    """'' when `given` equals `expected`; else the first difference.

    Numbers count as equal within rtol, or when they are the right value rounded to three or more
    significant digits. When the answer is a vector, a column or a row of the right numbers is right.
    It says where and in which direction, never the expected value itself: the check must not hand out
    the answer.
    """
    if isinstance(expected, (bool, np.bool_, str)) or expected is None:
        return "" if given == expected else f"{given!r} is not the answer."
    want, got = _as_array(expected), _as_array(given)
    if got is None:
        return f"the answer is numbers, but you gave a {type(given).__name__}."
    if want.ndim == 1 and got.shape in ((want.size, 1), (1, want.size)):
        got = got.reshape(want.shape)  # the answer is a vector: a column (n, 1) or a row (1, n) of it is fine
    if got.shape != want.shape:
        return f"your answer has shape {got.shape}, but the answer has shape {want.shape}."
    if not np.all(np.isfinite(got)):
        return "your answer contains NaN or infinite values."
    close = np.isclose(got, want, rtol=rtol, atol=ATOL) | rounded_right(want, got)
    if close.all():
        return ""
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    where = f"the entry at index {index}" if want.ndim else "your number"
    direction = "too large" if got[index] > want[index] else "too small"
    return f"{where} ({got[index]:.6g}) is {direction}."


def exercises() -> dict:
    """Every exercise of every notebook, by key."""
    found = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("ex"):
            for exercise in importlib.import_module(f"{__name__}.{module.name}").EXERCISES:
                assert exercise.key not in found, f"two exercises named {exercise.key}"
                found[exercise.key] = exercise
    return found


def verdict(key: str, answer) -> Verdict:
    """The verdict on `answer` to exercise `key` ("01.1"), without printing it."""
    known = exercises()
    if key not in known:
        raise KeyError(f"there is no exercise {key!r}; the exercises are {', '.join(sorted(known))}.")
    exercise = known[key]
    if answer is None:
        return Verdict(key, None)
    problem = difference(exercise.answer(), answer, exercise.rtol)
    result = Verdict(key, not problem, problem)
    if problem:
        for name, (mistake, hint) in exercise.mistakes.items():
            if not difference(mistake(), answer, exercise.rtol):
                result.hint, result.mistake = hint, name
                break
        if exercise.form and "shape" in problem:
            result.hint = result.hint or f"The answer should be {exercise.form}."
    return result


def check(key: str, answer) -> None:
    """Check `answer` to exercise `key` ("01.1") and print the verdict."""
    print(verdict(key, answer))
