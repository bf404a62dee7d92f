"""The lecture-hall rules of rnn_viz.style, checked over every figure rnn_viz builds (static and widgets):

- the text rule: every Text artist (ticks, legends, colour bars, boxes) is >= MIN_TEXT_PX pixels as shown,
  i.e. fontsize x dpi / 72 x min(1, COLUMN_PX / width) >= 14; widgets are never wider than COLUMN_PX;
- signed data (hidden states, gradients) in DIVERGING_CMAP with symmetric limits; colour bars labelled;
- mathematics in mathtext (no "W_hh" or "h^2" outside $...$); whole-number ticks on time axes;
- the widgets' HTML text (descriptions, readouts) at least MIN_TEXT_PX (MIN_TEXT_PX + 2 is set);
- the notebooks' own figures: at most COLUMN_PX wide at 100 dpi, no font size below the rule.
The same rule is measured in a real browser by `make test-browser` (tests/browser/check_browser.py).
"""

import json
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_core  # noqa: E402
import rnn_viz  # noqa: E402
from rnn_lab import tasks  # noqa: E402
from rnn_viz import style  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_widgets  # noqa: E402  (the notebooks' widget examples)


@pytest.fixture(autouse=True)
def notebook_style():
    """As every notebook does: rnn_viz.use_projector_style() first (restored afterwards)."""
    with matplotlib.rc_context():
        rnn_viz.use_projector_style()
        yield
    plt.close("all")


def _static_figures():
    params, x, y = tasks.sine_example()
    hiddens, outputs = rnn_core.forward_sequence(params, rnn_core.as_sequence(x, 1))
    _, _, trace = rnn_core.gradients(params, x, y)
    return {
        "01 draw_unrolled_graph": lambda: rnn_viz.draw_unrolled_graph(4).figure,
        "02 plot_outputs_and_errors": lambda: rnn_viz.plot_outputs_and_errors(np.array(outputs), y).figure,
        "02 plot_gradient_contributions": lambda: rnn_viz.plot_gradient_contributions(trace, ("W_hy", "b_y")),
        "03 draw_step_graph": lambda: rnn_viz.draw_step_graph().figure,
        "04 plot_gradient_contributions": lambda: rnn_viz.plot_gradient_contributions(trace),
    }


def _step_without_dh_next(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """Notebook 04's exercise step ("+ dh_next" forgotten): some panels of the stepper's middle column are
    then all zero (your term - rnn_core's), others not."""
    return rnn_core.backward_step(dy, np.zeros_like(dh_next), x_t, h_prev, h_t, W_hh, W_hy)


WIDGETS = {
    "01 forward_explorer": lambda: rnn_viz.forward_explorer(*tasks.forward_example()),
    "04 backward_stepper": lambda: rnn_viz.backward_stepper(*tasks.sine_example()),
    "04 backward_stepper, your step": lambda: rnn_viz.backward_stepper(
        *tasks.sine_example(), step_back=_step_without_dh_next
    ),
    "05 training_lab": lambda: rnn_viz.TrainingLab(count=16),
    "06 lag_explorer": bench_widgets._lag_example,
    "06 clipping_explorer": bench_widgets._clipping_example,
    "07 trajectory_scrubber": bench_widgets._scrubber_example,
}


@pytest.fixture(scope="module")
def widget_views():
    with matplotlib.rc_context():
        matplotlib.rcdefaults()  # widgets follow the rule whatever style the notebook set
        views = {name: build() for name, build in WIDGETS.items()}
    yield views
    for view in views.values():
        plt.close(view.figure)


def _all_figures(widget_views):
    figures = {name: (build(), True) for name, build in _static_figures().items()}
    figures.update({name: (view.figure, False) for name, view in widget_views.items()})
    return figures


def test_the_rule_is_stated_in_style():
    assert style.MIN_TEXT_PX == 14 and style.COLUMN_PX == 1000
    smallest_pt = min(v for k, v in style.PROJECTOR_RC.items() if k.endswith("size"))
    assert smallest_pt * style.WIDGET_DPI / 72 >= style.MIN_TEXT_PX  # every default size, in a widget
    fig = plt.figure(figsize=(20, 3), dpi=100)  # 2000 pixels: shown at half size
    fig.text(0.1, 0.5, "label", fontsize=18)  # 25 px, shown 12.5 px
    fig.text(0.5, 0.5, "big", fontsize=21)  # 29 px, shown 14.6 px
    assert style.small_texts(fig) == [("label", 12.5)]


# The diagrams laid out wider than COLUMN_PX (01's unrolled graph, 03's step graph) are shrunk to the column
# by rnn_viz.plots.fit_to_column, their texts kept at 14 px or more: they follow the rule like the rest.
FORMERLY_TOO_WIDE = {"01 draw_unrolled_graph", "03 draw_step_graph"}


def test_every_text_of_every_figure_is_at_least_14_pixels_as_shown(widget_views):
    for name, (figure, static) in _all_figures(widget_views).items():
        assert style.small_texts(figure, tight=static) == [], name
        if not static:  # widgets: shown at their natural size
            assert style.figure_width_px(figure) <= style.COLUMN_PX, name


@pytest.mark.parametrize("name", sorted(FORMERLY_TOO_WIDE))
def test_the_diagrams_fit_the_column_and_keep_the_text_rule(name):
    figure = _static_figures()[name]()
    assert style.figure_width_px(figure) <= style.COLUMN_PX
    assert style.small_texts(figure, tight=True) == []


def test_widgets_text_in_html_is_at_least_14_pixels(widget_views):
    sizes = [int(px) for px in re.findall(r"font-size: (\d+)px", rnn_viz.display.WIDGET_CSS)]
    assert sizes and min(sizes) >= style.MIN_TEXT_PX
    assert "--jp-widgets-font-size" in rnn_viz.display.WIDGET_CSS
    for name, view in widget_views.items():
        assert "rnn-viz" in view.widget._dom_classes, name
        assert view.widget.children[0].value == rnn_viz.display.WIDGET_CSS, name


def _every_axes(figure):
    """The figure's axes and their insets (a colour bar in ax.inset_axes is not in figure.axes)."""
    return [inner for ax in figure.axes for inner in (ax, *ax.child_axes)]


def _colorbar_axes(figure):
    return [ax for ax in _every_axes(figure) if getattr(ax, "_colorbar", None) is not None]


def test_signed_data_use_the_diverging_map_with_symmetric_limits_and_labelled_colour_bars(widget_views):
    for name, (figure, _) in _all_figures(widget_views).items():
        for ax in figure.axes:
            for image in ax.images:
                data = np.ma.masked_invalid(np.asarray(image.get_array(), dtype=float))
                if data.min() < 0:  # signed
                    assert image.get_cmap().name.startswith(style.DIVERGING_CMAP), (name, ax.get_title())
                    low, high = image.get_clim()
                    assert low == -high, (name, ax.get_title())
        for cax in _colorbar_axes(figure):
            label = cax.get_ylabel() or cax.get_xlabel()
            assert label.strip(), f"{name}: a colour bar without a label"


def _is_signed(image) -> bool:
    data = np.ma.masked_invalid(np.asarray(image.get_array(), dtype=float))
    return data.min() < 0 or image.get_cmap().name.startswith(style.DIVERGING_CMAP)


def test_every_signed_heatmap_can_be_read_off_a_labelled_colour_bar(widget_views):
    """Each heatmap of a signed quantity has its own labelled colour bar, or shares one: an image with the
    same map and the same limits in the same figure has it (a bar per row or column)."""
    for name, (figure, _) in _all_figures(widget_views).items():
        images = [image for ax in figure.axes for image in ax.images if _is_signed(image)]
        with_bars = [image for image in images if image.colorbar is not None]
        for bar in (image.colorbar for image in with_bars):
            assert bar.ax.get_ylabel().strip() or bar.ax.get_xlabel().strip(), f"{name}: an unlabelled bar"
        for image in images:
            shared = [
                other
                for other in with_bars
                if other.get_cmap().name == image.get_cmap().name and other.get_clim() == image.get_clim()
            ]
            assert shared, f"{name}: the heatmap {image.axes.get_title()!r} has no colour bar"


PLAIN_MATH = re.compile(r"[A-Za-z)\]]_[A-Za-z0-9{]|\^[A-Za-z0-9{(]")


CODE_NAMES = re.compile(r"\brnn_core\b")  # names of code, not maths ("your term - rnn_core's")


def _outside_mathtext(text: str) -> str:
    return CODE_NAMES.sub("", re.sub(r"\$[^$]*\$", "", text))


def test_mathematics_is_written_in_mathtext(widget_views):
    for name, (figure, _) in _all_figures(widget_views).items():
        for text in figure.findobj(matplotlib.text.Text):
            plain = _outside_mathtext(text.get_text())
            assert not PLAIN_MATH.search(plain), f"{name}: {text.get_text()!r} has maths outside $...$"


def test_time_axes_have_whole_number_ticks(widget_views):
    for name, (figure, _) in _all_figures(widget_views).items():
        figure.canvas.draw()
        for ax in figure.axes:
            if re.search(r"time step|lag|epoch", ax.get_xlabel()):
                low, high = sorted(ax.get_xlim())
                ticks = [t for t in ax.get_xticks() if low <= t <= high]
                assert ticks and all(float(t).is_integer() for t in ticks), (name, ax.get_xlabel(), ticks)
        for cax in _colorbar_axes(figure):
            if "time step" in cax.get_ylabel():
                assert all(float(t).is_integer() for t in cax.get_yticks()), name


def test_category_styles_differ_in_colour_and_marker():
    colours, markers = zip(*style.CATEGORY_STYLES)
    assert len(set(colours)) == len(set(markers)) == 8


def test_the_backward_steppers_still_shows_the_middle_of_the_pass(widget_views):
    import io

    from PIL import Image

    view = widget_views["04 backward_stepper"]
    steps = view.controls["t"].max + 1
    assert view.still == {"t": steps // 2}
    live = np.asarray(Image.open(io.BytesIO(bytes(view.image.value))).convert("RGB"))
    still = np.asarray(Image.open(io.BytesIO(view.static_png())).convert("RGB"))[-live.shape[0] :]
    view.controls["t"].value = steps // 2
    middle = np.asarray(Image.open(io.BytesIO(bytes(view.image.value))).convert("RGB"))
    np.testing.assert_array_equal(still, middle)
    assert not np.array_equal(still, live)
    cover = view.figure.axes[0].patches[0]
    assert cover.get_width() == steps // 2  # the controls and the figure are back at the current value
    view.controls["t"].value = steps - 1


def test_frames_follow_the_axis_limits(widget_views):
    """A widget whose limits follow its data (frame_key) draws the frame again when they change, and the
    picture matches a full draw."""
    view = widget_views["06 lag_explorer"]
    for radius in (0.3, 1.8, 1.0):
        view.controls["radius"].value = radius
        fast = np.asarray(view.figure.canvas.buffer_rgba()).copy()
        view.figure.canvas.draw()
        full = np.asarray(view.figure.canvas.buffer_rgba())
        assert np.mean(np.any(fast != full, axis=-1)) < 0.01
    low, high = view.figure.axes[0].get_ylim()
    assert (low, high) != rnn_viz.LAG_YLIM and np.log10(high / low) >= 2


# ---- the notebooks' own figures (matplotlib calls written in the notebook) -------------------


def _notebook_code():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "code":
                yield f"{path.name} cell {index}", "".join(cell["source"])


def test_notebook_figures_fit_the_column_and_keep_the_text_rule():
    minimum_pt = style.MIN_TEXT_PX * 72 / style.FIGURE_DPI
    for where, source in _notebook_code():
        for width in re.findall(r"figsize=\(\s*([\d.]+)", source):
            assert float(width) * style.FIGURE_DPI <= style.COLUMN_PX, f"{where}: figsize width {width}"
        for size in re.findall(r"fontsize=(\d+(?:\.\d+)?)", source):
            assert float(size) >= minimum_pt, f"{where}: fontsize={size}"
        assert "viridis" not in source and "RdBu" not in source, f"{where}: use rnn_viz's colour maps"


def test_the_browser_test_checks_the_same_rule():
    source = (ROOT / "tests" / "browser" / "check_browser.py").read_text(encoding="utf-8")
    assert f"MIN_TEXT_PX = {style.MIN_TEXT_PX}" in source and f"COLUMN_PX = {style.COLUMN_PX}" in source
    assert "TARGET_MS = 150.0" in source
