"""rnn_viz: pictures of an RNN at work, for the notebooks (`import rnn_viz`, then
`rnn_viz.forward_explorer(...)`).

    style     the shared look: projector-sized fonts, colour-blind-safe colour maps and line colours
    display   how a widget's figure is shown: PNG in an ipywidgets.Image, blitting, a still picture elsewhere
    plots     the static pictures: graphs of the network, heatmaps over time, loss curves, sweeps
    widgets   the interactive figures of 01-05: forward explorer, backward stepper, training lab
    dynamics_widgets  those of 06-07: lag and clipping explorers, trajectory scrubber
    lm_widgets  notebook 09's: the language model's sample writer and text reader
    lstm_widgets  notebook 10: the LSTM against the vanilla RNN (lag curves, stored echo accuracies)
    language  the one language setting (English or Chinese): tr() for every label, GLOSSARY
    labels_zh  the Chinese labels tr() returns in notebooks/zh/

The names below are the ones notebooks use; each lives in exactly one of the modules above.
"""

from rnn_viz.display import STATIC_NOTE, WidgetView, figure_png, new_figure
from rnn_viz.dynamics_widgets import LAG_YLIM, clipping_explorer, lag_explorer, trajectory_scrubber
from rnn_viz.language import tr
from rnn_viz.lm_widgets import sample_writer, text_reader
from rnn_viz.lstm_widgets import load_echo_grid, lstm_explorer
from rnn_viz.plots import (
    BACKWARD_VECTORS,
    TASK_LABELS,
    draw_step_graph,
    draw_unrolled_graph,
    heatmap_over_time,
    plot_gradient_contributions,
    plot_loss_curves,
    plot_memory_sweeps,
    plot_outputs_and_errors,
    plot_prediction,
    plot_tanh_saturation,
    plot_truncation_sweep,
    pre_activations,
    running_sums,
)
from rnn_viz.style import (
    CATEGORY_STYLES,
    COLUMN_PX,
    DIVERGING_CMAP,
    FONT_SIZE,
    LINE_COLORS,
    MIN_TEXT_PX,
    SEQUENTIAL_CMAP,
    small_texts,
    symmetric_limits,
    use_projector_style,
)
from rnn_viz.widgets import TrainingLab, backward_stepper, forward_explorer, training_lab

__all__ = [
    "tr",
    "STATIC_NOTE",
    "WidgetView",
    "figure_png",
    "new_figure",
    "BACKWARD_VECTORS",
    "TASK_LABELS",
    "draw_step_graph",
    "draw_unrolled_graph",
    "heatmap_over_time",
    "plot_gradient_contributions",
    "plot_loss_curves",
    "plot_memory_sweeps",
    "plot_outputs_and_errors",
    "plot_prediction",
    "plot_tanh_saturation",
    "plot_truncation_sweep",
    "pre_activations",
    "running_sums",
    "CATEGORY_STYLES",
    "COLUMN_PX",
    "DIVERGING_CMAP",
    "FONT_SIZE",
    "LINE_COLORS",
    "MIN_TEXT_PX",
    "SEQUENTIAL_CMAP",
    "small_texts",
    "symmetric_limits",
    "use_projector_style",
    "LAG_YLIM",
    "TrainingLab",
    "backward_stepper",
    "clipping_explorer",
    "forward_explorer",
    "lag_explorer",
    "training_lab",
    "trajectory_scrubber",
    "sample_writer",
    "text_reader",
    "load_echo_grid",
    "lstm_explorer",
]
