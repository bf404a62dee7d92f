"""Re-execute notebooks in place, top to bottom, and store their outputs the way the series keeps them.

    make notebooks                       every notebook in notebooks/
    make notebooks NB=notebooks/05_training.ipynb

Each notebook runs in a fresh kernel from its own folder (as nbval and a student's Run All do). Cells
tagged `raises-exception` may raise; any other error stops with a message and leaves the file unchanged.
What is stored: outputs and execution counts; not per-cell timestamps nor widget state (both change on
every run and would only add noise to diffs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path, timeout: float = 600) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if errors and "raises-exception" not in cell.metadata.get("tags", []):
            raise SystemExit(f"{path}: code cell {index} raised {errors[0].ename}: {errors[0].evalue}")
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every one in notebooks/)")
    args = parser.parse_args(argv)
    for path in args.paths or sorted((ROOT / "notebooks").rglob("[0-9][0-9]_*.ipynb")):
        print(f"executing {path}", flush=True)
        execute(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
