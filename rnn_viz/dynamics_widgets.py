"""rnn_viz.dynamics_widgets: the interactive figures of notebooks 06 and 07 (gradients against lag, clipping,
the hidden-state trajectory). Every builder follows the WIDGET CONVENTION of rnn_viz.display.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection

import rnn_core
from rnn_lab import dynamics, train
from rnn_viz.display import make_view, new_figure, slider_style
from rnn_viz.language import tr
from rnn_viz.plots import column_marker, heatmap_over_time
from rnn_viz.style import (
    DIVERGING_CMAP,
    FONT_SIZE,
    LINE_COLORS,
    SEQUENTIAL_CMAP,
    SMALL_FONT_SIZE,
    decade_limits,
    integer_time_axis,
    styled,
)

# --- 06: vanishing and exploding gradients ------------------------------------------------

LAG_YLIM = (1e-12, 1e6)  # fixed, so that the frame never moves: values outside are drawn at the edge


@styled
def lag_explorer(params: dict, X, Y, max_radius: float = 2.0):
    """Widget for notebook 06: ||dh_{T-1}/dh_t|| against the lag, with Pascanu et al.'s bound sigma_max^lag.

    params: rnn_core params; X (T, B, I), Y (T, B, O): a batch (dynamics.gradient_vs_lag).
    Controls: "radius" (W_hh rescaled to this spectral radius) and "input_scale" (X multiplied by it).
    Thin lines: each sequence; thick: their median; dashed: the bound; dotted: ||dL/dh_t|| (median).
    The y-axis spans the whole decades the curves need (within LAG_YLIM); legend and numbers sit right of
    the plot, never over a curve.
    """
    X = np.asarray(X, dtype=float)
    figure = new_figure(12.5, 5.6)
    ax, ax_side = figure.subplots(1, 2, width_ratios=[2.0, 1])
    ax_side.axis("off")
    lags = np.arange(X.shape[0])

    each = LineCollection([], colors=LINE_COLORS[0], linewidths=0.8, alpha=0.4)
    ax.add_collection(each)
    (median,) = ax.plot(
        lags,
        np.ones_like(lags, dtype=float),
        color=LINE_COLORS[0],
        linewidth=3.5,
        label=tr(r"$\|dh_{T-1}/dh_t\|$" + "\n(median over sequences)"),
    )
    (loss_line,) = ax.plot(
        lags,
        np.ones_like(lags, dtype=float),
        ":",
        color=LINE_COLORS[2],
        linewidth=3,
        label=tr(r"$\|dL/dh_t\|$" + "\n(loss at the last step, median)"),
    )
    (bound,) = ax.plot(
        lags,
        np.ones_like(lags, dtype=float),
        "--",
        color=LINE_COLORS[5],
        linewidth=2.5,
        label=tr(r"bound $\sigma_{\max}^{\,\mathrm{lag}}$" + "\n(Pascanu et al. 2013)"),
    )
    ax.axhline(1.0, color="#666666", linewidth=1)
    ax.set_yscale("log")
    ax.set_ylim(*LAG_YLIM)
    ax.set_xlim(0, lags[-1])
    integer_time_axis(ax)
    ax.set_xlabel(tr("lag $T-1-t$ (steps back from the end)"))
    ax.set_ylabel(tr("norm (log scale)"))
    ax.set_title(tr("How much $h_t$ still matters at the end of the sequence"))
    ax_side.legend(*ax.get_legend_handles_labels(), loc="upper left", borderaxespad=0)  # beside, not over
    info = ax_side.text(0.0, 0.0, "", transform=ax_side.transAxes, ha="left", va="bottom", fontsize=FONT_SIZE)

    def update(radius: float, input_scale: float) -> None:
        result = dynamics.gradient_vs_lag(dynamics.with_spectral_radius(params, radius), X * input_scale, Y)
        clipped = np.clip(result.jacobian_norms, *LAG_YLIM)
        loss_norms = np.clip(np.median(result.loss_grad_norms, axis=1), *LAG_YLIM)
        bounds = np.clip(result.bound(), *LAG_YLIM)
        each.set_segments([np.column_stack([lags, clipped[:, b]]) for b in range(clipped.shape[1])])
        median.set_ydata(np.median(clipped, axis=1))
        loss_line.set_ydata(loss_norms)
        bound.set_ydata(bounds)
        shown = np.concatenate([clipped.ravel(), loss_norms, bounds, [1.0]])
        low, high = decade_limits(shown.min() / 1.5, shown.max() * 1.5)
        if np.log10(high / low) < 2:  # at least two decades: three labelled ticks
            low, high = low / 10, high * 10
        ax.set_ylim(max(low, LAG_YLIM[0]), min(high, LAG_YLIM[1]))
        sigma = round(result.sigma_max, 2)  # as printed: 0.9999999 is shown, and judged, as 1.00
        if sigma < 1:
            verdict = tr(r"$\sigma_{\max} < 1$: vanishing" + "\nis guaranteed")
        elif sigma == 1:
            verdict = tr(r"$\sigma_{\max} = 1$: the bound" + "\nstays at 1")
        else:
            verdict = tr(r"$\sigma_{\max} > 1$: exploding" + "\nis possible (necessary,\nnot sufficient)")
        info.set_text(
            tr(
                "spectral radius $\\rho$ = {radius:.2f}\n"
                "$\\sigma_{{\\max}}(W_{{hh}})$ = {sigma:.2f}\n"
                "mean slope $1-h^2$: {slope:.2f}\n{verdict}",
                radius=result.radius,
                sigma=result.sigma_max,
                slope=result.mean_slope,
                verdict=verdict,
            )
        )

    controls = {
        "radius": widgets.FloatSlider(
            value=1.0,
            min=0.1,
            max=max_radius,
            step=0.05,
            description=tr("spectral radius of W_hh"),
            readout_format=".2f",
            **slider_style(),
        ),
        "input_scale": widgets.FloatLogSlider(
            value=1.0,
            base=10,
            min=-2,
            max=1,
            step=0.1,
            description=tr("input scale"),
            readout_format=".2f",
            **slider_style(),
        ),
    }
    return make_view(figure, controls, update, [each, median, loss_line, bound, info], frame_key=ax.get_ylim)


def _nice_above(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k that is >= value (so that limits come in few distinct sets)."""
    decade = 10.0 ** np.floor(np.log10(value))
    return next(decade * m for m in (1, 2, 5, 10) if decade * m >= value * (1 - 1e-12))


@styled
def clipping_explorer(grads: dict, thresholds=None):
    """Widget for notebook 06: clip one gradient by its norm and entry by entry; compare with the original.

    grads: name -> array (one gradient, e.g. from rnn_core.bptt). Control "threshold" (log slider).
    Left: every entry, clipped against original. Its y-axis follows the clipped values (up to the threshold,
    rounded up to 1, 2 or 5 x 10^k), so both clippings stay visible: norm clipping keeps a straight line
    through 0 (the same direction, shorter), element-wise clipping flattens the large entries at the
    threshold.
    Right: cosine similarity to the original against the threshold, for both modes; the marker follows.
    """
    entries = np.concatenate([np.ravel(grads[n]) for n in rnn_core.PARAM_NAMES])
    norm = train.global_norm(grads)
    largest = float(np.max(np.abs(entries)))
    if thresholds is None:
        thresholds = np.geomspace(largest / 1e3, norm * 2, 60)
    cos_norm = [train.cosine_similarity(train.clip_gradients(grads, c, "norm"), grads) for c in thresholds]
    cos_value = [train.cosine_similarity(train.clip_gradients(grads, c, "value"), grads) for c in thresholds]

    figure = new_figure(12.5, 6.2)
    grid = figure.add_gridspec(2, 2, height_ratios=[4, 1])
    ax_scatter, ax_cos = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
    ax_info = figure.add_subplot(grid[1, 0])
    ax_info.axis("off")
    limit = 1.05 * largest
    ax_scatter.plot([-limit, limit], [-limit, limit], color="#999999", linewidth=1, label=tr("unclipped"))
    ax_scatter.axhline(0, color="#cccccc", linewidth=0.8)
    by_norm = ax_scatter.scatter(
        entries, entries, s=22, color=LINE_COLORS[0], label=tr("norm clipping"), zorder=3
    )
    by_value = ax_scatter.scatter(
        entries, entries, s=22, color=LINE_COLORS[5], marker="x", label=tr("element-wise clipping"), zorder=4
    )
    ax_scatter.set_xlim(-limit, limit)
    ax_scatter.set_ylim(-limit, limit)
    ax_scatter.set_xlabel(tr("gradient entry, original"))
    ax_scatter.set_ylabel(tr("gradient entry, clipped"))
    ax_scatter.set_title(tr(r"Every entry of $\partial L/\partial W$, before and after"))
    ax_scatter.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5))
    ax_scatter.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3, borderaxespad=0)

    ax_cos.plot(thresholds, cos_norm, color=LINE_COLORS[0], linewidth=3, label=tr("norm clipping"))
    ax_cos.plot(thresholds, cos_value, color=LINE_COLORS[5], linewidth=3, label=tr("element-wise clipping"))
    for position, label in ((largest, tr("largest |entry|")), (norm, tr("gradient norm"))):
        # Past these thresholds nothing is clipped any more (element-wise / by norm).
        ax_cos.axvline(position, color="#666666", linewidth=1, linestyle=":")
        ax_cos.text(
            position,
            0.5,
            label + " ",
            rotation=90,
            ha="right",
            va="center",
            color="#444444",
            fontsize=SMALL_FONT_SIZE,
            transform=ax_cos.get_xaxis_transform(),
        )
    ax_cos.set_xscale("log")
    ax_cos.set_ylim(min(min(cos_value), 0.0) - 0.05, 1.05)
    ax_cos.set_xlabel(tr("threshold (log scale)"))
    ax_cos.set_ylabel(tr("cosine similarity to the original"))
    ax_cos.set_title(tr("Direction kept?"))
    ax_cos.legend(loc="lower right")
    marker = ax_cos.axvline(thresholds[0], color="#000000", linewidth=2.5)
    info = ax_info.text(
        0.5, 0.5, "", transform=ax_info.transAxes, ha="center", va="center", fontsize=FONT_SIZE
    )

    def update(threshold: float) -> None:
        clipped_norm = train.clip_gradients(grads, threshold, "norm")
        clipped_value = train.clip_gradients(grads, threshold, "value")
        flat_norm = np.concatenate([np.ravel(clipped_norm[n]) for n in rnn_core.PARAM_NAMES])
        flat_value = np.concatenate([np.ravel(clipped_value[n]) for n in rnn_core.PARAM_NAMES])
        by_norm.set_offsets(np.column_stack([entries, flat_norm]))
        by_value.set_offsets(np.column_stack([entries, flat_value]))
        reach = _nice_above(1.1 * min(threshold, largest))
        ax_scatter.set_ylim(-reach, reach)
        marker.set_xdata([threshold, threshold])
        info.set_text(
            tr(
                "threshold {threshold:.3g}:   cosine to the original\n"
                "norm clipping {by_norm:.4f},   element-wise {by_value:.4f}",
                threshold=threshold,
                by_norm=train.cosine_similarity(clipped_norm, grads),
                by_value=train.cosine_similarity(clipped_value, grads),
            )
        )

    controls = {
        "threshold": widgets.FloatLogSlider(
            value=float(np.sqrt(thresholds[0] * thresholds[-1])),
            base=10,
            min=float(np.log10(thresholds[0])),
            max=float(np.log10(thresholds[-1])),
            step=0.05,
            description=tr("clipping threshold"),
            readout_format=".3g",
            **slider_style(),
        ),
    }
    return make_view(
        figure, controls, update, [by_norm, by_value, marker, info], frame_key=ax_scatter.get_ylim
    )


# --- 07: hidden-state dynamics ------------------------------------------------------------


@styled
def trajectory_scrubber(params: dict, x, target, reference_states=None):
    """Widget for notebook 07: scrub through one input sequence; the hidden state moves along its trajectory.

    params: a trained rnn_core params dict (I = O = 1); x, target: (T,) one sequence.
    reference_states: (N, H) hidden states of a longer run, or None. The PCA directions are fitted to
    them (drawn as a faint grey cloud) and the sequence is projected onto them; by default PCA is
    fitted to the sequence's own states.
    Control "t". Panels: input, target and output over time (t marked); the hidden-state trajectory
    projected on two principal components (dynamics.pca_2d), the current h_t circled; every unit's
    activation over time as a heatmap (column t outlined); the units of h_t as bars.
    """
    x, target = np.ravel(x), np.ravel(target)
    steps = len(x)
    hiddens, outputs = rnn_core.forward_batch(params, x[:, None, None])
    states = hiddens[1:, 0, :]  # (T, H)
    cloud, components, mean, explained = dynamics.pca_2d(
        states if reference_states is None else reference_states
    )
    coords = (states - mean) @ components.T  # (T, 2)
    hidden_size = states.shape[1]

    figure = new_figure(12.5, 8.4)
    grid = figure.add_gridspec(2, 2, width_ratios=[1.5, 1], height_ratios=[1, 1.2])
    ax_seq, ax_pca = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
    ax_heat, ax_bars = figure.add_subplot(grid[1, 0]), figure.add_subplot(grid[1, 1])
    time = np.arange(steps)
    ax_seq.plot(time, x, color="#999999", marker="o", markersize=4, linewidth=1.5, label=tr("input $x_t$"))
    ax_seq.plot(time, target, color="#000000", linewidth=2.5, label=tr("target"))
    ax_seq.plot(
        time, outputs[:, 0, 0], "--", color=LINE_COLORS[0], linewidth=2.5, label=tr(r"output $\hat y_t$")
    )
    seq_mark = ax_seq.axvline(0, color=LINE_COLORS[5], linewidth=3)
    ax_seq.set_xlim(-0.5, steps - 0.5)
    ax_seq.set_xlabel(tr("time step $t$"))
    integer_time_axis(ax_seq)
    ax_seq.set_ylabel(tr("value"))
    low, high = min(x.min(), target.min(), outputs.min()), max(x.max(), target.max(), outputs.max())
    ax_seq.set_ylim(low - 0.1 * (high - low), high + 0.1 * (high - low))
    # Above the axes, in the title's place: the time marker never crosses it, and it covers no data.
    ax_seq.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.01), ncols=3, borderaxespad=0, fontsize=SMALL_FONT_SIZE
    )

    if reference_states is not None:
        ax_pca.scatter(cloud[:, 0], cloud[:, 1], s=12, color="#d0d0d0", zorder=0, label=tr("a longer run"))
    ax_pca.plot(coords[:, 0], coords[:, 1], color="#999999", linewidth=1, zorder=1)
    dots = ax_pca.scatter(coords[:, 0], coords[:, 1], c=time, cmap=SEQUENTIAL_CMAP, s=30, zorder=2)
    time_bar = figure.colorbar(dots, ax=ax_pca, label=tr("time step $t$"))
    time_bar.set_ticks(mpl.ticker.MaxNLocator(integer=True))  # whole time steps only
    (current,) = ax_pca.plot(
        [coords[0, 0]],
        [coords[0, 1]],
        "o",
        markersize=16,
        markerfacecolor="none",
        markeredgecolor=LINE_COLORS[5],
        markeredgewidth=3.5,
        zorder=4,
    )
    ax_pca.set_xlabel(tr("PC 1 ({percent:.0f}% of variance)", percent=100 * explained[0]))
    ax_pca.set_ylabel(tr("PC 2 ({percent:.0f}%)", percent=100 * explained[1]))
    ax_pca.set_title(tr("$h_t$ in 2-D (PCA)"))

    image = heatmap_over_time(
        ax_heat, states, tr("every hidden unit over time"), tr("hidden unit"), signed=True, limits=(-1, 1)
    )
    figure.colorbar(image, ax=ax_heat, label=tr("$h_t$ (no unit)"))
    heat_mark = column_marker(ax_heat, 0, hidden_size, color="#000000")
    integer_time_axis(ax_heat)
    ax_heat.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))

    # The bars take the heatmap's colours (the diverging map): blue for negative, red for positive.
    diverging = mpl.colormaps[DIVERGING_CMAP]
    negative_color, positive_color = diverging(0.15), diverging(0.85)

    bars = ax_bars.barh(np.arange(hidden_size), states[0], color=positive_color)
    ax_bars.set_xlim(-1.05, 1.05)
    ax_bars.set_ylim(hidden_size - 0.5, -0.5)  # unit 0 on top, as in the heatmap
    ax_bars.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax_bars.axvline(0, color="#666666", linewidth=1)
    ax_bars.set_xlabel(tr("$h_t$ (tanh: between -1 and 1)"))
    ax_bars.set_ylabel(tr("hidden unit"))
    # The title changes with t: a fixed title holds its place (drawn invisible), the text is drawn over it.
    title = ax_bars.set_title(r"$t$ = 00:  $x_t$ = +0.00,  $\hat y_t$ = +0.00", color="none")
    info = ax_bars.text(0.5, 1.0, "", transform=title.get_transform(), ha="center", va="baseline")

    def update(t: int) -> None:
        seq_mark.set_xdata([t, t])
        current.set_data([coords[t, 0]], [coords[t, 1]])
        heat_mark.set_x(t - 0.5)
        for bar, value in zip(bars, states[t]):
            bar.set_width(value)
            bar.set_color(negative_color if value < 0 else positive_color)
        info.set_position(title.get_position())
        info.set_text(f"$t$ = {t}:  $x_t$ = {x[t]:+.2f},  $\\hat y_t$ = {outputs[t, 0, 0]:+.2f}")

    controls = {
        "t": widgets.IntSlider(value=0, min=0, max=steps - 1, description=tr("time step t"), **slider_style())
    }
    return make_view(figure, controls, update, [seq_mark, current, heat_mark, *bars, info])
