"""rnn_viz (notebooks 01-04): widgets driven by their controls, and the pure plotting functions.

Every expected value is derived from rnn_core, never typed in.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_core  # noqa: E402
import rnn_viz  # noqa: E402
from rnn_lab import dynamics  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def forward_case():
    params = rnn_core.random_params(2, 5, 2, seed=4)
    time = np.arange(12)
    x = np.stack([np.sin(0.6 * time), np.cos(0.4 * time)], axis=1)  # (12, 2)
    return params, x


@pytest.fixture
def backward_case():
    params = rnn_core.random_params(2, 4, 1, seed=5)
    rng = np.random.default_rng(6)
    return params, rng.standard_normal((7, 2)), rng.standard_normal((7, 1))


def _axes(figure, title_start):
    """The one Axes of `figure` whose title starts with `title_start`."""
    found = [ax for ax in figure.axes if ax.get_title().startswith(title_start)]
    assert len(found) == 1, [ax.get_title() for ax in figure.axes]
    return found[0]


def _forward(params, x, scale):
    scaled = dict(params, W_hh=params["W_hh"] * scale)
    hiddens, outputs = rnn_core.forward_sequence(scaled, rnn_core.as_sequence(x, 2))
    return np.array(hiddens[1:])[:, :, 0], np.array(outputs)[:, :, 0]  # (T, H), (T, O)


# ---- the widget convention -------------------------------------------------


def test_widget_view_follows_the_convention(forward_case):
    view = rnn_viz.forward_explorer(*forward_case)
    assert set(view.controls) == {"t", "W_hh_scale"}
    assert isinstance(view.figure, matplotlib.figure.Figure)
    assert view.image in view.widget.children
    assert bytes(view.image.value).startswith(PNG_MAGIC)
    before = view.image.value
    view.controls["t"].value = 5
    assert view.image.value != before  # the picture was refreshed, not only the artists


def test_displayed_bundle_has_a_live_view_a_still_and_a_fixed_text(forward_case):
    view = rnn_viz.forward_explorer(*forward_case)
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    assert bundle["image/png"].startswith(PNG_MAGIC)
    assert rnn_viz.STATIC_NOTE in bundle["text/plain"]
    # the still is the current picture with a note strip above it: same width, taller
    import io

    from PIL import Image

    still = Image.open(io.BytesIO(bundle["image/png"]))
    frame = Image.open(io.BytesIO(bytes(view.image.value)))
    assert still.width == frame.width and still.height > frame.height


@pytest.mark.parametrize("widget", ["forward", "backward"])
def test_full_redraw_matches_the_blitted_picture(widget, forward_case, backward_case):
    """savefig-style drawing and the fast path show the same state (no artist is left out)."""
    if widget == "forward":
        view = rnn_viz.forward_explorer(*forward_case)
        view.controls["t"].value = 7
        view.controls["W_hh_scale"].value = 2.0
    else:
        view = rnn_viz.backward_stepper(*backward_case)
        view.controls["t"].value = 2
    fast = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.figure.canvas.draw()
    full = np.asarray(view.figure.canvas.buffer_rgba())
    assert np.mean(np.any(fast != full, axis=-1)) < 0.01  # identical up to antialiasing at borders


# ---- 01: forward explorer ------------------------------------------------------


def test_forward_explorer_shows_rnn_core_hidden_states_and_outputs(forward_case):
    params, x = forward_case
    view = rnn_viz.forward_explorer(params, x)
    ax_x, ax_h, ax_y, ax_tanh = (_axes(view.figure, title) for title in ("input", "hidden", "output", "tanh"))
    hiddens, outputs = _forward(params, x, 1.0)
    np.testing.assert_allclose(ax_h.images[0].get_array(), hiddens.T)
    np.testing.assert_allclose(ax_y.lines[1].get_ydata(), outputs[:, 1])

    view.controls["t"].value = 9
    assert ax_x.lines[-1].get_xdata()[0] == 9  # the marker moved to t = 9
    dots_x, dots_y = ax_y.lines[-1].get_data()
    np.testing.assert_array_equal(dots_x, [9, 9])
    np.testing.assert_allclose(dots_y, outputs[9])
    _, marked_h = ax_tanh.lines[-1].get_data()
    np.testing.assert_allclose(np.sort(marked_h), np.sort(hiddens[9]), atol=1e-12)

    view.controls["W_hh_scale"].value = 3.0
    hiddens3, outputs3 = _forward(params, x, 3.0)
    np.testing.assert_allclose(ax_h.images[0].get_array(), hiddens3.T)
    np.testing.assert_allclose(ax_y.lines[0].get_ydata(), outputs3[:, 0])
    (info,) = [text for ax in view.figure.axes for text in ax.texts if "scaled by" in text.get_text()]
    assert "3.00" in info.get_text()
    assert params["W_hh"] is forward_case[0]["W_hh"]  # the caller's weights were not scaled in place
    np.testing.assert_allclose(_forward(params, x, 1.0)[0], hiddens)


def test_scaling_w_hh_saturates_tanh(forward_case):
    params, x = forward_case
    fractions = [dynamics.saturated_fraction(_forward(params, x, s)[0]) for s in (0.5, 4.0)]
    assert fractions[1] > fractions[0]


def test_pre_activations_invert_tanh():
    a = np.array([-3.0, -0.5, 0.0, 0.7, 2.5])
    np.testing.assert_allclose(rnn_viz.pre_activations(np.tanh(a)), a, atol=1e-9)
    assert np.all(np.isfinite(rnn_viz.pre_activations([1.0, -1.0])))


# ---- 04: backward stepper ------------------------------------------------------


def test_backward_stepper_fills_in_rnn_core_trace(backward_case):
    params, x, y = backward_case
    _, grads, trace = rnn_core.gradients(params, x, y)
    view = rnn_viz.backward_stepper(params, x, y)
    vector_axes = [_axes(view.figure, rnn_viz.plots.VECTOR_LABELS[name]) for name in rnn_viz.BACKWARD_VECTORS]
    tex = rnn_viz.plots.PARAM_TEX
    term_axes = [_axes(view.figure, f"term of step $t$ in {tex[name]}") for name in rnn_core.PARAM_NAMES]
    sum_axes = [_axes(view.figure, f"{tex[name]} so far") for name in rnn_core.PARAM_NAMES]
    steps = len(trace.dy)
    for ax, name in zip(vector_axes, rnn_viz.BACKWARD_VECTORS):  # the whole trace, under the cover
        np.testing.assert_allclose(ax.images[0].get_array(), getattr(trace, name)[:, :, 0].T)
    for ax, name in zip(term_axes, rnn_core.PARAM_NAMES):
        np.testing.assert_allclose(ax.images[0].get_array(), trace.contributions[name].reshape(steps, -1).T)
    for t in (steps - 1, 3, 0):
        view.controls["t"].value = t
        for ax in vector_axes + term_axes:
            cover, marker = ax.patches  # grey cover over the steps not computed yet, box around step t
            assert (cover.get_x(), cover.get_width()) == (-0.5, t)  # columns 0 .. t-1 hidden
            assert marker.get_x() == t - 0.5
        for ax, name in zip(sum_axes, rnn_core.PARAM_NAMES):
            partial = trace.contributions[name][t:].sum(axis=0)
            np.testing.assert_allclose(ax.images[0].get_array(), partial)
    # after the last step (t = 0) the running sums are the full gradients
    for ax, name in zip(sum_axes, rnn_core.PARAM_NAMES):
        np.testing.assert_allclose(ax.images[0].get_array(), grads[name])


def test_running_sums_count_from_the_end():
    terms = np.arange(1.0, 5.0)  # 1, 2, 3, 4
    np.testing.assert_array_equal(rnn_viz.running_sums(terms), [10, 9, 7, 4])


# ---- pure plotting functions -----------------------------------------------------


def test_heatmap_over_time_puts_time_on_the_x_axis():
    values = np.arange(12.0).reshape(4, 3) - 5  # (T=4, n=3)
    fig, ax = plt.subplots()
    image = rnn_viz.heatmap_over_time(ax, values, "title", "unit")
    np.testing.assert_array_equal(image.get_array(), values.T)
    assert image.get_clim() == rnn_viz.symmetric_limits(values)
    assert image.get_cmap().name.startswith(rnn_viz.DIVERGING_CMAP)


def test_plot_outputs_and_errors_draws_dy_segments():
    rng = np.random.default_rng(0)
    outputs, targets = rng.standard_normal((5, 1, 1)), rng.standard_normal((5, 1, 1))
    ax = rnn_viz.plot_outputs_and_errors(outputs, targets)
    segments = ax.collections[0].get_segments()
    lengths = [seg[1, 1] - seg[0, 1] for seg in segments]
    np.testing.assert_allclose(lengths, rnn_core.output_gradient(outputs, targets).ravel())
    with pytest.raises(ValueError, match="must match"):
        rnn_viz.plot_outputs_and_errors(outputs, targets[:3])


def test_plot_gradient_contributions_rows_sum_to_the_gradient(backward_case):
    params, x, y = backward_case
    _, grads, trace = rnn_core.gradients(params, x, y)
    figure = rnn_viz.plot_gradient_contributions(trace)
    heatmaps = [ax for ax in figure.axes if ax.images]
    assert len(heatmaps) == len(rnn_core.PARAM_NAMES)
    for ax, name in zip(heatmaps, rnn_core.PARAM_NAMES):
        np.testing.assert_allclose(ax.images[0].get_array().sum(axis=1), grads[name].ravel())
    with pytest.raises(ValueError, match="unknown parameter"):
        rnn_viz.plot_gradient_contributions(trace, names=("W",))


def test_graph_drawings_label_the_code_symbols():
    unrolled = rnn_viz.draw_unrolled_graph(3)
    texts = " ".join(t.get_text() for t in unrolled.texts)
    for symbol in ("x_{2}", "h_{2}", "y_{2}", "W_{hh}", "h_{-1}"):
        assert symbol in texts
    step = rnn_viz.draw_step_graph()
    texts = " ".join(t.get_text() for t in step.texts)
    for symbol in (
        "dh\\_raw",
        "dh\\_next",
        "dh\\_prev",
        "dW_{xh}",
        "dW_{hh}",
        "dW_{hy}",
        "db_h",
        "db_y",
        "1-h_t^2",
    ):
        assert symbol in texts
    with pytest.raises(ValueError, match="from 1 to 8"):
        rnn_viz.draw_unrolled_graph(20)


def test_png_encoder_round_trips_the_canvas(forward_case):
    import io

    from PIL import Image

    view = rnn_viz.forward_explorer(*forward_case)
    canvas = np.asarray(view.figure.canvas.buffer_rgba())
    decoded = np.asarray(Image.open(io.BytesIO(bytes(view.image.value))).convert("RGB"))
    np.testing.assert_array_equal(decoded, canvas[:, :, :3])


def h_t_in_dW_hh(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy):
    """A typical student bug: h_t where h_{t-1} belongs in dW_hh; everything else right."""
    step = rnn_core.backward_step(dy, dh_next, x_t, h_prev, h_t, W_hh, W_hy)
    step.dW_hh = np.dot(step.dh_raw, h_t.T)
    return step


def test_backward_stepper_runs_your_step_and_shows_where_it_departs(backward_case):
    """With a student's buggy step the middle column is (your term - rnn_core's): zero except in dW_hh."""
    params, x, y = backward_case
    _, _, right = rnn_core.gradients(params, x, y)
    _, _, wrong = rnn_core.gradients(params, x, y, step_back=h_t_in_dW_hh)
    view = rnn_viz.backward_stepper(params, x, y, step_back=h_t_in_dW_hh)
    steps = len(right.dy)
    for name in rnn_core.PARAM_NAMES:
        title = f"your term - rnn_core's, in {rnn_viz.plots.PARAM_TEX[name]}"
        shown = _axes(view.figure, title).images[0].get_array()
        expected = (wrong.contributions[name] - right.contributions[name]).reshape(steps, -1).T
        np.testing.assert_allclose(shown, expected)
        if name == "W_hh":
            assert np.abs(shown).max() > 1e-3  # the bug is visible, in every step
            assert np.all(np.abs(shown).max(axis=0) > 0)
        else:
            assert np.abs(shown).max() == 0  # nothing else departs
    view.controls["t"].value = 0  # the right column holds the student's gradients after the last step
    np.testing.assert_allclose(
        _axes(view.figure, "$dW_{hh}$ so far").images[0].get_array(), wrong.contributions["W_hh"].sum(0)
    )


def test_backward_stepper_says_what_is_wrong_with_a_step_that_returns_the_wrong_thing(backward_case):
    params, x, y = backward_case
    with pytest.raises(
        TypeError, match=r"returned a tuple without dh, dh_raw.*must return rnn_core.StepGradients"
    ):
        rnn_viz.backward_stepper(params, x, y, step_back=lambda *args: (1, 2))

    def transposed(*args):
        step = rnn_core.backward_step(*args)
        step.dW_xh = step.dW_xh.T
        return step

    with pytest.raises(
        ValueError, match=r"step_back.s dW_xh has shape \(2, 4\), but it must have shape \(4, 2\)"
    ):
        rnn_viz.backward_stepper(params, x, y, step_back=transposed)


def test_forward_explorer_labels_the_inputs_as_told(forward_case):
    params, x = forward_case
    inputs = rnn_core.check_params(params)[0]
    labels = [f"input {i}" for i in range(inputs)]
    view = rnn_viz.forward_explorer(params, x, input_labels=labels)
    ax_x = _axes(view.figure, "input")
    assert [line.get_label() for line in ax_x.lines[:inputs]] == labels
    with pytest.raises(ValueError, match="input_labels"):
        rnn_viz.forward_explorer(params, x, input_labels=labels + ["one too many"])
