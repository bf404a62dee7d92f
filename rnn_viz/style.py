"""rnn_viz.style: the look every picture shares, in one place.

- figures are read at the back of a lecture hall. THE TEXT RULE: every text in every figure and widget
  (titles, axis and tick labels, legends, colour-bar labels, text boxes, slider descriptions and
  readouts) is at least MIN_TEXT_PX = 14 CSS pixels high as shown, i.e. for a matplotlib Text
  fontsize (pt) x dpi / 72 x the displayed scale >= 14. Figures are made no wider than COLUMN_PX, so
  the notebook column (JupyterLab 4 or Notebook 7 in a 1400-pixel window) shows them at their natural
  size (displayed scale 1). `small_texts(figure)` lists the texts that break the rule (tests/test_viz_style.py
  runs it over every figure rnn_viz builds; `make test-browser` measures the widgets' HTML text and
  the displayed scale of every picture);
- PROJECTOR_RC: the font sizes and line colours (`use_projector_style` sets them for a notebook's own
  figures; every rnn_viz figure is built inside `projector_style()` whatever the notebook set);
- colour maps are colour-blind safe: SEQUENTIAL_CMAP for magnitudes (and time), DIVERGING_CMAP centred at
  zero with symmetric limits (`symmetric_limits`) for every signed quantity (hidden states, gradients);
- line colours come from the Okabe-Ito palette (LINE_COLORS), which colour-blind readers can tell apart;
  CATEGORY_STYLES pairs eight of them with eight marker shapes for eight categories in one picture
  (two of the colours are orange-ish and two blue-ish: the shape tells those apart);
- mathematics is written in mathtext everywhere (r"$W_{hy}^\\top\\,dy$", never "W_hy^T dy");
- the language: every label is written tr("English label") (rnn_viz.language); when the labels are Chinese,
  both `projector_style()` and `use_projector_style` put the CJK font first (language.font_rc).
"""

from __future__ import annotations

import contextlib
import functools

import matplotlib as mpl
import numpy as np
from matplotlib.text import Text

from rnn_viz import language

SEQUENTIAL_CMAP = "viridis"  # perceptually uniform and colour-blind safe
DIVERGING_CMAP = "RdBu_r"  # ColorBrewer's red-blue: colour-blind safe; blue < 0 < red, white at 0
LINE_COLORS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]  # Okabe-Ito
# Eight categories: colour and marker both differ, so blue/sky blue and orange/vermillion never rely on hue.
CATEGORY_STYLES = list(zip(LINE_COLORS, ["o", "s", "^", "D", "v", "P", "X", "*"]))
MIN_TEXT_PX = 14  # the smallest text anywhere, in CSS pixels as displayed
COLUMN_PX = 1000  # the widest figure (pixels): the notebook column shows it unscaled
FONT_SIZE = 14  # pt: body text of figures (labels, text boxes)
SMALL_FONT_SIZE = 13  # pt: the smallest (tick labels, legends); 13 pt is 14.4 px at the widgets' 80 dpi
WIDGET_DPI = 80  # widgets' figures: 12.5 inches = COLUMN_PX
FIGURE_DPI = 100  # the notebooks' inline figures: 10 inches = COLUMN_PX
GAP_COLOR = "#d9d9d9"  # light grey: steps the backward pass has not reached yet (NaN in a heatmap)
FORWARD_COLOR = "#000000"  # arrows of the forward pass
BACKWARD_COLOR = LINE_COLORS[5]  # vermillion: gradients flowing back

PROJECTOR_RC = {
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 2,
    "figure.titlesize": FONT_SIZE + 2,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": SMALL_FONT_SIZE,
    "ytick.labelsize": SMALL_FONT_SIZE,
    "legend.fontsize": SMALL_FONT_SIZE,
    "legend.title_fontsize": FONT_SIZE,
    "axes.prop_cycle": mpl.cycler(color=LINE_COLORS),
    "figure.dpi": FIGURE_DPI,
    "savefig.dpi": "figure",
}


def use_projector_style() -> None:
    """Large fonts and the colour-blind-safe line colours for every figure that follows (and the CJK font
    first when the labels are Chinese)."""
    mpl.rcParams.update(PROJECTOR_RC | language.font_rc())


@contextlib.contextmanager
def projector_style():
    """PROJECTOR_RC while rnn_viz builds a figure (its texts and ticks take their sizes and font then).
    The language is decided as the figure is built: its texts keep the font they were made with."""
    with mpl.rc_context(PROJECTOR_RC | language.font_rc()):
        yield


def symmetric_limits(values, floor: float = 1e-12) -> tuple[float, float]:
    """(-m, m) with m the largest |value|, so a diverging colour map puts zero in its neutral middle."""
    largest = max(float(np.max(np.abs(values))), floor)
    return -largest, largest


def figure_width_px(figure, tight: bool = False) -> float:
    """The figure's width in pixels; tight: as the inline backend saves it (bbox_inches="tight")."""
    if not tight:
        return figure.get_figwidth() * figure.dpi
    renderer = figure.canvas.get_renderer()
    return figure.get_tightbbox(renderer).width * figure.dpi


def displayed_scale(figure, column_px: float = COLUMN_PX, tight: bool = False) -> float:
    """How much the notebook column shrinks the figure (max-width 100%): 1 when it fits."""
    return min(1.0, column_px / figure_width_px(figure, tight))


def text_px(text: Text, dpi: float, scale: float = 1.0) -> float:
    """A Text artist's height as displayed: fontsize (pt) x dpi / 72 x scale."""
    return text.get_fontsize() * dpi / 72 * scale


def small_texts(figure, min_px: float = MIN_TEXT_PX, column_px: float = COLUMN_PX, tight: bool = False):
    """[(text, pixels)] for every visible, non-empty Text of `figure` (ticks, legends and colour bars
    included) smaller than min_px as displayed in a column `column_px` wide. [] = the rule holds."""
    figure.canvas.draw()  # creates the tick labels the figure really shows
    scale = displayed_scale(figure, column_px, tight)
    found = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        px = text_px(text, figure.dpi, scale)
        if px < min_px - 1e-9:
            found.append((text.get_text(), round(px, 1)))
    return found


def styled(builder):
    """Build inside rnn_viz.style.projector_style(): the sizes of the text rule, whatever the notebook set."""

    @functools.wraps(builder)
    def build(*args, **kwargs):
        with projector_style():
            return builder(*args, **kwargs)

    return build


def integer_time_axis(ax) -> None:
    """Whole-number ticks on a time axis (x)."""
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))


def decade_limits(low: float, high: float) -> tuple[float, float]:
    """(low, high) widened to whole powers of ten."""
    return 10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(high))
