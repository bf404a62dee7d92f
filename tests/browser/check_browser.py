"""`make test-browser`: every notebook, run in JupyterLab 4 and in Notebook 7 in a real (headless) Chromium.

Two passes, one per front end (JupyterLab first, then Notebook 7; --front-ends picks), each with its
own server. For each notebooks/*.ipynb: open it, "Run All", wait until the kernel is idle, then
scroll through it as a reader would and check that
- no cell shows an error, except cells the notebook marks as raising on purpose (tests/nbmarkers.py),
  and "Run All" reached the last cell;
- every widget output is a live widget, not a text or picture stand-in;
- every slider moves with the keyboard (focused handle; arrow keys in JupyterLab, PageUp/PageDown in
  Notebook 7, see FRONT_ENDS) and with a mouse drag, every dropdown takes another option, and each
  move changes the figure (pixels compared); the time from the input event to the new picture being
  ready to paint is measured per control; a median above 150 ms (TARGET_MS) fails the notebook;
- the lecture-hall text rule (rnn_viz/style.py): every widget text (descriptions, readouts, options)
  has a computed font size of at least 14 px, and every picture is shown at least at
  min(1, COLUMN_PX / its width) of its natural size (the column is at least COLUMN_PX wide), which is
  the scale at which tests/test_viz_style.py checks that every matplotlib text is at least 14 px.
- no output warns of a missing glyph or font (matplotlib's "Glyph ... missing from font(s)", "does not have a
  glyph", "findfont"), and in the Chinese edition (notebooks/zh/, screenshots named zh-NN_...) every widget
  shows Chinese text: its figures and labels come through rnn_viz.language; Chromium itself needs a CJK
  font for the Chinese text of the page (Debian's fonts-noto-cjk, which .ci/run installs), checked first.
Screenshots (whole notebook, and every widget cell after its controls moved) go to build/screenshots/
(JupyterLab) and build/screenshots/notebook7/ (Notebook 7).
A notebook whose only problems are timing (a median over the target, a short wait that ran out:
TIMING_PROBLEM) is checked once more from a new page and a new kernel; it passes only if that second run
passes, and its first run's problems and pictures (NAME-run1*.png) are kept. Any other problem fails at once.
At the end of the output, up to 5 problems per run of every notebook that failed or needed a second run,
and the machine's CPU and load (a CI log is often read from its end).
The notebooks on disk are never written (autosave off; checked by hashing them before and after). Each
notebook's kernel is shut down once it is checked, so 44 idle kernels never sit beside the one being timed.

Both front ends are built from JupyterLab's components (Notebook 7's page has the same notebook
panel, output areas and commands), so one set of checks and page helpers serves both; only the
server command and the notebook's address differ (FRONT_ENDS).

Run with the Python of the venv that has playwright (tests/browser/requirements.txt); the servers
and the kernel come from --jupyter (the `make lab` environment, .venv). Chromium is Debian's
/usr/bin/chromium: Playwright's own browser download is never used.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import nbmarkers  # noqa: E402  (tests/nbmarkers.py)

ROOT = Path(__file__).resolve().parents[2]
HELPERS_JS = (Path(__file__).resolve().parent / "page_helpers.js").read_text(encoding="utf-8")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
TARGET_MS = 150.0
MIN_TEXT_PX = 14  # rnn_viz.style.MIN_TEXT_PX and COLUMN_PX (this venv has no rnn_viz: kept in step by a test)
COLUMN_PX = 1000
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# What matplotlib says when a character has no glyph in the fonts it was given (a box is drawn instead).
GLYPH_WARNING = re.compile(r"Glyph \d+ .*missing from|does not have a glyph|findfont: ", re.IGNORECASE)
CJK = re.compile(r"[\u4e00-\u9fff]")
# What ipywidgets prints for a widget when no front end renders it, e.g. `IntSlider(value=0)`.
WIDGET_REPR = re.compile(
    r"^(?:Int|Float|FloatLog|IntRange|FloatRange|Selection|SelectionRange)?Slider\(|^(?:VBox|HBox|Box|GridBox|Tab|Accordion|"
    r"Stack|Output|Dropdown|ToggleButtons?|Checkbox|Button|Play|RadioButtons|Select|SelectMultiple|Image|Label|HTML|"
    r"HTMLMath|Text|Textarea|BoundedIntText|BoundedFloatText|IntText|FloatText|interactive)\("
)


# Problems that a moment of load on the machine can cause: a median over the target, or a wait of at most
# a few minutes that ran out. Only a notebook whose every problem is one of these is checked again.
TIMING_PROBLEM = re.compile(
    r"above the \d+ ms target|did not change within 10 s|Timeout \d+ms exceeded|"
    r"timed out after (?:\d|\d\d|1\d\d) s waiting"
)


def say(message: str) -> None:
    print(f"[test-browser] {message}", flush=True)


# ----------------------------------------------------------------------------
# the front ends: JupyterLab 4 and Notebook 7 (both built on JupyterLab's components, so the same
# page helpers read both; only the server command and the notebook's address differ)
# ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FrontEnd:
    key: str  # as given to --front-ends
    title: str  # for messages
    subcommand: str  # `jupyter SUBCOMMAND`
    options: tuple[str, ...]  # the app's own options: expose window.jupyterapp, no update checks
    page: str  # a notebook's address, from {path} and {token}
    shots: str  # subfolder of --screenshots ("" = the folder itself)
    slider_keys: tuple[str, str]  # the keys that move a focused slider handle up and down


# Why Notebook 7 moves sliders with PageUp/PageDown: its command-mode shortcuts bind the arrow keys
# (ArrowLeft/ArrowRight: notebook:move-cursor-heading-above-or-collapse / -below-or-expand, selector
# `.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus`, which a focused slider handle
# matches) and Notebook 7.4.7 runs them before the focused element sees the key (JupyterLab starts
# with bubblingKeydown, so the slider gets it first there). Found by experiment: in Notebook 7 an
# arrow key on a focused handle leaves the value alone, moves the cursor to a heading cell and may
# collapse the section. PageUp/PageDown are not bound: noUiSlider moves the handle 5 steps.

FRONT_ENDS = {
    "jupyterlab": FrontEnd(
        "jupyterlab",
        "JupyterLab",
        "lab",
        (
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ),
        "/lab/tree/{path}?token={token}&reset",
        "",
        ("ArrowRight", "ArrowLeft"),
    ),
    "notebook7": FrontEnd(
        "notebook7",
        "Notebook 7",
        "notebook",
        ("--JupyterNotebookApp.expose_app_in_browser=True",),
        "/notebooks/{path}?token={token}",
        "notebook7",
        ("PageUp", "PageDown"),
    ),
}


# ----------------------------------------------------------------------------
# the Jupyter server on 127.0.0.1, isolated from the user's settings, always stopped
# ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_settings(settings_dir: Path) -> None:
    """Settings for the test (JupyterLab's, which Notebook 7 reads too): never save the notebooks,
    never look for news or updates."""
    files = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for name, value in files.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")


@contextlib.contextmanager
def jupyter_server(front_end: FrontEnd, jupyter: Path, log_path: Path, startup_timeout: float = 90):
    scratch = Path(tempfile.mkdtemp(prefix=f"nbtest-{front_end.key}-"))
    write_settings(scratch / "settings")
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(scratch / "config"),
        JUPYTER_DATA_DIR=str(scratch / "data"),
        JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(scratch / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
    )
    for name in ("PYTHONPATH", "JUPYTER_PATH"):  # the kernel must find the modules through `pip install -e .`
        env.pop(name, None)
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        str(jupyter),
        front_end.subcommand,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        *front_end.options,
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"{front_end.title} exited with {server.returncode}; see {log_path}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{front_end.title} did not answer within {startup_timeout:.0f} s; see {log_path}"
                )
            time.sleep(0.5)
        say(f"{front_end.title} on {base} (log: {log_path})")
        yield base, token
    finally:
        # The server and its kernels are in their own process group, started above.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


# ----------------------------------------------------------------------------
# one notebook
# ----------------------------------------------------------------------------


class NotebookResult:
    def __init__(self, name: str, front_end: FrontEnd):
        self.name = name
        self.front_end = front_end
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.controls_tried = 0
        self.dragged: list[str] = []
        self.control_failed = False
        self.latencies: dict[str, list[float]] = {}  # control -> milliseconds per move
        self.text_checked = 0  # widget cells whose HTML text keeps the 14-px rule
        self.smallest_scale = 1.0  # the smallest (shown / natural width) of any picture
        self.seconds = 0.0
        self.path = ""  # relative to the repository, e.g. notebooks/zh/04_bptt.ipynb
        self.stem = ""  # screenshots' names (screenshot_stem)
        self.chinese = False  # the Chinese edition (notebooks/zh/)
        self.first_run_problems: list[str] = []  # when the notebook passed only on its second run


def poll(page, ready, timeout_s: float, what: str, who: str) -> None:
    """Call `ready()` every 0.2 s until it is true; fail early if a dialog pops up, or after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ready():
            return
        dialog = page.evaluate("window.__nbtest ? window.__nbtest.dialog() : null")
        if dialog:
            raise AssertionError(f"{who} opened a dialog while waiting for {what}: {dialog!r}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def wait_js(page, expression: str, arg, timeout_s: float, what: str, who: str) -> None:
    """Wait until `expression` (a JS function of arg) is true."""
    poll(page, lambda: page.evaluate(expression, arg), timeout_s, what, who)


def wait_for_run_all(page, path: str, timeout_s: float, who: str, quiet_s: float = 2.0) -> None:
    """Wait until Run All has finished: every non-empty cell has run, or (after an error stopped it)
    the kernel has stayed idle with nothing changing for `quiet_s` seconds. Run All's own promise
    can resolve, and the kernel be idle for a moment, while cells are still queued."""
    last, quiet_since = None, time.monotonic()

    def finished() -> bool:
        nonlocal last, quiet_since
        state = page.evaluate("(path) => window.__nbtest.runState(path)", path)
        settled = state["done"] and state["idle"] and not state["running"]
        if settled and state["all_run"]:
            return True
        if state != last:
            last, quiet_since = state, time.monotonic()
            return False
        return settled and time.monotonic() - quiet_since >= quiet_s

    poll(page, finished, timeout_s, "Run All to finish", who)


def wait_kernel_idle(page, path: str, timeout_s: float = 300) -> None:
    """Wait until the kernel has been idle for a moment (a widget's callback may run for a while)."""
    deadline = time.monotonic() + timeout_s
    idle_polls = 0
    while idle_polls < 3:
        if time.monotonic() > deadline:
            raise AssertionError(f"the kernel was still busy after {timeout_s:.0f} s")
        idle_polls = (
            idle_polls + 1 if page.evaluate("(path) => window.__nbtest.kernelIdle(path)", path) else 0
        )
        time.sleep(0.1)


def measure_control(page, result: NotebookResult, cell_index: int, control: dict, moves: int) -> None:
    """Operate one control as a user would, `moves` times back and forth around its starting value;
    after each move assert that the figure's pixels changed and record the time from the input
    event to the new picture being ready to paint."""
    kind, k = control["kind"], control["k"]
    name = f"cell {cell_index} {kind} '{control['label'] or k}'"
    where = f'[data-nbtest-cell="{cell_index}"] [data-nbtest-control="{kind}-{k}"]'
    # The control's own cell, if it shows a picture; otherwise the whole notebook (figure elsewhere).
    scope_info = page.evaluate(
        "([path, i]) => window.__nbtest.figureScope(path, i)", [result.path, cell_index]
    )
    scope = scope_info["selector"]

    if kind == "slider":  # keyboard: focus the handle, press the front end's keys (arrows in JupyterLab)
        handle = page.locator(f"{where} .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        steps = list(result.front_end.slider_keys)
        if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax"):
            steps.reverse()  # it starts at its maximum: go left first

        def move(step: str) -> None:
            handle.press(step)
    else:  # a dropdown: choose the next option, then the first one again
        select = page.locator(f"{where} select").first
        select.scroll_into_view_if_needed()
        options = select.locator("option").all_inner_texts()
        current = options.index(select.evaluate("(s) => s.options[s.selectedIndex].text"))
        steps = [(current + 1) % len(options), current]
        moves = min(moves, 2)

        def move(step: int) -> None:
            select.select_option(index=step)

    samples = []
    for attempt in range(moves + 1):
        step = steps[len(samples) % 2]
        before_value = page.evaluate("(w) => window.__nbtest.controlValue(w)", where)
        before_pixels = page.evaluate("(s) => window.__nbtest.pixelHash(s)", scope)
        page.evaluate("([s, t]) => window.__nbtest.arm(s, t)", [scope, 10000])
        move(step)
        page.wait_for_function("window.__probe.done", timeout=15000)
        probe = page.evaluate("window.__probe")
        after_value = page.evaluate("(w) => window.__nbtest.controlValue(w)", where)
        if after_value == before_value:
            if attempt == 0 and kind == "slider":  # stuck at an end: go the other way (not counted)
                steps.reverse()
                continue
            result.problems.append(f"{name}: {step} did not change its value ({before_value})")
            return
        if probe["timed_out"]:
            if scope_info["own"]:
                result.problems.append(
                    f"{name}: {before_value} -> {after_value} but its figure did not change within 10 s"
                )
            else:  # e.g. a control that only changes printed text: nothing to time, not an error
                result.notes.append(
                    f"{name}: {before_value} -> {after_value}; no figure in the notebook changed"
                )
            return
        after_pixels = page.evaluate("(s) => window.__nbtest.pixelHash(s)", scope)
        if after_pixels == before_pixels:
            result.problems.append(
                f"{name}: {before_value} -> {after_value}, the picture was re-sent but its pixels "
                "did not change"
            )
            return
        samples.append(probe["shown"] - probe["input"])
        if len(samples) == moves:
            break
        # Each sample starts from an idle kernel: the time of one move, not of a queue of moves.
        wait_kernel_idle(page, result.path)
    result.latencies[name] = samples
    if samples and statistics.median(samples) > TARGET_MS:
        result.problems.append(
            f"{name}: median {statistics.median(samples):.0f} ms from input to new picture "
            f"(max {max(samples):.0f} ms), above the {TARGET_MS:.0f} ms target"
        )
    wait_kernel_idle(page, result.path)
    if kind == "slider":
        drag_slider(page, result, name, where, scope)


def drag_slider(page, result: NotebookResult, name: str, where: str, scope: str) -> None:
    """Drag the handle with the mouse, as a lecturer would, a third of the track towards the far
    side (more than half a step even on a slider of three values); the value and the figure must follow."""
    handle = page.locator(f"{where} .noUi-handle").first
    track = page.locator(f"{where} .noUi-base").first
    handle.scroll_into_view_if_needed()
    box, track_box = handle.bounding_box(), track.bounding_box()
    if not box or not track_box:
        result.problems.append(f"{name}: the slider has no size on the page, it cannot be dragged")
        return
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    middle = track_box["x"] + track_box["width"] / 2
    target = x + (track_box["width"] / 3 if x < middle else -track_box["width"] / 3)
    before_value = page.evaluate("(w) => window.__nbtest.controlValue(w)", where)
    before_pixels = page.evaluate("(s) => window.__nbtest.pixelHash(s)", scope)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(target, y, steps=8)
    page.mouse.up()
    wait_kernel_idle(page, result.path)
    page.wait_for_timeout(300)  # the last picture reaches the page after the kernel went idle
    after_value = page.evaluate("(w) => window.__nbtest.controlValue(w)", where)
    if after_value == before_value:
        result.problems.append(f"{name}: dragging the handle did not change its value ({before_value})")
    elif page.evaluate("(s) => window.__nbtest.pixelHash(s)", scope) == before_pixels:
        result.problems.append(
            f"{name}: dragged {before_value} -> {after_value}, but the figure did not change"
        )
    else:
        result.dragged.append(f"{name}: {before_value} -> {after_value}")


def check_widget_cell(page, result: NotebookResult, cell: dict, presses: int, shots: Path) -> None:
    index = cell["index"]
    page.evaluate("([path, i]) => window.__nbtest.showCell(path, i)", [result.path, index])
    widget_outputs = [k for k, out in enumerate(cell["outputs"]) if WIDGET_MIME in out["mimes"]]
    # Wait until each widget output has finished loading (live view or an error message).
    try:
        wait_js(
            page,
            """([path, i, ks]) => { const r = window.__nbtest.renderedOutputs(path, i);
                    return ks.every(k => r[k] && !r[k].loading
                                     && (r[k].live_widget || r[k].widget_error || r[k].stand_in_mime)); }""",
            [result.path, index, widget_outputs],
            30,
            f"the widgets of cell {index} to render",
            result.front_end.title,
        )
    except AssertionError as error:
        result.problems.append(f"cell {index}: {error}")
    rendered = page.evaluate("([path, i]) => window.__nbtest.renderedOutputs(path, i)", [result.path, index])
    live = True
    for k in widget_outputs:
        shown = rendered[k] if k < len(rendered) else {"missing": True}
        if (
            shown.get("missing")
            or shown["stand_in_mime"]
            or not shown["live_widget"]
            or shown["widget_error"]
        ):
            live = False
            result.problems.append(
                f"cell {index} output {k}: not a live widget "
                f"(shown as {shown.get('stand_in_mime') or 'widget'}: "
                f"{(shown.get('text') or '').strip()[:120]!r})"
            )
        elif shown["height"] < 20:  # e.g. an empty Output widget kept for messages: worth a look only
            result.notes.append(f"cell {index} output {k}: the widget is only {shown['height']:.0f} px high")
    if live:
        for control in page.evaluate("(i) => window.__nbtest.controls(i)", index):
            if not control["disabled"]:
                result.controls_tried += 1
                problems_before = len(result.problems)
                measure_control(page, result, index, control, presses)
                result.control_failed |= len(result.problems) > problems_before
    texts = page.evaluate("(i) => window.__nbtest.widgetTextSizes(i)", index)
    if result.chinese and live and not any(CJK.search(t["text"]) for t in texts):
        result.problems.append(f"cell {index}: the Chinese edition's widget shows no Chinese text")
    small = [t for t in texts if t["px"] < MIN_TEXT_PX]
    if small:
        result.problems.append(
            f"cell {index}: widget text below {MIN_TEXT_PX} px: "
            + ", ".join(f"{t['text']!r} {t['px']:.1f} px" for t in small[:5])
        )
    else:
        result.text_checked += 1
    page.locator(f'[data-nbtest-cell="{index}"]').screenshot(
        path=str(shots / f"{result.stem}-cell{index:02d}.png")
    )


def check_notebook(
    context, front_end: FrontEnd, base: str, token: str, path: Path, presses: int, timeout: float, shots: Path
) -> NotebookResult:
    result = NotebookResult(path.relative_to(ROOT / "notebooks").as_posix(), front_end)
    who = front_end.title
    result.path = path.relative_to(ROOT).as_posix()
    result.stem = screenshot_stem(path)
    result.chinese = is_chinese(path)
    started = time.monotonic()
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored_cells = stored["cells"]
    page = context.new_page()
    page.set_default_timeout(30000)
    console_errors: list[str] = []
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    try:
        page.goto(base + front_end.page.format(path=result.path, token=token), wait_until="domcontentloaded")
        page.wait_for_function("() => !!window.jupyterapp", timeout=60000)
        page.evaluate(HELPERS_JS)
        wait_js(
            page,
            "(path) => window.__nbtest.ready(path)",
            result.path,
            120,
            "the notebook and its kernel",
            who,
        )
        page.evaluate("window.jupyterapp.shell.collapseLeft()")  # the notebook gets the whole width
        page.evaluate("(path) => window.__nbtest.runAll(path)", result.path)
        wait_for_run_all(page, result.path, timeout, who)
        run_seconds = time.monotonic() - started  # opening the notebook, starting its kernel, Run All
        cells = page.evaluate("(path) => window.__nbtest.cells(path)", result.path)
        if len(cells) != len(stored_cells):
            result.problems.append(f"{who} shows {len(cells)} cells, the file has {len(stored_cells)}")

        # --- errors, and did Run All reach the end? ---
        for cell, stored_cell in zip(cells, stored_cells):
            if cell["type"] != "code":
                continue
            errors = [out for out in cell["outputs"] if out["output_type"] == "error"]
            if errors and not nbmarkers.expected_to_raise(stored_cell):
                result.problems.append(
                    f"cell {cell['index']}: {errors[0]['ename']}: {(errors[0]['evalue'] or '')[:200]}"
                )
            if (
                errors
                and nbmarkers.raises_by_comment(stored_cell)
                and not nbmarkers.raises_by_tag(stored_cell)
            ):
                result.problems.append(
                    f"cell {cell['index']} raises on purpose but is marked only by a "
                    f"`# NBVAL_RAISES_EXCEPTION` comment: {who}'s Run All stops there. "
                    "Give the cell the tag `raises-exception` instead (nbval and Jupyter both "
                    "read it; keep the comment and nbval warns of overlapping options)"
                )
            for out in cell["outputs"]:
                said = (out["text_plain"] or "") + (out["stream_text"] or "")
                if GLYPH_WARNING.search(said):
                    result.problems.append(f"cell {cell['index']}: glyph missing: {said.strip()[:150]!r}")
                if (
                    out["text_plain"]
                    and WIDGET_MIME not in out["mimes"]
                    and WIDGET_REPR.match(out["text_plain"])
                ):
                    result.problems.append(
                        f"cell {cell['index']}: a widget was printed as text: {out['text_plain'][:80]!r}"
                    )
        unrun = [
            c["index"]
            for c in cells
            if c["type"] == "code"
            and c["execution_count"] is None
            and "".join(stored_cells[c["index"]].get("source", "")).strip()
        ]
        if unrun:
            result.problems.append(f"Run All did not execute cells {unrun[:10]}")

        # --- every widget: live, and its controls change the figure ---
        widget_cells = [
            cell
            for cell in cells
            if cell["type"] == "code" and any(WIDGET_MIME in out["mimes"] for out in cell["outputs"])
        ]
        for cell in widget_cells:
            check_widget_cell(page, result, cell, presses, shots)

        # --- every picture shown at least at the scale the text rule assumes ---
        for cell in cells:
            if cell["type"] != "code" or not any("image/png" in out["mimes"] for out in cell["outputs"]):
                continue
            page.evaluate("([path, i]) => window.__nbtest.showCell(path, i)", [result.path, cell["index"]])
            for picture in page.evaluate("(i) => window.__nbtest.figureScales(i)", cell["index"]):
                scale = picture["shown"] / picture["natural"]
                result.smallest_scale = min(result.smallest_scale, scale)
                allowed = min(1.0, COLUMN_PX / picture["natural"]) - 0.01
                if scale < allowed:
                    result.problems.append(
                        f"cell {cell['index']}: a {picture['natural']}-px picture is shown "
                        f"{picture['shown']:.0f} px wide (scale {scale:.2f}): the column is narrower than "
                        f"{COLUMN_PX} px, so its texts fall below {MIN_TEXT_PX} px"
                    )

        if result.controls_tried and not result.latencies and not result.control_failed:
            result.problems.append("the notebook's controls move, but none of them changed any figure")
        elif widget_cells and not result.controls_tried:
            result.notes.append("widgets without a slider or dropdown: nothing was moved")

        # --- the whole notebook in one picture ---
        page.evaluate("(path) => window.__nbtest.panel(path).content.scrollToItem(0, 'start')", result.path)
        height = page.evaluate("(path) => window.__nbtest.contentHeight(path)", result.path)
        page.set_viewport_size(
            {"width": VIEWPORT["width"], "height": int(min(max(height + 150, 800), 16000))}
        )
        wait_kernel_idle(page, result.path)
        page.wait_for_timeout(1500)
        bottom = page.evaluate("(path) => window.__nbtest.lastCellBottom(path)", result.path)
        page.screenshot(
            path=str(shots / f"{result.stem}.png"),
            clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": max(400, min(bottom + 40, 16000))},
        )
        page.set_viewport_size(VIEWPORT)
        result.problems += [f"JavaScript error in the page: {message[:200]}" for message in console_errors]
        say(f"{result.name}: opened and ran all cells in {run_seconds:.1f} s")
    except (AssertionError, PlaywrightError) as error:
        result.problems.append(str(error).splitlines()[0][:300])
        with contextlib.suppress(PlaywrightError):
            page.screenshot(path=str(shots / f"{result.stem}-FAILED.png"))
    finally:
        with contextlib.suppress(PlaywrightError):
            page.evaluate("(path) => window.__nbtest.shutdownKernel(path)", result.path)
        page.close()
    result.seconds = time.monotonic() - started
    return result


# ----------------------------------------------------------------------------


def is_chinese(path: Path) -> bool:
    return path.parent.name == "zh"


def screenshot_stem(path: Path) -> str:
    """notebooks/04_bptt.ipynb -> 04_bptt; notebooks/zh/04_bptt.ipynb -> zh-04_bptt (one folder for both)."""
    return ("zh-" if is_chinese(path) else "") + path.stem


def chromium_has_a_cjk_font() -> bool:
    """Whether fontconfig (which Chromium uses) knows a font for Chinese; without one the page shows boxes."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.strip())


def machine() -> str:
    """The CPU, its cores and the load average: what to read the latencies against."""
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{model}, {os.cpu_count()} cores, load average {load}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_pass(front_end: FrontEnd, args, notebooks: list[Path], pw) -> list[NotebookResult]:
    """Every notebook in one front end, with its own server; screenshots in its own folder."""
    shots = args.screenshots / front_end.shots
    shots.mkdir(parents=True, exist_ok=True)
    for path in notebooks:  # only this run's pictures of these notebooks remain
        for old in shots.glob(f"{screenshot_stem(path)}[.-]*png"):
            old.unlink()
    hashes = {path: digest(path) for path in notebooks}
    results = []
    say(f"--- {front_end.title} ---")
    with jupyter_server(front_end, args.jupyter, ROOT / "build" / f"browser-{front_end.key}.log") as (
        base,
        token,
    ):
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True)

        def check(path: Path) -> NotebookResult:
            """One run of one notebook, in a new browser context; a changed notebook file is its problem."""
            context = browser.new_context(viewport=VIEWPORT)
            try:
                result = check_notebook(
                    context, front_end, base, token, path, args.presses, args.timeout, shots
                )
            finally:
                context.close()
            if digest(path) != hashes[path]:
                result.problems.append("the notebook file was modified on disk")
            return result

        try:
            for path in notebooks:
                result = check(path)
                if result.problems and all(TIMING_PROBLEM.search(p) for p in result.problems):
                    # Only timing: once more, from a new page and a new kernel. It passes only if that run
                    # passes, and its first run's problems are printed with it (and last, in the summary).
                    # Why: a moment of load on a shared CI machine can push one control's median over the
                    # target (seen: 166 ms once, 65-76 ms in every other run). Any other problem (an error,
                    # a dead widget, a missing glyph, a changed file) fails at once.
                    say(f"{front_end.title}: {result.name}: too slow once; running it once more")
                    keep_first_run_pictures(shots, result.stem)
                    # The retry must not reuse the first run's kernel (should its shutdown have failed).
                    if ended := end_sessions(base, token, result.path):
                        say(f"{front_end.title}: {result.name}: shut down {ended} session(s) left open")
                    retried = check(path)
                    retried.first_run_problems = result.problems
                    result = retried
                results.append(result)
        finally:
            browser.close()
    return results


def keep_first_run_pictures(shots: Path, stem: str) -> None:
    """Rename a notebook's screenshots 04_bptt.png, 04_bptt-cell15.png ... to 04_bptt-run1.png,
    04_bptt-run1-cell15.png ...: the second run's pictures do not overwrite the first run's."""
    for picture in shots.glob(f"{stem}[.-]*png"):
        rest = picture.name[len(stem) :]
        if not rest.startswith("-run1"):
            picture.replace(shots / f"{stem}-run1{rest}")


def end_sessions(base: str, token: str, path: str) -> int:
    """Shut down, through the server's REST API, every session (and its kernel) open on `path`; how many."""
    headers = {"Authorization": f"token {token}"}
    ended = 0
    with contextlib.suppress(OSError, ValueError):
        with urllib.request.urlopen(
            urllib.request.Request(f"{base}/api/sessions", headers=headers), timeout=10
        ) as r:
            sessions = json.load(r)
        for session in sessions:
            if session.get("path") == path:
                request = urllib.request.Request(
                    f"{base}/api/sessions/{session['id']}", headers=headers, method="DELETE"
                )
                urllib.request.urlopen(request, timeout=30).close()
                ended += 1
    return ended


def report(front_end: FrontEnd, results: list[NotebookResult], shots: Path) -> int:
    """Print the latency table and each notebook's verdict; return how many notebooks failed."""
    print()
    print(f"{front_end.title + ': notebook / control':<64} {'moves':>7} {'median ms':>10} {'max ms':>8}")
    all_medians = []
    for result in results:
        for name, samples in result.latencies.items():
            median = statistics.median(samples) if samples else float("nan")
            all_medians.append(median)
            flag = "" if median < TARGET_MS else f"  (above the {TARGET_MS:.0f} ms target)"
            print(
                f"{result.stem + ' ' + name:<64.64} {len(samples):>7} {median:>10.0f} "
                f"{max(samples, default=float('nan')):>8.0f}{flag}"
            )
    if not all_medians:
        print("(no controls found)")
    print()
    for result in results:
        status = "FAILED" if result.problems else "ok"
        if result.first_run_problems:
            status = "FAILED twice" if result.problems else "ok on its second run"
        say(
            f"{front_end.title}: {result.name}: {status} ({result.seconds:.1f} s, "
            f"{len(result.latencies)} controls timed, "
            f"{len(result.dragged)} sliders dragged, widget text >= {MIN_TEXT_PX} px in "
            f"{result.text_checked} cells, smallest picture scale {result.smallest_scale:.2f})"
        )
        for problem in result.first_run_problems:
            print(f"    first run: {problem}")
        for problem in result.problems:
            print(f"    {problem}")
        for drag in result.dragged:
            print(f"    dragged {drag}")
        for note in result.notes:
            print(f"    note: {note}")
    say(f"{front_end.title}: screenshots in {shots}")
    return sum(bool(r.problems) for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jupyter", type=Path, default=ROOT / ".venv" / "bin" / "jupyter")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--front-ends",
        default=",".join(FRONT_ENDS),
        help=f"comma-separated, run in this order (default and choices: {','.join(FRONT_ENDS)})",
    )
    parser.add_argument("--screenshots", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument(
        "--presses", type=int, default=7, help="key presses measured per slider (dropdowns: 2 choices)"
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds allowed for one notebook's Run All"
    )
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb, then notebooks/zh/*.ipynb"
    )
    args = parser.parse_args()

    unknown = [key for key in args.front_ends.split(",") if key not in FRONT_ENDS]
    if unknown:
        parser.error(f"--front-ends: unknown {unknown}; choose from {list(FRONT_ENDS)}")
    front_ends = [FRONT_ENDS[key] for key in args.front_ends.split(",")]
    every = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
    notebooks = [p.resolve() for p in args.notebooks] or every
    if not notebooks:
        say("FAILED: no notebooks in notebooks/")
        return 1
    if any(is_chinese(p) for p in notebooks) and not chromium_has_a_cjk_font():
        say("FAILED: Chromium has no font for Chinese (fc-list :lang=zh lists none): install fonts-noto-cjk")
        return 1

    say(f"machine: {machine()}")
    passes = []
    with sync_playwright() as pw:
        for front_end in front_ends:
            passes.append((front_end, run_pass(front_end, args, notebooks, pw)))

    summary = []
    for front_end, results in passes:
        failed = report(front_end, results, args.screenshots / front_end.shots)
        summary.append((front_end, len(results) - failed, failed))
    # The failures again, last, in a few lines each: a CI log is often read from its end only.
    print()
    for front_end, results in passes:
        for result in results:
            verdict = "FAILED" if result.problems else "passed on its second run"
            runs = [("", result.problems)]
            if result.first_run_problems:
                runs = [("first run: ", result.first_run_problems), ("second run: ", result.problems)]
            for run, problems in runs:
                head = f"{verdict} {front_end.title}: {result.name}: {run}"
                for problem in problems[:5]:
                    print(f"{head}{problem[:300]}")
                if len(problems) > 5:
                    print(f"{head}and {len(problems) - 5} more (above)")
    print(f"machine: {machine()}")
    for (front_end, passed, failed), (_, results) in zip(summary, passes):
        again = sum(bool(r.first_run_problems) and not r.problems for r in results)
        title = front_end.title
        print(f"browser notebooks in {title}: {passed} passed ({again} on a second run), {failed} failed")
    return 1 if any(failed for _, _, failed in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
