// Helpers injected into the JupyterLab or Notebook 7 page by check_browser.py (window.__nbtest).
// They read the app's own models through window.jupyterapp (the server runs with
// --LabApp.expose_app_in_browser=True, or --JupyterNotebookApp.expose_app_in_browser=True for
// Notebook 7, whose page is built from the same JupyterLab components) and the DOM the user sees.
(() => {
  const WIDGET_MIME = "application/vnd.jupyter.widget-view+json";
  const INPUT_EVENTS = ["keydown", "pointerdown", "change"]; // a key press, a click or drag, a choice

  const panel = (path) => {
    const app = window.jupyterapp;
    if (!app) return null;
    for (const w of app.shell.widgets("main")) {
      if (w.context && w.context.path === path && w.content && w.content.widgets) return w;
    }
    return null;
  };

  const kernelOf = (p) => p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel;

  const isRunning = (cell) =>
    cell.model.type === "code" &&
    (cell.model.executionState === "running" || /\*/.test((cell.node.querySelector(".jp-InputPrompt") || {}).textContent || ""));

  // A cheap signature of what the pictures in `root` show right now: their src attributes (an
  // ipywidgets.Image gets a new blob: URL per update, an inline figure a new data: URL). Not
  // currentSrc, which changes only once the new image has loaded.
  const figureSources = (root) =>
    [...root.querySelectorAll(".jp-OutputArea-output img")].map((img) => img.getAttribute("src") || "").join("|");

  // FNV-1a over the pixels of every img/canvas in `root`: changes only when a picture changes.
  const pixelHash = async (root) => {
    let hash = 2166136261 >>> 0;
    const images = [...root.querySelectorAll(".jp-OutputArea-output img")];
    await Promise.all(images.map((img) => img.decode().catch(() => null)));
    const sources = [...images, ...root.querySelectorAll(".jp-OutputArea-output canvas")];
    for (const source of sources) {
      const width = source.naturalWidth || source.width;
      const height = source.naturalHeight || source.height;
      if (!width || !height) continue;
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d");
      context.drawImage(source, 0, 0);
      const words = new Uint32Array(context.getImageData(0, 0, width, height).data.buffer);
      for (let i = 0; i < words.length; i++) {
        hash = Math.imul(hash ^ words[i], 16777619) >>> 0;
      }
    }
    return `${sources.length}:${hash}`;
  };

  window.__nbtest = {
    panel,
    dialog() {
      const d = document.querySelector(".jp-Dialog");
      return d ? d.innerText.slice(0, 400) : null;
    },
    // The notebook is open, its kernel started and idle.
    ready(path) {
      const p = panel(path);
      const k = kernelOf(p);
      return !!(p && p.context.isReady && k && k.status === "idle");
    },
    // Stop the notebook's kernel once the notebook is checked: 44 kernels left idle side by side made a
    // later notebook's controls measurably slower on a 2-core machine (a student closes notebooks too).
    shutdownKernel(path) {
      const p = panel(path);
      return p && p.sessionContext.session ? p.sessionContext.session.shutdown().then(() => true) : false;
    },
    kernelIdle(path) {
      const k = kernelOf(panel(path));
      return !!k && k.status === "idle";
    },
    // Bottom of the last cell, in page pixels (the scroller's height is only an estimate).
    lastCellBottom(path) {
      const cells = panel(path).content.widgets;
      return cells[cells.length - 1].node.getBoundingClientRect().bottom;
    },
    runAll(path) {
      const p = panel(path);
      window.jupyterapp.shell.activateById(p.id);
      window.__runAll = { done: false };
      window.jupyterapp.commands.execute("notebook:run-all-cells").then(
        (ok) => (window.__runAll = { done: true, ok }),
        (error) => (window.__runAll = { done: true, error: String(error) })
      );
    },
    // Progress of Run All: finished once it resolved, the kernel is idle, no cell runs or waits,
    // and (checked by the caller) nothing changes for a while or every non-empty cell has run.
    runState(path) {
      const p = panel(path);
      const k = kernelOf(p);
      const code = p.content.widgets.filter((cell) => cell.model.type === "code");
      return {
        done: !!(window.__runAll && window.__runAll.done),
        idle: !!k && k.status === "idle",
        running: code.some(isRunning),
        counts: code.map((cell) => cell.model.executionCount),
        all_run: code.every((cell) => cell.model.executionCount !== null || !cell.model.sharedModel.getSource().trim()),
      };
    },
    // Height of the whole notebook (its scroller's content), in CSS pixels.
    contentHeight(path) {
      const p = panel(path);
      const scroller = p.content.node.querySelector(".jp-WindowedPanel-outer") || p.content.node;
      return scroller.scrollHeight;
    },
    // What JupyterLab's models hold after the run: per code cell, its execution count and outputs.
    cells(path) {
      const p = panel(path);
      return p.content.widgets.map((cell, index) => {
        const model = cell.model;
        if (model.type !== "code") return { index, type: model.type };
        const outputs = model.outputs.toJSON().map((out) => ({
          output_type: out.output_type,
          ename: out.ename,
          evalue: out.evalue,
          mimes: Object.keys(out.data || {}),
          text_plain: out.data && typeof out.data["text/plain"] === "string" ? out.data["text/plain"].slice(0, 200)
            : out.data && Array.isArray(out.data["text/plain"]) ? out.data["text/plain"].join("").slice(0, 200) : null,
          stream_text: out.output_type === "stream" ? [].concat(out.text).join("") : null,
        }));
        return { index, type: "code", execution_count: model.executionCount, outputs };
      });
    },
    // Scroll a cell into view the way a reader would (JupyterLab attaches only visible cells)
    // and tag its node so Playwright locators can find it.
    async showCell(path, index) {
      const p = panel(path);
      await p.content.scrollToItem(index, "start");
      const cell = p.content.widgets[index];
      cell.node.setAttribute("data-nbtest-cell", String(index));
      return cell.node.isConnected;
    },
    // How each output of a cell is displayed. A widget output must be a live widget view.
    renderedOutputs(path, index) {
      const cell = panel(path).content.widgets[index];
      const children = [...cell.node.querySelectorAll(".jp-OutputArea > .jp-OutputArea-child")].filter(
        (child) => child.closest(".jp-Cell") === cell.node
      );
      return children.map((child) => {
        const out = child.querySelector(".jp-OutputArea-output");
        if (!out) return { missing: true };
        const rect = out.getBoundingClientRect();
        // A live widget view is a direct .jupyter-widgets child; any renderer of another MIME type
        // (the text/plain or image/png stand-in) marks its node with data-mime-type.
        const standIn = out.getAttribute("data-mime-type") ? out : out.querySelector(":scope > [data-mime-type]");
        return {
          stand_in_mime: standIn ? standIn.getAttribute("data-mime-type") : null,
          live_widget: !!out.querySelector(":scope > .jupyter-widgets"),
          widget_error: /Error displaying widget|model not found|Failed to load model|Could not create a view/i.test(out.innerText),
          loading: /Loading widget/i.test(out.innerText),
          height: rect.height,
          text: out.innerText.slice(0, 200),
        };
      });
    },
    widgetMime: WIDGET_MIME,
    // Label every slider and dropdown in a cell; return their descriptions.
    controls(index) {
      const cell = document.querySelector(`[data-nbtest-cell="${index}"]`);
      const found = [];
      for (const [kind, selector] of [["slider", ".widget-slider"], ["dropdown", ".widget-dropdown"]]) {
        [...cell.querySelectorAll(selector)].forEach((node, k) => {
          node.setAttribute("data-nbtest-control", `${kind}-${k}`);
          found.push({
            kind,
            k,
            label: ((node.querySelector(".widget-label") || {}).innerText || "").trim(),
            disabled: node.classList.contains("mod-disabled") || !!node.querySelector("[disabled]"),
          });
        });
      }
      return found;
    },
    // What a control shows as its value: a slider's readout, a dropdown's chosen option.
    controlValue(selector) {
      const node = document.querySelector(selector);
      const select = node.querySelector("select");
      if (select) return select.options[select.selectedIndex].text;
      return ((node.querySelector(".widget-readout") || {}).innerText || "").trim();
    },
    // Where to look for the figure a control changes: its own cell if that shows a picture,
    // otherwise the whole notebook.
    figureScope(path, index) {
      const cell = document.querySelector(`[data-nbtest-cell="${index}"]`);
      if (cell.querySelector(".jp-OutputArea-output img, .jp-OutputArea-output canvas")) {
        return { selector: `[data-nbtest-cell="${index}"]`, own: true };
      }
      panel(path).content.node.setAttribute("data-nbtest-notebook", "1");
      return { selector: "[data-nbtest-notebook]", own: false };
    },
    // The lecture-hall text rule in the page: the computed font size of every piece of text a widget in
    // cell `index` shows (descriptions, readouts, options, labels), smallest first.
    widgetTextSizes(index) {
      const cell = document.querySelector(`[data-nbtest-cell="${index}"]`);
      const found = [];
      for (const node of cell.querySelectorAll(".jupyter-widgets *")) {
        const own = [...node.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent.trim());
        const shown = node.getClientRects().length > 0;
        if ((own || node.tagName === "SELECT") && shown) {
          found.push({ px: parseFloat(getComputedStyle(node).fontSize), text: (node.innerText || "").trim().slice(0, 40) });
        }
      }
      return found.sort((a, b) => a.px - b.px);
    },
    // How the column shows each picture of cell `index`: rendered width / natural width.
    figureScales(index) {
      const cell = document.querySelector(`[data-nbtest-cell="${index}"]`);
      return [...cell.querySelectorAll(".jp-OutputArea-output img")]
        .filter((img) => img.naturalWidth && img.getClientRects().length)
        .map((img) => ({ natural: img.naturalWidth, shown: img.getBoundingClientRect().width }));
    },
    pixelHash(selector) {
      return pixelHash(document.querySelector(selector));
    },
    // Arm a probe: the time of the next input event anywhere, and of the moment a figure in
    // `selector` shows a new picture (new image source, decoded and ready to paint).
    arm(selector, timeoutMs) {
      const root = document.querySelector(selector);
      const before = figureSources(root);
      const probe = (window.__probe = { input: null, shown: null, done: false, timed_out: false });
      const onInput = (event) => {
        if (probe.input === null) probe.input = event.timeStamp;
      };
      for (const type of INPUT_EVENTS) document.addEventListener(type, onInput, { capture: true });
      let finishing = false;
      const stop = () => {
        observer.disconnect();
        for (const type of INPUT_EVENTS) document.removeEventListener(type, onInput, { capture: true });
      };
      const observer = new MutationObserver(() => {
        const now = figureSources(root);
        if (finishing || probe.input === null || now === before || now === "") return;
        finishing = true;
        stop();
        const images = [...root.querySelectorAll(".jp-OutputArea-output img")];
        Promise.all(images.map((img) => img.decode().catch(() => null))).then(() => {
          probe.shown = performance.now();
          probe.done = true;
        });
      });
      observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["src"] });
      setTimeout(() => {
        if (!finishing) {
          stop();
          probe.timed_out = true;
          probe.done = true;
        }
      }, timeoutMs);
    },
  };
})();
