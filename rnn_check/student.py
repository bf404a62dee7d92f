"""rnn_check.student: `rnn_check.check(SimpleRNN)`, what a student calls in a notebook."""

from __future__ import annotations

import numbers

import numpy as np

import rnn_core
from rnn_check.cases import CHECK_NAMES, TASKS, probe_data
from rnn_check.child import run_tasks
from rnn_check.judging import CheckItem, CheckResult, error_result, judge
from rnn_check.messages import language, say

# ---------------------------------------------------------------------------
# 5. check(): the student's entry point
# ---------------------------------------------------------------------------


def check(model, verbose: bool = True, lang: str | None = None) -> CheckResult:
    """Check a SimpleRNN class (or an instance of it) against rnn_core; print a report; return a CheckResult.

    The checker creates its own models with SimpleRNN(I, H, O), sets W_xh, W_hh, W_hy, b_h, b_y itself,
    calls forward(x) and then backward(x, y, learning_rate), then sets the same weights again and calls both
    once more on the same model (the second round must give the first round's results: no state kept between
    calls), on several cases (see CASES; one has gradients above 5, so clipping shows).

    lang: the language of the report, "en" or "zh" (None: the notebook's, rnn_viz.language.current()).
    """
    lang = language(lang)  # a bad lang is an error before anything runs
    cls = model if isinstance(model, type) else type(model)
    if model is None or isinstance(model, (numbers.Number, str, bytes, list, dict, tuple, np.ndarray)):
        result = error_result(
            say(
                "check() needs your SimpleRNN class (or a model made from it), but it got {kind}.",
                lang,
                kind=type(model).__name__,
            ),
            lang=lang,
        )
    elif isinstance(cls, type) and issubclass(cls, rnn_core.SimpleRNN):
        result = CheckResult(
            [CheckItem(name) for name in CHECK_NAMES],
            "flagged",
            say("This is rnn_core.SimpleRNN (the reference), not your own class: pass your SimpleRNN.", lang),
            lang=lang,
        )
    else:
        files = _student_files(cls)
        runs = run_tasks(cls, [task.as_data() for task in TASKS] + [probe_data()], files)
        try:
            result = judge({"runs": runs[:-1], "probe": runs[-1]["probe"]}, lang=lang)
        except Exception as error:  # a bug of the checker's own: say so, without a traceback
            result = error_result(
                say(
                    "the checker itself failed ({kind}: {error}); please tell your teacher, and include "
                    "this message.",
                    lang,
                    kind=type(error).__name__,
                    error=error,
                ),
                lang=lang,
            )
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
