"""Widgets and plots of notebooks 05-07: move a control, check the figure shows the derived values."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_core  # noqa: E402
import rnn_viz  # noqa: E402
from rnn_lab import dynamics, tasks, train  # noqa: E402


def line_labelled(ax, start):
    (line,) = [line for line in ax.lines if line.get_label().startswith(start)]
    return line


# ---- 05: the live training lab -------------------------------------------------------------


@pytest.fixture(scope="module")
def lab():
    lab = rnn_viz.TrainingLab(count=16, seed=0)
    yield lab
    plt.close(lab.figure)


def test_training_lab_trains_what_its_controls_say(lab):
    lab.configure(epochs=40, hidden_size=5, steps=10, task="echo")  # one training run, not four
    # the same run, done directly with rnn_core
    X, Y = tasks.make_task("echo", 10, 16, seed=0)
    params = train.problem_init(1, 5, 1, seed=0)
    history = train.train(params, X, Y, 40)
    np.testing.assert_allclose(lab.history.losses, history.losses, rtol=1e-12)
    np.testing.assert_allclose(lab.loss_line.get_ydata(), history.losses, rtol=1e-12)
    assert lab.progress.value == lab.progress.max == 40
    X_test, Y_test = tasks.make_task("echo", 10, 1, seed=1000)
    np.testing.assert_array_equal(lab.input_line.get_ydata(), X_test[:, 0, 0])
    np.testing.assert_array_equal(lab.target_line.get_ydata(), Y_test[:, 0, 0])
    np.testing.assert_allclose(
        lab.after_line.get_ydata(), rnn_core.forward_batch(params, X_test)[1][:, 0, 0], rtol=1e-10
    )
    before = rnn_core.forward_batch(train.problem_init(1, 5, 1, seed=0), X_test)[1][:, 0, 0]
    np.testing.assert_allclose(lab.before_line.get_ydata(), before)
    assert f"{history.losses[-1]:.4g}" in lab.status.value
    assert lab.image.value[:4] == b"\x89PNG"


def test_training_lab_answers_a_change_before_it_trains(lab):
    """The first picture after a change is the new run's start (no losses yet), shown before any epoch
    runs."""
    pictures = []

    def record(change):
        pictures.append((lab.status.value, len(lab.loss_line.get_xdata())))

    lab.image.observe(record, names="value")
    try:
        lab.configure(task="sine", epochs=40)
    finally:
        lab.image.unobserve(record, names="value")
    first_status, first_losses = pictures[0]
    assert first_status == "training: 40 epochs ..." and first_losses == 0
    assert len(pictures) >= 2 and pictures[-1][0].startswith("done: 40 epochs")


def test_training_lab_reports_an_overflowing_learning_rate(lab):
    lab.configure(task="sine", epochs=150, hidden_size=16, steps=20)
    lab.controls["learning_rate"].value = 0.3  # a single control: trains at once
    assert "overflowed" in lab.status.value and lab.history.stopped
    assert np.all(np.isnan(lab.after_line.get_ydata()))
    low, high = lab.ax_loss.get_ylim()
    assert np.max(lab.loss_line.get_ydata()) <= high  # drawn at the edge, not off the chart
    lab.controls["learning_rate"].value = rnn_core.LEARNING_RATE
    assert lab.history.stopped == "" and "done" in lab.status.value and len(lab.history.losses) == 150


def test_training_lab_still_picture_for_front_ends_without_widgets(lab):
    bundle = lab._repr_mimebundle_()
    assert "interactive widget" in bundle["text/plain"] and bundle["image/png"][:4] == b"\x89PNG"


# ---- 06: gradient against lag, clipping --------------------------------------------------


@pytest.fixture(scope="module")
def lag_setup():
    base = rnn_core.random_params(1, 8, 1, scale=1.0, seed=0)
    base["b_h"][:] = 0.0
    base = dynamics.orthogonal_recurrence(base)
    X, Y = tasks.echo_task(15, 4, seed=0)
    view = rnn_viz.lag_explorer(base, X, Y)
    yield base, X, Y, view
    plt.close(view.figure)


@pytest.mark.parametrize("radius, scale", [(0.5, 1.0), (1.4, 0.1), (1.0, 3.0)])
def test_lag_explorer_draws_the_measured_norms_and_the_bound(lag_setup, radius, scale):
    base, X, Y, view = lag_setup
    view.controls["radius"].value = radius
    view.controls["input_scale"].value = scale
    expected = dynamics.gradient_vs_lag(dynamics.with_spectral_radius(base, radius), X * scale, Y)
    ax = view.figure.axes[0]
    low, high = rnn_viz.LAG_YLIM
    np.testing.assert_allclose(
        line_labelled(ax, r"$\|dh_{T-1}").get_ydata(),
        np.clip(np.median(expected.jacobian_norms, axis=1), low, high),
    )
    np.testing.assert_allclose(
        line_labelled(ax, r"$\|dL/dh_t").get_ydata(),
        np.clip(np.median(expected.loss_grad_norms, axis=1), low, high),
    )
    # orthogonal W_hh: sigma_max equals the radius, so the bound is radius ** lag
    np.testing.assert_allclose(
        line_labelled(ax, "bound").get_ydata(), np.clip(radius ** np.arange(15.0), low, high)
    )
    segments = ax.collections[0].get_segments()
    assert len(segments) == 4
    np.testing.assert_allclose(segments[2][:, 1], np.clip(expected.jacobian_norms[:, 2], low, high))
    info = [t for a in view.figure.axes for t in a.texts if "spectral radius" in t.get_text()][0].get_text()
    assert (
        f"{radius:.2f}" in info
        and ("guaranteed" in info) == (radius < 1)
        and ("possible" in info) == (radius > 1)
    )


def test_clipping_explorer_shows_both_clippings(lag_setup):
    base, X, Y, _ = lag_setup
    _, grads = rnn_core.bptt(dynamics.with_spectral_radius(base, 1.5), 0.1 * X, Y)
    view = rnn_viz.clipping_explorer(grads)
    entries = np.concatenate([grads[n].ravel() for n in rnn_core.PARAM_NAMES])
    norm = train.global_norm(grads)
    for threshold in (norm / 10, np.max(np.abs(entries)) / 3):
        view.controls["threshold"].value = threshold
        c = view.controls["threshold"].value  # the slider may round to its step
        ax_scatter, ax_cos = view.figure.axes[:2]
        by_norm, by_value = ax_scatter.collections[:2]
        np.testing.assert_allclose(by_norm.get_offsets()[:, 1], entries * min(1.0, c / norm))
        np.testing.assert_allclose(by_value.get_offsets()[:, 1], np.clip(entries, -c, c))
        np.testing.assert_allclose(by_value.get_offsets()[:, 0], entries)
        assert ax_cos.lines[-1].get_xdata()[0] == c
        cos = train.cosine_similarity(train.clip_gradients(grads, c, "value"), grads)
        (info,) = [t for a in view.figure.axes for t in a.texts if "threshold" in t.get_text()]
        assert f"{cos:.4f}" in info.get_text()
        # the y-axis reaches just past the larger clipped values (both clippings visible, none flattened)
        low, high = ax_scatter.get_ylim()
        assert low == -high and 1.1 * min(c, np.max(np.abs(entries))) <= high <= 5.5 * min(c, norm)
    plt.close(view.figure)


def test_truncation_sweep_plot():
    fig, axes = plt.subplots(1, 2)
    rnn_viz.plot_truncation_sweep(
        axes, [1, 2, 4], [0.9, 0.95, 1.0], [0.3, 0.2, 0.0], [100, 200, 400], steps=4
    )
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), [0.9, 0.95, 1.0])
    np.testing.assert_allclose(axes[1].lines[0].get_ydata(), np.array([100, 200, 400]) / 1024)
    plt.close(fig)


# ---- 05/07: static plots -------------------------------------------------------------------


def test_loss_curves_and_memory_sweeps_plot_their_data():
    history = train.TrainingHistory(losses=[3.0, 2.0, 1e300], stopped="stopped in epoch 3")
    sweep = dynamics.MemorySweep(delays=[1, 2], accuracy=[1.0, 0.5], loss_per_step=[0.0, 0.5])
    fig, (ax1, ax2) = plt.subplots(1, 2)
    rnn_viz.plot_loss_curves(ax1, {"run": history})
    np.testing.assert_allclose(ax1.lines[0].get_ydata(), [3.0, 2.0, 1e12])
    assert "overflowed" in ax1.lines[0].get_label()
    rnn_viz.plot_memory_sweeps(ax2, {"a": sweep})
    np.testing.assert_allclose(ax2.lines[0].get_ydata(), [1.0, 0.5])
    plt.close(fig)


# ---- 07: trajectory scrubber -----------------------------------------------------------------


def test_trajectory_scrubber_follows_t():
    params = dynamics.with_spectral_radius(rnn_core.random_params(1, 6, 1, seed=3), 0.9)
    X, Y = tasks.echo_task(12, 1, delay=2, seed=4)
    view = rnn_viz.trajectory_scrubber(params, X[:, 0, 0], Y[:, 0, 0])
    states = rnn_core.forward_batch(params, X)[0][1:, 0, :]
    outputs = rnn_core.forward_batch(params, X)[1][:, 0, 0]
    coords = dynamics.pca_2d(states)[0]
    ax_seq, ax_pca, ax_heat, ax_bars = view.figure.axes[:4]
    for t in (5, 11, 0):
        view.controls["t"].value = t
        np.testing.assert_allclose(ax_pca.lines[-1].get_xydata()[0], coords[t])
        assert ax_seq.lines[-1].get_xdata()[0] == t
        assert ax_heat.patches[0].get_x() == t - 0.5
        np.testing.assert_allclose([bar.get_width() for bar in ax_bars.patches], states[t])
        assert f"{outputs[t]:+.2f}" in ax_bars.texts[0].get_text()
    np.testing.assert_allclose(ax_heat.images[0].get_array(), states.T)
    plt.close(view.figure)


def test_trajectory_scrubber_ticks_colours_and_symbols():
    """Whole time steps on every time axis and on the time colour bar; the bars take the heatmap's
    diverging colours (blue negative, red positive); the output is written y-hat; legends at the style's
    size."""
    params = dynamics.with_spectral_radius(rnn_core.random_params(1, 6, 1, seed=3), 0.9)
    X, Y = tasks.echo_task(12, 1, delay=2, seed=4)
    view = rnn_viz.trajectory_scrubber(params, X[:, 0, 0], Y[:, 0, 0])
    view.figure.canvas.draw()
    ax_seq, ax_pca, ax_heat, ax_bars = view.figure.axes[:4]
    time_bar = view.figure.axes[4]
    for ticks in (ax_seq.get_xticks(), ax_heat.get_xticks(), time_bar.get_yticks()):
        assert np.allclose(ticks, np.round(ticks))
    states = rnn_core.forward_batch(params, X)[0][1:, 0, :]
    diverging = matplotlib.colormaps[rnn_viz.style.DIVERGING_CMAP]
    for t in (0, 5):
        view.controls["t"].value = t
        for bar, value in zip(ax_bars.patches, states[t]):
            expected = diverging(0.15) if value < 0 else diverging(0.85)
            np.testing.assert_allclose(bar.get_facecolor(), expected)
    labels = [text.get_text() for text in ax_seq.get_legend().get_texts()]
    assert r"output $\hat y_t$" in labels
    assert all(
        text.get_fontsize() >= rnn_viz.style.SMALL_FONT_SIZE for text in ax_seq.get_legend().get_texts()
    )
    assert r"\hat y_t" in ax_bars.texts[0].get_text()
    plt.close(view.figure)


def test_trajectory_scrubber_projects_onto_a_reference_run():
    params = dynamics.with_spectral_radius(rnn_core.random_params(1, 6, 1, seed=3), 0.9)
    X, Y = tasks.echo_task(12, 1, delay=2, seed=4)
    X_long, _ = tasks.echo_task(80, 1, delay=2, seed=5)
    reference = rnn_core.forward_batch(params, X_long)[0][1:, 0, :]
    view = rnn_viz.trajectory_scrubber(params, X[:, 0, 0], Y[:, 0, 0], reference_states=reference)
    _, components, mean, _ = dynamics.pca_2d(reference)
    states = rnn_core.forward_batch(params, X)[0][1:, 0, :]
    view.controls["t"].value = 7
    ax_pca = view.figure.axes[1]
    np.testing.assert_allclose(ax_pca.lines[-1].get_xydata()[0], (states[7] - mean) @ components.T)
    assert len(ax_pca.collections[0].get_offsets()) == 80  # the reference cloud
    plt.close(view.figure)
