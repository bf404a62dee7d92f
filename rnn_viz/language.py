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
otherwise. Fields are filled after translating: tr("step {t}", t=3).

GLOSSARY is the one English <-> Chinese term list the translation uses everywhere (00 shows it;
tools/translations.py checks that every translated markdown cell uses the Chinese term wherever its
English cell uses the English one).
"""

from __future__ import annotations

import os
from pathlib import Path

LANGUAGES = ("en", "zh")
ENVIRONMENT_VARIABLE = "RNN_LANGUAGE"
_chosen: str | None = None  # set_language's choice in this kernel, None: not called

# (English term, Chinese term). Matched in English prose as whole words, case-insensitively, with an
# optional plural "s"; code, mathematics and link targets are not prose. A term's matches are removed before the
# next term is looked for, so specific terms come before the general ones they contain ("gradient clipping"
# before "gradient").
GLOSSARY = [
    ("recurrent neural network", "循环神经网络"),
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
    return "zh" if Path.cwd().name == "zh" else "en"


def current() -> str:
    """The language labels are written in now: the requested one ("en" or "zh")."""
    return requested_language()


def tr(english: str, **fields) -> str:
    """`english` in the current language, with {fields} filled in: tr("step {t}", t=3)."""
    text = english
    if current() == "zh":
        from rnn_viz.labels_zh import LABELS

        text = LABELS.get(english, english)
    return text.format(**fields) if fields else text


def glossary_table():
    """The glossary as an HTML table (English, 中文), for notebook 00."""
    from IPython.display import HTML

    rows = "".join(f"<tr><td>{english}</td><td>{chinese}</td></tr>" for english, chinese in GLOSSARY)
    return HTML(f"<table><thead><tr><th>English</th><th>中文</th></tr></thead><tbody>{rows}</tbody></table>")
