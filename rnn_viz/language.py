"""rnn_viz.language: the one language setting of the series (English or Chinese), and its glossary.

Which language a notebook's figures and widgets speak is decided here, once, for every picture:
  1. set_language("zh") or set_language("en") in a kernel, if it was called;
  2. else the environment variable RNN_LANGUAGE ("en" or "zh");
  3. else "zh" when the kernel runs in a folder named `zh` (notebooks/zh/: JupyterLab, Notebook 7, nbval
     and `make notebooks` all start a notebook's kernel in the notebook's own folder), "en" otherwise.
The code cells of notebooks/zh/ are therefore the English ones, character for character
(tools/translations.py checks it): the folder, not the code, makes them Chinese.

tr(english) is how every label is written: `ax.set_title(tr("Loss during training"))`. It returns the
Chinese label from the catalogue (rnn_viz/labels_zh.py) when the language is Chinese, the English one
otherwise. Fields are filled after translating: tr("step {t}", t=3) (then write a literal brace twice, as
in an f-string: tr("$W_{{hh}}$ scaled by {scale:.2f}", scale=2)); without fields the text is kept as it is.
A label defined once as a module constant is marked tr_later("...") there and shown with tr(CONSTANT).
The language is read as a figure is built: set_language applies to the figures built after it.

Chinese needs a CJK font (matplotlib's own DejaVu Sans has no Chinese glyphs: it would draw boxes). current()
is "zh" only when Chinese is requested AND such a font is usable (cjk_family): mplfonts' Noto Sans CJK SC
(a PyPI wheel, requirements.txt: no root needed), else a system "Noto Sans CJK SC" or "Noto Sans CJK JP"
(Debian's fonts-noto-cjk, binder/apt.txt; matplotlib registers only the first face of its .ttc file, the
Japanese one, which covers Simplified Chinese too, with Japanese glyph forms where the two differ). With
none, it warns once, in English and Chinese, and the labels stay English: never boxes for characters.
font_rc() is what rnn_viz.style adds to its rcParams for Chinese: the CJK font FIRST (the words of a
mathtext string are set in the first family only; DejaVu first would draw boxes).

GLOSSARY is the one English <-> Chinese term list the translation uses everywhere (00 shows it;
tools/translations.py checks that every translated markdown cell uses the Chinese term wherever its
English cell uses the English one).
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path

LANGUAGES = ("en", "zh")
ENVIRONMENT_VARIABLE = "RNN_LANGUAGE"
_chosen: str | None = None  # set_language's choice in this kernel, None: not called

# The fonts that can write the Chinese labels, best first: mplfonts' file (family "Noto Sans CJK SC"), then
# the families fonts-noto-cjk gives matplotlib.
MPLFONTS_FILE = Path("fonts") / "NotoSansCJKsc-Regular.otf"
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP")
LATIN_FAMILY, LATIN_MONOSPACE = "DejaVu Sans", "DejaVu Sans Mono"  # matplotlib's own: glyphs CJK fonts lack
_NOT_LOOKED = object()
_found: object = _NOT_LOOKED  # cjk_family's answer once it has looked (a family name or None)
_warned = False  # the missing-font warning is given once per process
_ignored: set[str] = set()  # RNN_LANGUAGE values that were not a language, already warned about


class ChineseFontMissing(UserWarning):
    """Chinese labels were asked for, but matplotlib has no CJK font to draw them with."""


# (English term, Chinese term). Matched in English prose as whole words, case-insensitively, with an
# optional plural "s"; code, mathematics and link targets are not prose. A term's matches are removed before
# the next term is looked for, so specific terms come before the general ones they contain ("gradient
# clipping" before "gradient").
GLOSSARY = [
    ("recurrent neural network", "循环神经网络"),
    ("vanilla RNN", "普通 RNN"),
    ("backpropagation through time", "时间反向传播"),
    ("truncated BPTT", "截断的时间反向传播"),
    ("backpropagation", "反向传播"),
    ("forward pass", "前向传播"),
    ("backward pass", "反向传播"),
    ("hidden state", "隐藏状态"),
    ("hidden unit", "隐藏单元"),
    ("pre-activation", "预激活"),
    ("time step", "时间步"),
    ("sequence", "序列"),
    ("mini-batch", "小批量"),
    ("stochastic gradient descent", "随机梯度下降"),
    ("chain rule", "链式法则"),
    ("Jacobian", "雅可比矩阵"),
    ("finite difference", "有限差分"),
    ("gradient check", "梯度检验"),
    ("learning rate", "学习率"),
    ("weight", "权重"),
    ("bias", "偏置"),
    ("outer product", "外积"),
    ("vanishing gradient", "梯度消失"),
    ("exploding gradient", "梯度爆炸"),
    ("gradient clipping", "梯度裁剪"),
    ("truncation", "截断"),
    ("spectral radius", "谱半径"),
    ("eigenvalue", "特征值"),
    ("singular value", "奇异值"),
    ("saturation", "饱和"),
    ("gradient", "梯度"),
    ("loss", "损失"),
    ("cross-entropy", "交叉熵"),
    ("perplexity", "困惑度"),
    ("language model", "语言模型"),
    ("one-hot", "独热"),
    ("embedding", "嵌入"),
    ("temperature", "温度"),
    ("teacher forcing", "教师强制"),
    ("free running", "自由运行"),
    ("long short-term memory", "长短期记忆"),
    ("forget gate", "遗忘门"),
    ("input gate", "输入门"),
    ("output gate", "输出门"),
    ("cell state", "记忆元状态"),
    ("homework", "作业"),
    ("exercise", "练习"),
    ("grader", "评分器"),
    ("submission", "提交"),
    ("widget", "控件"),
    ("notebook", "笔记本"),
]


def set_language(language: str | None) -> None:
    """Choose the language of the figures and widgets that follow: "en", "zh", or None (decide again)."""
    global _chosen
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"the language must be one of {LANGUAGES} (or None), but it is {language!r}")
    _chosen = language


def requested_language() -> str:
    """The language asked for, by set_language, RNN_LANGUAGE or the folder (see the module's docstring)."""
    if _chosen is not None:
        return _chosen
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    if from_environment in LANGUAGES:
        return from_environment
    if from_environment and from_environment not in _ignored:  # say so once, never silently
        _ignored.add(from_environment)
        warnings.warn(
            f"{ENVIRONMENT_VARIABLE} must be one of {LANGUAGES}, but it is {from_environment!r}: ignored, "
            "the notebook's folder decides the language",
            stacklevel=2,
        )
    return "zh" if Path.cwd().name == "zh" else "en"


def mplfonts_font_path() -> Path | None:
    """The Noto Sans CJK SC file of the mplfonts wheel, or None if mplfonts is not installed.

    Found with importlib, WITHOUT importing mplfonts: its import and its `init` write fonts into
    matplotlib's own folder, which a course must not change behind the student's back."""
    spec = importlib.util.find_spec("mplfonts")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / MPLFONTS_FILE
        if path.is_file():
            return path
    return None


def find_cjk_family() -> str | None:
    """Look for a CJK font (see the module's docstring): its family name, or None if there is none.

    mplfonts' file is registered with matplotlib (addfont: no font cache to rebuild); a system font is one
    matplotlib's font cache already lists."""
    from matplotlib import font_manager

    path = mplfonts_font_path()
    if path is not None:
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.fontManager.ttflist[-1].name
        except (OSError, RuntimeError):  # an unreadable file: try the system's fonts
            pass
    listed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in listed), None)


def cjk_family() -> str | None:
    """The CJK font's family, looked for once per process (find_cjk_family), or None."""
    global _found
    if _found is _NOT_LOOKED:
        _found = find_cjk_family()
    return _found


def missing_font_message() -> str:
    """What the missing-font warning says, in English and in Chinese: what is missing, how to install it."""
    import matplotlib

    cache = matplotlib.get_cachedir()
    return (
        f"Chinese labels need a CJK font, and matplotlib has none ({' or '.join(CJK_FAMILIES)}): figures and "
        "widgets stay in English. Install one, then restart the kernel: `pip install mplfonts`, or "
        f"`apt install fonts-noto-cjk` and then delete matplotlib's font cache ({cache}) so that it is "
        "rebuilt with the new font.\n"
        f"中文标签需要中日韩（CJK）字体，但 matplotlib 找不到（{' 或 '.join(CJK_FAMILIES)}）："
        "图和控件仍用英文。"
        "请安装字体后重启内核：`pip install mplfonts`；或 `apt install fonts-noto-cjk`，"
        f"然后删除 matplotlib 的字体缓存（{cache}），让它用新字体重建。"
    )


def current() -> str:
    """The language labels are written in now: "zh" if Chinese is requested and a CJK font is usable,
    else "en" (with one warning per process when Chinese was requested but no font is there)."""
    global _warned
    if requested_language() != "zh":
        return "en"
    if cjk_family() is not None:
        return "zh"
    if not _warned:
        _warned = True
        warnings.warn(missing_font_message(), ChineseFontMissing, stacklevel=2)
    return "en"


def font_rc() -> dict:
    """The rcParams Chinese labels need (rnn_viz.style adds them), {} for English.

    The CJK font first: plain text falls back glyph by glyph along the list, but the words of a mathtext
    string ("时间步 $t$") are set in the first family alone. Monospace texts name both families themselves
    (monospace_families): a generic family is resolved to one font, with no fallback."""
    if current() != "zh":
        return {}
    return {"font.family": [cjk_family(), LATIN_FAMILY]}


def monospace_families() -> list[str]:
    """The font families of a monospace text: DejaVu Sans Mono, then the CJK font for Chinese words."""
    return [LATIN_MONOSPACE, cjk_family()] if current() == "zh" else ["monospace"]


def tr(english: str, **fields) -> str:
    """`english` in the current language, with {fields} filled in: tr("step {t}", t=3)."""
    text = english
    if current() == "zh":
        from rnn_viz.labels_zh import LABELS

        text = LABELS.get(english, english)
    return text.format(**fields) if fields else text


def tr_later(english: str) -> str:
    """Mark a label for translation where it is defined once, as a module constant (TASK_LABELS): it is
    returned unchanged, and tr() translates it where it is shown (a constant is made before any
    set_language). tests/test_language.py finds the labels of tr() and tr_later() alike."""
    return english


def glossary_table():
    """The glossary as an HTML table (English, 中文), for notebook 00."""
    from IPython.display import HTML

    rows = "".join(f"<tr><td>{english}</td><td>{chinese}</td></tr>" for english, chinese in GLOSSARY)
    return HTML(f"<table><thead><tr><th>English</th><th>中文</th></tr></thead><tbody>{rows}</tbody></table>")
