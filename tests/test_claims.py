"""The claim mechanism (rnn_check.claims) and proof that it can fail a notebook.

A notebook's markdown quotes a number only where a code cell next to it asserts it with `claim`. These
tests show that a false claim stops the notebook: one stored notebook, with one number in one claim
changed on purpose, is executed the way `tools/execute_notebooks.py` and nbval execute it.
"""

from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from rnn_check.claims import claim

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_a_true_claim_prints_its_statement(capsys):
    claim(1 + 1 == 2, "one and one make 2")
    assert capsys.readouterr().out == "✓ one and one make 2\n"


def test_a_false_claim_raises_with_its_statement(capsys):
    with pytest.raises(AssertionError, match="claim is false: one and one make 3"):
        claim(1 + 1 == 3, "one and one make 3")
    assert capsys.readouterr().out == ""


def test_a_claim_needs_a_statement():
    with pytest.raises(TypeError):
        claim(True, "")


def _run(nb, path):
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources)
    client.execute()


def test_a_notebook_with_a_number_changed_in_a_claim_fails(tmp_path):
    path = NOTEBOOKS / "02_loss_and_output_gradients.ipynb"
    nb = nbformat.read(path, as_version=4)
    true_claim = "claim((T, I, H, O) == (8, 1, 4, 1),"
    cells = [cell for cell in nb.cells if cell.cell_type == "code" and true_claim in cell.source]
    assert len(cells) == 1, "the claim this test falsifies has moved: update the test"
    cells[0].source = cells[0].source.replace(true_claim, "claim((T, I, H, O) == (9, 1, 4, 1),")
    with pytest.raises(CellExecutionError, match="claim is false: the example has T = 8"):
        _run(nb, path)


def test_exercise_3_of_notebook_03_is_caught_by_the_students_own_check():
    # Exercise 3 of 03: drop the tanh derivative in section 5; section 7 must then fail, because it checks
    # the student's own dW_xh_t, dW_hh_t, db_h_t, dh_prev and not rnn_core's.
    path = NOTEBOOKS / "03_one_step_back.ipynb"
    nb = nbformat.read(path, as_version=4)
    line = "dh_raw = (1 - h_t**2) * dh  # (H, 1)"
    cells = [cell for cell in nb.cells if cell.cell_type == "code" and line in cell.source]
    assert len(cells) == 1
    cells[0].source = cells[0].source.replace(line, "dh_raw = dh  # exercise 3: the factor dropped")
    with pytest.raises(CellExecutionError, match="claim is false: the local gradients computed"):
        _run(nb, path)


# ---- what notebook 08 states but cannot assert itself -----------------------------------------------------
# The homework notebook is handed out and graded as a submission: a code cell there importing rnn_core would
# be copied into every student's notebook and flagged by the grader. So the numbers its markdown gives are
# asserted here, each next to the sentence it backs, read from the notebook: the two cannot drift apart.


def _markdown_of(name: str) -> str:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def test_08_says_what_rnn_check_runs():
    import rnn_core
    from rnn_check import cases

    text = _markdown_of("08_homework_bptt.ipynb")
    assert "runs your class on three cases" in text and len(cases.CASES) == 3
    assert "(input size ≠ output size)" in text
    assert all(case.input_size != case.output_size for case in cases.CASES)
    assert "$T = 1$ and\n$T > 1$" in text and {case.steps == 1 for case in cases.CASES} == {True, False}
    assert "non-zero biases" in text
    assert all(np.all(case.params[b] != 0) for case in cases.CASES for b in ("b_h", "b_y"))
    assert "learning rates 0.01, 0.05 and 0.02" in text
    assert (
        [case.learning_rate for case in cases.CASES]
        == [0.01, 0.05, 0.02]
        == [rnn_core.LEARNING_RATE, 0.05, 0.02]
    )


def test_08_checks_eight_parts():
    from reference import (
        ReferenceRNN,
    )  # the source's standard code, restated (rnn_core's own class is flagged)

    from rnn_check import check

    assert "It scores 8 parts" in _markdown_of("08_homework_bptt.ipynb")
    result = check(ReferenceRNN, verbose=False)
    assert result.max_score == 8 == len(result.checks) and result.score >= 7  # it keeps no last_hiddens


def _try_it_sequence(seed: int):
    """x (5, 3) and targets (5, 2), as the homework's "Try it" cells draw them (T = 5, I = 3, O = 2)."""
    rng = np.random.RandomState(seed)
    return rng.randn(5, 3), rng.randn(5, 2)


def test_08_exercise_2_gradient_check_statements():
    import rnn_core

    text = _markdown_of("08_homework_bptt.ipynb")
    # "p = rnn_core.random_params(3, 4, 2, seed=1) (every entry N(0, 0.5^2))"
    assert "`p = rnn_core.random_params(3, 4, 2, seed=1)` (every entry $\\mathcal N(0, 0.5^2)$)" in text
    draws = np.concatenate([v.ravel() for v in rnn_core.random_params(200, 200, 1, seed=1).values()])
    assert abs(np.std(draws) - 0.5) < 0.01 and abs(np.mean(draws)) < 0.01
    # "with a correct class every one is far below that tolerance" (1e-6): below 1e-7 on 50 sequences
    assert "tolerance=1e-6" in text and "every one is far below that tolerance" in text
    p = rnn_core.random_params(3, 4, 2, seed=1)
    worst = max(
        max(rnn_core.gradient_check(p, *_try_it_sequence(s), tolerance=1e-6).errors.values())
        for s in range(50)
    )
    assert worst < 1e-7
    # "on some sequences rnn_core's own exact gradient then fails the same check": the class's own weights
    assert "on some sequences `rnn_core`'s own exact gradient then fails the same check" in text
    failed = []
    for s in range(50):
        np.random.seed(s)
        model = rnn_core.SimpleRNN(3, 4, 2)
        tiny = {name: getattr(model, name).copy() for name in rnn_core.PARAM_NAMES}
        failed.append(not rnn_core.gradient_check(tiny, *_try_it_sequence(s), tolerance=1e-6).passed)
    assert any(failed)
