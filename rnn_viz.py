"""rnn_viz: pictures of an RNN at work, for the notebooks.

Pure plotting functions take arrays (usually from rnn_core) and return matplotlib figures or
axes; thin ipywidgets wrappers add controls on top of them. Notebooks only call these.

Conventions (one place for all of them):
- figures are read on a projector: fonts of at least 12 pt (see `use_projector_style`);
- colour maps are colour-blind safe: SEQUENTIAL_CMAP for magnitudes, DIVERGING_CMAP centred at
  zero with symmetric limits (`symmetric_limits`) for signed quantities such as gradients;
- line colours come from the Okabe-Ito palette (LINE_COLORS), which colour-blind readers can tell apart.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

SEQUENTIAL_CMAP = "viridis"  # perceptually uniform and colour-blind safe
DIVERGING_CMAP = "RdBu_r"  # ColorBrewer's red-blue: colour-blind safe; blue < 0 < red
LINE_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]  # Okabe-Ito
FONT_SIZE = 14


def use_projector_style() -> None:
    """Large fonts and the colour-blind-safe line colours for every figure that follows."""
    mpl.rcParams.update(
        {
            "font.size": FONT_SIZE,
            "axes.titlesize": FONT_SIZE + 2,
            "axes.labelsize": FONT_SIZE,
            "xtick.labelsize": FONT_SIZE - 2,
            "ytick.labelsize": FONT_SIZE - 2,
            "legend.fontsize": FONT_SIZE - 2,
            "axes.prop_cycle": mpl.cycler(color=LINE_COLORS),
            "figure.dpi": 100,
        }
    )


def symmetric_limits(values, floor: float = 1e-12) -> tuple[float, float]:
    """(-m, m) with m the largest |value|, so a diverging colour map puts zero in its neutral middle."""
    largest = max(float(np.max(np.abs(values))), floor)
    return -largest, largest


# ---------------------------------------------------------------------------
# Notebooks 01-04: forward pass, loss, one step back, BPTT
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Notebooks 05-07: training, vanishing and exploding gradients, hidden-state dynamics
# ---------------------------------------------------------------------------
