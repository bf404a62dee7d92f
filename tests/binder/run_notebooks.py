"""Execute every notebook in the current folder (notebooks/ or notebooks/zh/) as a Binder kernel would.

Run by check_binder.py with the rebuilt Binder venv's Python, from inside the folder, so the kernel
gets that folder as its working directory and no PYTHONPATH: modules import only if binder/
installed the repository. Every cell runs, NBVAL_SKIP ones too (a student's "Run All" runs them),
and the stored notebooks are never written. Fails on any error output in a cell that the notebook
does not mark as raising on purpose (tests/nbmarkers.py), and on a kernel that is not this venv's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import nbmarkers  # noqa: E402  (tests/nbmarkers.py)

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import importlib, json, sys
from pathlib import Path
modules = {}
for name in %r:
    modules[name] = str(Path(importlib.import_module(name).__file__).resolve())
import ipykernel, ipywidgets, matplotlib, numpy
print("PROBE" + json.dumps({"executable": sys.executable, "prefix": sys.prefix, "cwd": str(Path.cwd()),
      "modules": modules,
      "versions": {m.__name__: m.__version__ for m in (ipykernel, ipywidgets, matplotlib, numpy)}}))
"""


def error_text(output: dict) -> str:
    return f"{output.get('ename')}: {output.get('evalue')}"[:300]


def run_one(path: Path, timeout: float, module_names: list[str]) -> list[str]:
    """Execute one notebook in memory; return its problems (empty when it is fine)."""
    nb = nbformat.read(path, as_version=4)
    marked = {index for index, cell in enumerate(nb.cells) if nbmarkers.expected_to_raise(cell)}
    nb.cells.append(nbformat.v4.new_code_cell(PROBE % (module_names,)))
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()

    problems = []
    for index, cell in enumerate(nb.cells[:-1]):
        if cell.cell_type != "code":
            continue
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if errors and index not in marked:
            problems.append(f"cell {index}: {error_text(errors[0])}")
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr":
                print(f"    note: cell {index} wrote to stderr: {out.text.strip()[:200]}")

    probe_outputs = nb.cells[-1].outputs
    probe = [o for o in probe_outputs if o.output_type == "stream" and o.text.startswith("PROBE")]
    if not probe:
        return problems + [f"the probe cell failed: {[error_text(o) for o in probe_outputs]}"]
    facts = json.loads(probe[0].text[len("PROBE") :])
    if Path(facts["prefix"]).resolve() != Path(sys.prefix).resolve():
        problems.append(f"the kernel ran on {facts['executable']}, not on this venv ({sys.prefix})")
    if Path(facts["cwd"]) != path.parent.resolve():
        problems.append(f"the kernel's working directory was {facts['cwd']}, not {path.parent}")
    for name, where in facts["modules"].items():
        if Path(where).parent != ROOT:
            problems.append(f"`import {name}` found {where}, not the repository's copy")
    print(f"    kernel: {facts['executable']} " + " ".join(f"{k} {v}" for k, v in facts["versions"].items()))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per cell")
    args = parser.parse_args()

    # Kernel specs: only this venv's own `python3`, never one from ~/.local/share/jupyter.
    scratch = tempfile.mkdtemp(prefix="binder-jupyter-")
    os.environ.update(JUPYTER_DATA_DIR=scratch, JUPYTER_CONFIG_DIR=scratch, JUPYTER_RUNTIME_DIR=scratch)
    os.environ.pop("JUPYTER_PATH", None)
    os.environ.pop("PYTHONPATH", None)

    notebooks = sorted(Path.cwd().glob("*.ipynb"))
    if not notebooks:
        print(f"[test-binder] FAILED: no notebooks in {Path.cwd()}")
        return 1
    module_names = sorted(p.stem for p in ROOT.glob("*.py") if p.stem not in {"setup", "conftest"})
    failed = 0
    for path in notebooks:
        started = time.monotonic()
        print(f"[test-binder] {path.name} ...", flush=True)
        problems = run_one(path, args.timeout, module_names)
        status = "FAILED" if problems else "ok"
        print(f"[test-binder] {path.name}: {status} in {time.monotonic() - started:.1f} s", flush=True)
        for problem in problems:
            print(f"    {problem}")
        failed += bool(problems)
    print(f"binder notebooks: {len(notebooks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
