"""The marker reader used by `make test-binder` and `make test-browser`."""

import nbmarkers


def code_cell(source, tags=()):
    return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)}}


def test_a_tag_or_a_comment_marks_a_cell_as_raising():
    assert nbmarkers.expected_to_raise(code_cell("f()", tags=["raises-exception"]))
    assert nbmarkers.expected_to_raise(code_cell("f()", tags=["nbval-raises-exception"]))
    assert nbmarkers.expected_to_raise(code_cell(["# NBVAL_RAISES_EXCEPTION: TODO cell\n", "f()\n"]))
    assert nbmarkers.expected_to_raise(code_cell("x = 1\n  #NBVAL_RAISES_EXCEPTION\n"))


def test_other_cells_are_not_expected_to_raise():
    assert not nbmarkers.expected_to_raise(code_cell("f()"))
    assert not nbmarkers.expected_to_raise(code_cell("# NBVAL_IGNORE_OUTPUT\nf()", tags=["nbval-skip"]))
    assert not nbmarkers.expected_to_raise(code_cell('print("NBVAL_RAISES_EXCEPTION")'))  # not a comment
    markdown = {"cell_type": "markdown", "source": "# NBVAL_RAISES_EXCEPTION", "metadata": {}}
    assert not nbmarkers.expected_to_raise(markdown)


def test_only_the_tag_lets_jupyterlab_run_all_go_on():
    assert nbmarkers.raises_by_tag(code_cell("f()", tags=["raises-exception"]))
    assert not nbmarkers.raises_by_tag(code_cell("# NBVAL_RAISES_EXCEPTION\nf()"))
    assert nbmarkers.raises_by_comment(code_cell("# NBVAL_RAISES_EXCEPTION\nf()"))
