"""The claim mechanism (rnn_check.claims) and proof that it can fail a notebook.

A notebook's markdown quotes a number only where a code cell next to it asserts it with `claim`. These
tests show that a false claim stops the notebook: one stored notebook, with one number in one claim
changed on purpose, is executed the way `tools/execute_notebooks.py` and nbval execute it.
"""

from pathlib import Path

import nbformat
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
