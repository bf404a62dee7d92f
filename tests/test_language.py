"""rnn_viz.language: the one language setting of figures and widgets, their Chinese labels and the CJK font.

- the catalogue: every tr() / tr_later() label of rnn_viz (found by parsing the source) has a Chinese entry
  in rnn_viz.labels_zh.LABELS with the same {fields} and the same $...$ mathematics, in the GLOSSARY's terms;
  no entry is left that neither rnn_viz nor a notebook uses;
- with Chinese chosen, every figure and widget rnn_viz builds is drawn with no missing glyph (no boxes), keeps
  the 14-pixel text rule and shows Chinese: its words, its controls and its text/plain line;
- without a CJK font (discovery patched), Chinese falls back to English with one clear warning;
- how the language is chosen: set_language (checked), RNN_LANGUAGE, a kernel in a folder named zh.
"""

from __future__ import annotations

import ast
import collections
import importlib.util
import io
import json
import logging
import os
import re
import string
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import rnn_viz  # noqa: E402
from rnn_lab import dynamics, tasks, train  # noqa: E402
from rnn_viz import language, style  # noqa: E402
from rnn_viz.labels_zh import LABELS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import small_models  # noqa: E402  (tests/small_models.py: a trained character model)
import test_viz_style  # noqa: E402  (its figure and widget builders: the same list is checked in both languages)

CJK = re.compile(
    r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
)  # CJK punctuation, ideographs, full-width forms
MATH = re.compile(r"\$[^$]*\$")
ENGLISH_WORD = re.compile(r"[a-z]{3,}")  # a lower-case word: "LSTM", "PCA", "KiB" and single letters pass


@pytest.fixture(autouse=True)
def fresh_language(monkeypatch):
    """Every test starts undecided (no set_language, no RNN_LANGUAGE, run from the repository) and ends so."""
    monkeypatch.delenv(language.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.chdir(ROOT)
    language.set_language(None)
    yield
    language.set_language(None)


# ---- the catalogue -----------------------------------------------------------------------------------------


def _literal(node):
    """The text of a string literal, also one written as "a" + "b" (None for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def labels_in(source: str, where: str) -> list[tuple[str, frozenset, str]]:
    """[(label, names of the fields passed, where)] of every tr("...") and tr_later("...") call in source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        text = _literal(node.args[0])
        if name in ("tr", "tr_later") and text is not None:
            found.append((text, frozenset(k.arg for k in node.keywords), f"{where}:{node.lineno}"))
    return found


def module_labels():
    labels = []
    for path in sorted((ROOT / "rnn_viz").glob("*.py")):
        labels += labels_in(path.read_text(encoding="utf-8"), f"rnn_viz/{path.name}")
    return labels


def notebook_labels():
    labels = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)
                labels += labels_in(code, f"{path.relative_to(ROOT)} cell {index}")
    return labels


def fields(text: str):
    """The {field} names of a format template, or None if the text is not one (e.g. "$W_{hh}$")."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None
    return names or None


def test_the_label_scanner_finds_calls_literals_and_fields():
    source = 'tr("a {n}", n=1)\nx.tr("b" + "c")\nTASKS = {"k": tr_later("d")}\ntr(name)\nprint("e")\n'
    found = labels_in(source, "here")
    assert [(text, set(names)) for text, names, _ in found] == [("a {n}", {"n"}), ("bc", set()), ("d", set())]
    assert len(module_labels()) > 100  # the scan sees rnn_viz's labels


def test_every_label_has_a_chinese_entry_with_the_same_fields():
    problems = []
    for text, passed, where in module_labels() + notebook_labels():
        if text not in LABELS:
            problems.append(f"{where}: {text!r} has no entry in rnn_viz/labels_zh.py")
        elif passed and fields(text) != set(passed):
            problems.append(f"{where}: {text!r} is given the fields {sorted(passed)}")
    assert not problems, "\n".join(problems)


def test_each_entry_keeps_the_fields_and_the_mathematics_and_is_chinese():
    problems = []
    for english, chinese in LABELS.items():
        if fields(english) != fields(chinese):
            problems.append(f"{english!r}: fields {fields(english)} in English, {fields(chinese)} in Chinese")
        if collections.Counter(MATH.findall(english)) != collections.Counter(MATH.findall(chinese)):
            problems.append(f"{english!r}: its mathematics differs in {chinese!r}")
        if not CJK.search(chinese):
            problems.append(f"{english!r}: the entry {chinese!r} is not Chinese")
    assert not problems, "\n".join(problems)


def test_no_entry_is_left_unused():
    used = {text for text, _, _ in module_labels() + notebook_labels()}
    unused = sorted(set(LABELS) - used)
    assert not unused, f"rnn_viz/labels_zh.py has entries no tr() uses any more: {unused}"


def _glossary_misses():
    spec = importlib.util.spec_from_file_location("tools_translations", ROOT / "tools" / "translations.py")
    translations = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(translations)  # (registered first: its dataclasses look their module up)
    return translations.glossary_misses  # the rule the translated notebooks follow


def test_entries_use_the_glossary_terms():
    misses = _glossary_misses()
    assert misses("the hidden state", "状态"), "the glossary check is broken"
    problems = {}
    for english, chinese in LABELS.items():
        prose = re.sub(r"\{[^{}]*\}", " ", english)  # {gradient} is a field, not the word
        if misses(prose, chinese):
            problems[english] = misses(prose, chinese)
    assert not problems, problems


# ---- Chinese figures and widgets ---------------------------------------------------------------------------


def _writer_that_cannot_read(params, vocab):
    view = rnn_viz.sample_writer(params, vocab, length=150)
    view.controls["prefix"].value = "the CAT"  # the picture names what it cannot read
    return view


def _training_figures():
    """05-07's static plots on one pyplot figure (as the notebooks draw them on their own Axes)."""
    X, Y = tasks.make_task("sine", steps=12, batch=8, seed=0)
    fine = train.train(train.problem_init(1, 4, 1, seed=0), X, Y, epochs=3)
    overflowing = train.train(train.problem_init(1, 4, 1, seed=0), X, Y, epochs=40, learning_rate=1e4)
    assert overflowing.stopped  # drawn with "(overflowed)"
    figure, axes = plt.subplots(5, 1, figsize=(10, 22), layout="constrained")
    rnn_viz.plot_loss_curves(axes[0], {"A": fine, "B": overflowing})
    rnn_viz.plot_prediction(axes[1], X[:, 0, 0], Y[:, 0, 0], {"A": Y[:, 0, 0]})
    rnn_viz.plot_truncation_sweep(axes[2:4], [1, 2, 4], [0.5, 0.9, 1.0], [0.6, 0.2, 0.0], [100, 200, 400], 12)
    rnn_viz.plot_memory_sweeps(axes[4], {"A": dynamics.MemorySweep([1, 2], [1.0, 0.6], [0.1, 0.2])})
    return figure


def _chinese_builds():
    """name -> (build, static): every figure and widget of test_viz_style, and 05-10's that it lacks."""
    model = small_models.language_model()
    builds = {name: (build, True) for name, build in test_viz_style._static_figures().items()}
    builds["05-07 loss, prediction, truncation, memory"] = (_training_figures, True)
    builds.update({name: (build, False) for name, build in test_viz_style.WIDGETS.items()})
    builds["09 sample_writer"] = (lambda: rnn_viz.sample_writer(*model, length=300), False)
    builds["09 sample_writer, unknown prefix"] = (lambda: _writer_that_cannot_read(*model), False)
    builds["09 text_reader"] = (
        lambda: rnn_viz.text_reader(*model, "the cat sleeps.\nsome dogs run.\n", t=14),
        False,
    )
    builds["10 lstm_explorer"] = (rnn_viz.lstm_explorer, False)
    return builds


class GlyphRecords(logging.Handler):
    """Collects matplotlib's "Font 'default' does not have a glyph" records (a mathtext dummy box)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        if "does not have a glyph" in record.getMessage():
            self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def chinese_views():
    """Every figure and widget built and drawn in Chinese: name -> (figure, view or None, static, problems),
    problems being the missing-glyph warnings and log records of building and drawing it."""
    assert language.cjk_family() is not None, (
        "no CJK font for the Chinese figures: `pip install -r requirements.txt` brings mplfonts"
    )
    language.set_language("zh")
    handler = GlyphRecords()
    logging.getLogger("matplotlib").addHandler(handler)
    built = {}
    try:
        with matplotlib.rc_context():
            matplotlib.rcdefaults()
            rnn_viz.use_projector_style()  # as the notebooks do, in the Chinese folder
            for name, (build, static) in _chinese_builds().items():
                handler.messages.clear()
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    made = build()
                    figure = made if not hasattr(made, "figure") else made.figure
                    figure.canvas.draw()
                    view = None if static else made
                    if view is not None:
                        view.static_png()  # the still picture, with the note printed above it
                glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
                built[name] = (figure, view, static, glyphs + list(handler.messages))
        yield built
    finally:
        logging.getLogger("matplotlib").removeHandler(handler)
        language.set_language(None)
        plt.close("all")


@pytest.fixture
def zh():
    """Chinese for the test's own calls (fresh_language resets it to undecided before every test)."""
    language.set_language("zh")


def _texts(figure):
    figure.canvas.draw()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _monospace(text: Text) -> bool:
    """The model's own characters (sample text, character ticks) are in monospace: they stay as written."""
    return language.LATIN_MONOSPACE in text.get_fontfamily() or "monospace" in text.get_fontfamily()


def test_chinese_figures_have_every_glyph(chinese_views):
    assert len(chinese_views) >= 16
    problems = {name: found for name, (_, _, _, found) in chinese_views.items() if found}
    assert not problems, problems


def test_chinese_figures_keep_the_text_rule(chinese_views):
    for name, (figure, _, static, _) in chinese_views.items():
        assert style.small_texts(figure, tight=static) == [], name
        if not static:
            assert style.figure_width_px(figure) <= style.COLUMN_PX, name


def test_chinese_figures_show_chinese_words_only(chinese_views):
    for name, (figure, _, _, _) in chinese_views.items():
        texts = _texts(figure)
        assert any(CJK.search(t.get_text()) for t in texts), f"{name}: no Chinese at all"
        english = [
            t.get_text()
            for t in texts
            if not _monospace(t)
            and ENGLISH_WORD.search(MATH.sub("", t.get_text()))
            and not CJK.search(t.get_text())
        ]
        assert not english, f"{name}: English left in the Chinese figure: {english}"


def test_chinese_rotated_labels_do_not_start_with_a_full_width_bracket(chinese_views):
    """matplotlib shifts a rotated line by its first glyph's left bearing: half a character for "（"."""
    for name, (figure, _, _, _) in chinese_views.items():
        for text in _texts(figure):
            if text.get_rotation() % 180 and not MATH.search(text.get_text()):
                assert not any(line.startswith("（") for line in text.get_text().split("\n")), (name, text)


def test_chinese_widgets_controls_and_plain_text_are_chinese(chinese_views, zh):
    for name, (_, view, static, _) in chinese_views.items():
        if static:
            continue
        for key, control in view.controls.items():
            if ENGLISH_WORD.search(control.description):
                assert CJK.search(control.description), (name, key, control.description)
            for label in getattr(control, "options", ()):
                label = label[0] if isinstance(label, tuple) else str(label)
                assert not ENGLISH_WORD.search(label) or CJK.search(label), (name, key, label)
        plain = view._repr_mimebundle_()["text/plain"]
        assert plain.startswith("[交互式控件：") and language.tr(rnn_viz.STATIC_NOTE) in plain, plain
    lab = chinese_views["05 training_lab"][1]
    assert lab.status.value.startswith("完成：") and CJK.search(lab.progress.description), lab.status.value


def test_chinese_figures_use_the_cjk_font_first(chinese_views, zh):
    family = language.cjk_family()
    figure = chinese_views["01 forward_explorer"][0]
    assert all(t.get_fontfamily()[0] == family for t in figure.axes[0].texts + [figure.axes[0].title])
    with style.projector_style():
        assert matplotlib.rcParams["font.family"][0] == family


def test_the_chinese_still_picture_differs_from_the_english_one(chinese_views, zh):
    from PIL import Image

    view = chinese_views["06 lag_explorer"][1]
    chinese = np.asarray(Image.open(io.BytesIO(view.static_png())).convert("L"))
    language.set_language("en")
    english_view = test_viz_style.WIDGETS["06 lag_explorer"]()
    english = np.asarray(Image.open(io.BytesIO(english_view.static_png())).convert("L"))
    language.set_language("zh")
    assert chinese.shape == english.shape and np.mean(chinese != english) > 0.005


# ---- no CJK font: English, and one warning -----------------------------------------------------------------


@pytest.fixture
def no_cjk_font(monkeypatch):
    """As on a machine without mplfonts and without fonts-noto-cjk (looked for afresh, warned afresh)."""
    monkeypatch.setattr(language, "find_cjk_family", lambda: None)
    monkeypatch.setattr(language, "_found", language._NOT_LOOKED)
    monkeypatch.setattr(language, "_warned", False)
    yield
    # monkeypatch restores _found and _warned: the real font is known again afterwards


def test_without_a_cjk_font_chinese_warns_once_and_stays_english(no_cjk_font):
    language.set_language("zh")
    with pytest.warns(language.ChineseFontMissing) as first:
        assert language.current() == "en"
    assert len(first) == 1
    message = str(first[0].message)
    for needed in ("pip install mplfonts", "apt install fonts-noto-cjk", matplotlib.get_cachedir(), "中文"):
        assert needed in message, needed
    with warnings.catch_warnings(record=True) as later:
        warnings.simplefilter("always")
        assert language.tr("time step $t$") == "time step $t$"
        assert language.font_rc() == {} and language.monospace_families() == ["monospace"]
        view = rnn_viz.forward_explorer(*tasks.forward_example())
    assert not [w for w in later if issubclass(w.category, language.ChineseFontMissing)]
    texts = [t.get_text() for t in _texts(view.figure)]
    assert "time step $t$" in texts and not any(CJK.search(t) for t in texts)
    assert view.controls["t"].description == "time step t"
    plt.close(view.figure)


def test_english_asked_for_never_looks_for_a_font(no_cjk_font, monkeypatch):
    monkeypatch.setattr(language, "find_cjk_family", lambda: pytest.fail("looked for a CJK font"))
    language.set_language("en")
    assert language.current() == "en" and language.tr("value") == "value" and language.font_rc() == {}


def test_the_font_is_found_in_mplfonts_without_importing_it(monkeypatch):
    path = language.mplfonts_font_path()
    assert path is not None and path.name == "NotoSansCJKsc-Regular.otf", "mplfonts is not installed"
    monkeypatch.delitem(sys.modules, "mplfonts", raising=False)
    assert language.find_cjk_family() == "Noto Sans CJK SC"
    assert "mplfonts" not in sys.modules  # its import would write into matplotlib's folder


def test_without_mplfonts_a_system_noto_cjk_font_is_used(monkeypatch):
    from matplotlib import font_manager

    class Listed:  # an entry of matplotlib's font list
        def __init__(self, name):
            self.name = name

    monkeypatch.setattr(language, "mplfonts_font_path", lambda: None)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [Listed("DejaVu Sans")])
    assert language.find_cjk_family() is None
    # fonts-noto-cjk: matplotlib lists only the first face of its .ttc, the Japanese one (it covers Chinese)
    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [Listed("DejaVu Sans"), Listed("Noto Sans CJK JP")]
    )
    assert language.find_cjk_family() == "Noto Sans CJK JP"


def test_every_environment_brings_a_cjk_font():
    """`make lab`, `make test` and Binder install mplfonts (one pin); Binder also Debian's fonts-noto-cjk."""

    def pinned(path):
        lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
        return [line for line in lines if line.startswith("mplfonts==")]

    assert (
        pinned(ROOT / "requirements.txt")
        == pinned(ROOT / "binder" / "requirements.txt")
        == ["mplfonts==0.0.11"]
    )
    apt = (ROOT / "binder" / "apt.txt").read_text(encoding="utf-8").splitlines()
    assert "fonts-noto-cjk" in [line.partition("#")[0].strip() for line in apt]  # as repo2docker reads it


# ---- choosing the language ---------------------------------------------------------------------------------


def test_the_folder_decides_when_nothing_else_does(tmp_path, monkeypatch):
    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    monkeypatch.chdir(tmp_path / "zh")
    assert language.requested_language() == "zh" and language.current() == "zh"
    assert language.tr("value") == "值" and language.tr("step {t}", t=3) == "step 3"  # no entry: as written
    monkeypatch.chdir(tmp_path / "en")
    assert language.requested_language() == "en" and language.tr("value") == "value"


def test_a_kernel_started_in_a_folder_named_zh_speaks_chinese(tmp_path):
    """As JupyterLab and nbval start notebooks/zh/'s kernels: in their folder, nothing else set."""
    folder = tmp_path / "zh"
    folder.mkdir()
    code = "from rnn_viz import language; print(language.current(), language.tr('time step $t$'))"
    env = {k: v for k, v in os.environ.items() if k != language.ENVIRONMENT_VARIABLE}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "zh 时间步 $t$" and "ChineseFontMissing" not in done.stderr


def test_rnn_language_overrides_the_folder_and_set_language_overrides_both(tmp_path, monkeypatch):
    (tmp_path / "zh").mkdir()
    monkeypatch.chdir(tmp_path / "zh")
    monkeypatch.setenv(language.ENVIRONMENT_VARIABLE, "en")
    assert language.requested_language() == "en"
    monkeypatch.setenv(language.ENVIRONMENT_VARIABLE, " ZH ")
    monkeypatch.chdir(ROOT)
    assert language.requested_language() == "zh"
    language.set_language("en")
    assert language.requested_language() == "en"
    language.set_language(None)
    assert language.requested_language() == "zh"


def test_an_rnn_language_that_is_no_language_is_ignored_with_one_warning(monkeypatch):
    monkeypatch.setattr(language, "_ignored", set())
    monkeypatch.setenv(language.ENVIRONMENT_VARIABLE, "zh-CN")
    with pytest.warns(UserWarning, match="RNN_LANGUAGE must be one of .* but it is 'zh-cn'"):
        assert language.requested_language() == "en"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the second time: silent
        assert language.requested_language() == "en"


@pytest.mark.parametrize("bad", ["fr", "Chinese", "", 1, ["zh"]])
def test_set_language_refuses_what_it_does_not_know_and_changes_nothing(bad):
    language.set_language("zh")
    with pytest.raises(ValueError, match=r"the language must be one of \('en', 'zh'\)"):
        language.set_language(bad)
    assert language.requested_language() == "zh"


def test_the_styles_add_the_font_only_for_chinese(monkeypatch):
    with matplotlib.rc_context():
        language.set_language("en")
        before = list(matplotlib.rcParams["font.family"])
        rnn_viz.use_projector_style()
        assert matplotlib.rcParams["font.family"] == before  # English: the student's own font is kept
        language.set_language("zh")
        rnn_viz.use_projector_style()
        assert matplotlib.rcParams["font.family"] == [language.cjk_family(), language.LATIN_FAMILY]
