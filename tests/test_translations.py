"""The Chinese edition cannot drift from the English one (tools/translations.py).

Every English notebook has a translation store and a Chinese notebook built from it; these tests fail
when an English markdown cell changes without its translation, when a code cell differs between the
editions, when a translation is missing, stale or skips a glossary term, and when a link of a Chinese
notebook points nowhere.
"""

import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import translations  # noqa: E402  (tools/translations.py)

ENGLISH = translations.english_notebooks()


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_the_chinese_notebook_is_in_step_with_the_english_one(english):
    found = translations.problems(english)
    assert not found, "\n".join(found)


def test_every_english_notebook_has_a_chinese_one_and_nothing_else_is_there():
    chinese = sorted(path.name for path in translations.CHINESE.glob("*.ipynb"))
    assert chinese == [path.name for path in ENGLISH]
    stores = sorted(path.name for path in translations.STORES.glob("*.md"))
    assert stores == [path.stem + ".md" for path in ENGLISH]


@pytest.fixture
def copies(tmp_path):
    """A copy of notebook 01's English notebook, store and Chinese notebook, to change."""
    english = ENGLISH[1]
    paths = {
        "english": tmp_path / english.name,
        "store": tmp_path / translations.store_path(english).name,
        "chinese": tmp_path / "zh" / english.name,
    }
    paths["chinese"].parent.mkdir()
    shutil.copy(english, paths["english"])
    shutil.copy(translations.store_path(english), paths["store"])
    shutil.copy(translations.chinese_path(english), paths["chinese"])
    assert translations.problems(**paths) == []  # in step before anything changes
    return paths


def edit(path: Path, change) -> None:
    notebook = nbformat.read(path, as_version=4)
    change(notebook.cells)
    nbformat.write(notebook, path)


def first_markdown(cells):
    return next(cell for cell in cells if cell.cell_type == "markdown")


def test_changing_an_english_markdown_cell_without_its_translation_fails(copies):
    edit(copies["english"], lambda cells: setattr(first_markdown(cells), "source", "# A new first cell"))
    found = translations.problems(**copies)
    assert len(found) == 1 and "markdown 0 (cell 0): the English changed since it was translated" in found[0]


def test_sync_keeps_the_old_translation_marked_stale_and_the_check_still_fails(copies):
    old_chinese = translations.read_store(copies["store"])[0].chinese
    edit(copies["english"], lambda cells: setattr(first_markdown(cells), "source", "# A new first cell"))
    changes = translations.sync(copies["english"], copies["store"])
    assert changes == ["markdown 0 (cell 0) changed: its translation is marked STALE"]
    entry = translations.read_store(copies["store"])[0]
    assert entry.english == "# A new first cell" and old_chinese in entry.chinese
    assert "It was translated from:" in entry.chinese  # the translator sees the old English
    found = translations.problems(**copies)
    assert found == [f"{copies['english'].name}, markdown 0 (cell 0): the translation is marked STALE"]


def test_a_new_english_markdown_cell_needs_a_translation(copies):
    edit(copies["english"], lambda cells: cells.append(nbformat.v4.new_markdown_cell("One more sentence.")))
    assert any("markdown cells, but the store has" in p for p in translations.problems(**copies))
    translations.sync(copies["english"], copies["store"])
    assert any(p.endswith(": not translated") for p in translations.problems(**copies))


def test_a_code_cell_that_differs_between_the_editions_fails(copies):
    def change(cells):
        code = next(cell for cell in cells if cell.cell_type == "code")
        code.source += "\nprint('only in Chinese')"

    edit(copies["chinese"], change)
    found = translations.problems(**copies)
    assert len(found) == 1 and "the code differs from the English" in found[0]


def test_a_chinese_markdown_cell_edited_by_hand_instead_of_in_the_store_fails(copies):
    edit(copies["chinese"], lambda cells: setattr(first_markdown(cells), "source", "手改的"))
    assert any("differs from its translation in the store" in p for p in translations.problems(**copies))


def test_a_glossary_term_the_translation_leaves_out_is_reported():
    misses = translations.glossary_misses("The hidden state and its gradient.", "隐藏状态和它的导数。")
    assert misses == ["'gradient' -> '梯度'"]
    code_and_maths = "Call `gradient_check(x)`, then $loss$."
    assert translations.glossary_misses(code_and_maths, "调用 `gradient_check(x)`。") == []
    # the specific term is looked for first: "gradient clipping" needs 梯度裁剪, 梯度 alone is not enough
    clipping = translations.glossary_misses("Gradient clipping helps.", "梯度有帮助。")
    assert clipping == ["'gradient clipping' -> '梯度裁剪'"]


LINKS = re.compile(
    r"\]\(\s*<([^>]+)>"  # [text](<target with spaces>)
    r"|\]\(\s*([^)\s]+)"  # [text](target) and [text](target "title")
    r"|^\s{0,3}\[[^\]]+\]:\s*<?([^>\s]+)"  # [label]: target (reference-style)
    r"|(?:href|src)\s*=\s*[\"']([^\"']+)[\"']",  # HTML, either quote
    re.M,
)


def relative_targets(text: str) -> list[str]:
    """Every link target of the markdown that is a file of the repository (with its #anchor, if any)."""
    links = ["".join(groups) for groups in LINKS.findall(text)]
    return [link for link in links if "://" not in link and not link.startswith(("#", "mailto:"))]


def test_every_link_form_is_found():
    text = "[a](x.ipynb \"t\") [b](<y z.ipynb>) <img src='w.png'>\n[ref]: v.md\n[c](u.ipynb#Top) [d](#here)"
    assert sorted(relative_targets(text)) == ["u.ipynb#Top", "v.md", "w.png", "x.ipynb", "y z.ipynb"]


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_every_relative_link_of_both_editions_points_to_a_file(english):
    for path in (english, translations.chinese_path(english)):
        notebook = nbformat.read(path, as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
        missing = [t for t in relative_targets(text) if not (path.parent / t.split("#")[0]).exists()]
        assert not missing, f"{path.relative_to(ROOT)} links to missing files: {missing}"
        into_notebooks = [t.split("#", 1) for t in relative_targets(text) if ".ipynb#" in t]
        lost = [
            "#".join(pair)
            for pair in into_notebooks
            if pair[1] not in anchors(nbformat.read(path.parent / pair[0], as_version=4))
        ]
        assert not lost, f"{path.relative_to(ROOT)} links to headings that the target notebook lacks: {lost}"


def anchors(notebook) -> set[str]:
    """The anchors a notebook offers: its headings as JupyterLab names them, and explicit ids."""
    found = set()
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        found |= {m.strip().replace(" ", "-") for m in re.findall(r"^#+\s+(.*)$", cell.source, re.M)}
        found |= set(re.findall(r"id=\"([^\"]+)\"", cell.source))
    return found


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_every_anchor_link_inside_a_notebook_points_to_a_heading(english):
    for path in (english, translations.chinese_path(english)):
        notebook = nbformat.read(path, as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
        missing = set(re.findall(r"\]\(#([^)\s]+)\)", text)) - anchors(notebook)
        assert not missing, f"{path.relative_to(ROOT)} links to anchors it does not have: {missing}"


def calls_a_checker(cell) -> bool:
    """Exercise checks and rnn_check.check answer in the notebook's language (rnn_check.messages);
    rnn_core.gradient_check and other *_check functions print the same in both."""
    return re.search(r"(?<![\w.])check\(|rnn_check\.check\(|exercises\.check\(", cell.source) is not None


def printed_text(notebook) -> list[str]:
    """What each code cell printed (stdout and stderr streams), cell by cell; "" for the cells whose output
    nbval is told to ignore (`# NBVAL_IGNORE_OUTPUT`: timings on this machine), which differ run to run,
    and for the cells that call a checker, which answers in the notebook's language."""
    return [
        ""
        if "NBVAL_IGNORE_OUTPUT" in cell.source or calls_a_checker(cell)
        else "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_both_editions_print_the_same_output_as_stored(english):
    """README says so: the code and what it prints are the same; only figures, widgets and checks differ."""
    ours = nbformat.read(translations.chinese_path(english), as_version=4)
    theirs = nbformat.read(english, as_version=4)
    assert printed_text(ours) == printed_text(theirs)


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_the_chinese_notebooks_checks_answered_in_chinese_when_they_were_stored(english):
    ours = nbformat.read(translations.chinese_path(english), as_version=4)
    for index, cell in enumerate(ours.cells):
        if cell.cell_type == "code" and calls_a_checker(cell):
            printed = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
            assert translations.CJK.search(printed), f"zh/{english.name} cell {index}: {printed[:80]!r}"


def test_the_two_readmes_link_to_each_other_and_their_links_resolve():
    for name, other in [("README.md", "README.zh.md"), ("README.zh.md", "README.md")]:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert f"]({other})" in text
        missing = [t for t in relative_targets(text) if not (ROOT / t.split("#")[0]).exists()]
        assert not missing, f"{name} links to missing files: {missing}"


def test_a_zh_block_left_in_english_is_caught():
    english = "The gradient flows back through every step of the sequence."
    assert translations.looks_untranslated(english, english) is not None  # copied, not translated
    half = "梯度沿序列（sequence）的每一步往回流。This sentence was left in English by mistake, sadly."
    assert "English sentence" in translations.looks_untranslated(english, half)
    done = "梯度（gradient）沿序列（sequence）的每一步往回流（见 “Backpropagation Through Time” 一节）。"
    assert translations.looks_untranslated(english, done) is None  # glosses and quoted titles are fine


def test_a_glossary_term_hidden_in_a_comment_or_code_does_not_count():
    misses = translations.glossary_misses("The gradient.", "导数。<!-- 梯度 --> `梯度`")
    assert misses == ["'gradient' -> '梯度'"]


def test_metadata_attachments_and_raw_cells_must_match_too(copies):
    def hide_a_cell(cells):
        cells[1].metadata["jupyter"] = {"source_hidden": True}

    edit(copies["chinese"], hide_a_cell)
    assert any("its metadata" in p for p in translations.problems(**copies))


def test_the_notebook_metadata_must_match(copies):
    notebook = nbformat.read(copies["chinese"], as_version=4)
    notebook.metadata["kernelspec"]["name"] = "python2"
    nbformat.write(notebook, copies["chinese"])
    assert any("'kernelspec'" in p for p in translations.problems(**copies))


def test_the_tool_answers_odd_arguments_with_a_sentence(tmp_path, monkeypatch, capsys):
    assert translations.english_notebooks(["4", "04"]) == [ENGLISH[4]]  # one digit is enough, once is enough
    with pytest.raises(SystemExit, match="no English notebook '99'"):
        translations.english_notebooks(["99"])
    monkeypatch.setattr(translations, "STORES", tmp_path / "nowhere")
    with pytest.raises(SystemExit, match="cannot build, the translation is not complete"):
        translations.build(ENGLISH[1])
    broken = tmp_path / "broken.md"
    broken.write_text(
        "<!-- ==== markdown 0 (cell 0) · en ==== -->\na\n<!-- ==== markdown 0 (cell 0) · en ==== -->\n"
    )
    assert "cannot be read" in translations.store_problems(ENGLISH[1], broken)[0]
    with pytest.raises(SystemExit, match="cannot be read"):
        translations.sync(ENGLISH[1], broken)
