"""The notebooks' exercise checks (rnn_check.exercises): each accepts its right answer, rejects the
typical wrong ones with the hint written for them, says when it is not answered yet, and never hands out
the answer."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_check.exercises import Verdict, check, difference, exercises, verdict

ALL = exercises()


def test_there_are_exercises():
    assert "01.1" in ALL


@pytest.mark.parametrize("key", sorted(ALL))
def test_the_right_answer_is_right(key, capsys):
    assert verdict(key, ALL[key].answer()).right is True
    check(key, ALL[key].answer())
    assert capsys.readouterr().out == f"Exercise {key}: right.\n"


@pytest.mark.parametrize("key", sorted(ALL))
def test_each_exercise_knows_at_least_two_typical_mistakes(key):
    assert len(ALL[key].mistakes) >= 2


@pytest.mark.parametrize(
    "key, mistake", [(key, name) for key in sorted(ALL) for name in ALL[key].mistakes], ids=str
)
def test_a_typical_mistake_is_wrong_and_gets_its_hint(key, mistake, capsys):
    wrong, hint = ALL[key].mistakes[mistake]
    result = verdict(key, wrong())
    assert result.right is False and result.mistake == mistake and result.hint == hint, result
    assert check(key, wrong()) is None  # it prints; a notebook then shows the verdict once
    printed = capsys.readouterr().out
    assert printed.startswith(f"Exercise {key}: not yet right.") and f"Hint: {hint}" in printed


@pytest.mark.parametrize("key", sorted(ALL))
def test_the_check_never_prints_the_answer(key, capsys):
    """A wrong answer's message names where and which way, not the expected value."""
    right = ALL[key].answer()
    shown = [repr(right)] if isinstance(right, (str, bool)) else [f"{v:.6g}" for v in np.ravel(right)]
    for name, (wrong, _) in ALL[key].mistakes.items():
        check(key, wrong())
        message = capsys.readouterr().out.split("Hint:")[0]
        assert not [value for value in shown if value in message], (name, message)


@pytest.mark.parametrize("key", sorted(ALL))
def test_an_unanswered_exercise_says_so_without_an_error(key, capsys):
    assert verdict(key, None).right is None
    check(key, None)
    assert "not answered yet" in capsys.readouterr().out


def test_difference_reports_shape_direction_and_kind():
    assert difference(np.ones(3), np.ones(3)) == ""
    assert "shape (2,)" in difference(np.ones(3), np.ones(2))
    assert "(1.5) is too large" in difference(np.ones(3), [1, 1.5, 1])
    assert "(0.5) is too small" in difference(np.ones(3), [0.5, 1, 1])
    assert "NaN" in difference(np.ones(2), [np.nan, 1])
    assert "you gave a str" in difference(np.ones(2), "two")
    assert difference(True, True) == "" and difference(True, False) != ""


def test_an_unknown_exercise_is_named():
    with pytest.raises(KeyError, match=r"no exercise '99.9'.*01.1"):
        verdict("99.9", 1)


def test_a_verdict_shows_as_text_in_a_notebook():
    class Printer:
        text_out = ""

        def text(self, value):
            self.text_out += value

    printer = Printer()
    Verdict("01.1", True)._repr_pretty_(printer, False)
    assert printer.text_out == "Exercise 01.1: right."


def test_an_answer_rounded_to_the_digits_written_is_right():
    """0.393 is 0.39348 to three digits; a column of the right numbers is the right vector."""
    assert difference(np.array([0.46212, 0.39348, 0.34003]), [0.462, 0.393, 0.340]) == ""
    assert difference(np.array([0.46212, 0.39348, 0.34003]), [[0.462], [0.393], [0.340]]) == ""
    assert "too large" in difference(np.array([0.39348]), [0.394])  # wrongly rounded
    assert "too large" in difference(np.array([0.39348]), [0.4])  # one digit is not enough
    assert "too small" in difference(np.array([0.39348]), [0.39])  # nor two
    assert "shape" in difference(np.ones((1, 4)), np.ones((4, 1)))  # a matrix's shape still matters
    assert difference(np.array(3.38e-4), 3.38e-4) == "" and difference(np.array(3.38e-4), 3.4e-4) != ""
