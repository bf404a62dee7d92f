"""rnn_viz.style: the look every picture shares, in one place.

- figures are read on a projector: FONT_SIZE and `use_projector_style`;
- colour maps are colour-blind safe: SEQUENTIAL_CMAP for magnitudes, DIVERGING_CMAP centred at zero with
  symmetric limits (`symmetric_limits`) for signed quantities such as hidden states and gradients;
- line colours come from the Okabe-Ito palette (LINE_COLORS), which colour-blind readers can tell apart.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

SEQUENTIAL_CMAP = "viridis"  # perceptually uniform and colour-blind safe
DIVERGING_CMAP = "RdBu_r"  # ColorBrewer's red-blue: colour-blind safe; blue < 0 < red
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
FONT_SIZE = 14
GAP_COLOR = "#d9d9d9"  # light grey: steps the backward pass has not reached yet (NaN in a heatmap)
FORWARD_COLOR = "#000000"  # arrows of the forward pass
BACKWARD_COLOR = LINE_COLORS[5]  # vermillion: gradients flowing back


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
