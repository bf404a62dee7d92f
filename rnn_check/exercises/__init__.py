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

The verdict speaks the notebook's language: English, or Chinese in notebooks/zh/ (rnn_viz.language decides;
`check(key, answer, lang="zh")` chooses). The questions, hints and forms are written here in English and
put into Chinese by rnn_check.messages (the catalogue rnn_check/messages_zh.py); right or wrong is decided
once, in numbers, whatever the language.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from rnn_check.messages import language, say

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
    lang: str = "en"  # the language of message and hint, and of the verdict's own words

    def __str__(self) -> str:
        lang = self.lang
        if self.right is None:
            return say(
                "Exercise {key}: not answered yet. Put your answer in place of None, then run the cell.",
                lang,
                key=self.key,
            )
        if self.right:
            return say("Exercise {key}: right.", lang, key=self.key)
        lines = [say("Exercise {key}: not yet right. {message}", lang, key=self.key, message=self.message)]
        if self.hint:
            lines.append(say("Hint: {hint}", lang, hint=self.hint))
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


def difference(expected, given, rtol: float = RTOL, lang: str = "en") -> str:
    """'' when `given` equals `expected`; else the first difference.

    Numbers count as equal within rtol, or when they are the right value rounded to three or more
    significant digits. When the answer is a vector, a column or a row of the right numbers is right.
    It says where and in which direction, never the expected value itself: the check must not hand out
    the answer. Its words are in `lang`.
    """
    if isinstance(expected, (bool, np.bool_, str)) or expected is None:
        return "" if given == expected else say("{given} is not the answer.", lang, given=repr(given))
    want, got = _as_array(expected), _as_array(given)
    if got is None:
        return say("the answer is numbers, but you gave a {kind}.", lang, kind=type(given).__name__)
    if want.ndim == 1 and got.shape in ((want.size, 1), (1, want.size)):
        got = got.reshape(want.shape)  # the answer is a vector: a column (n, 1) or a row (1, n) of it is fine
    if got.shape != want.shape:
        return say(
            "your answer has shape {shape}, but the answer has shape {expected}.",
            lang,
            shape=got.shape,
            expected=want.shape,
        )
    if not np.all(np.isfinite(got)):
        return say("your answer contains NaN or infinite values.", lang)
    close = np.isclose(got, want, rtol=rtol, atol=ATOL) | rounded_right(want, got)
    if close.all():
        return ""
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    value = float(got[index])
    if got[index] > want[index]:
        if want.ndim:
            return say(
                "the entry at index {index} ({value:.6g}) is too large.", lang, index=index, value=value
            )
        return say("your number ({value:.6g}) is too large.", lang, value=value)
    if want.ndim:
        return say("the entry at index {index} ({value:.6g}) is too small.", lang, index=index, value=value)
    return say("your number ({value:.6g}) is too small.", lang, value=value)


def exercises() -> dict:
    """Every exercise of every notebook, by key."""
    found = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("ex"):
            for exercise in importlib.import_module(f"{__name__}.{module.name}").EXERCISES:
                assert exercise.key not in found, f"two exercises named {exercise.key}"
                found[exercise.key] = exercise
    return found


def verdict(key: str, answer, lang: str | None = None) -> Verdict:
    """The verdict on `answer` to exercise `key` ("01.1"), without printing it; its words in `lang` ("en",
    "zh"; None: the notebook's language)."""
    lang = language(lang)
    known = exercises()
    if key not in known:
        raise KeyError(
            say(
                "there is no exercise {key}; the exercises are {keys}.",
                lang,
                key=repr(key),
                keys=", ".join(sorted(known)),
            )
        )
    exercise = known[key]
    if answer is None:
        return Verdict(key, None, lang=lang)
    expected = exercise.answer()
    problem = difference(expected, answer, exercise.rtol)  # English, where the logic reads its words
    result = Verdict(key, not problem, difference(expected, answer, exercise.rtol, lang), lang=lang)
    if problem:
        for name, (mistake, hint) in exercise.mistakes.items():
            if not difference(mistake(), answer, exercise.rtol):
                result.hint, result.mistake = say(hint, lang), name
                break
        if exercise.form and "shape" in problem:
            result.hint = result.hint or say(
                "The answer should be {form}.", lang, form=say(exercise.form, lang)
            )
    return result


def check(key: str, answer, lang: str | None = None) -> None:
    """Check `answer` to exercise `key` ("01.1") and print the verdict (in `lang`; None: the notebook's)."""
    print(verdict(key, answer, lang))
