"""Which notebook cells are meant to raise, read from the .ipynb itself (nbval's markers).

Shared by `make test-binder` (tests/binder/run_notebooks.py) and `make test-browser`
(tests/browser/check_browser.py); plain Python, no dependencies, so both venvs can import it.
"""

from __future__ import annotations

import re

RAISES_TAGS = {"raises-exception", "nbval-raises-exception"}
RAISES_COMMENT = re.compile(r"^\s*#\s*NBVAL_RAISES_EXCEPTION\b", re.MULTILINE)


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def cell_tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def raises_by_tag(cell: dict) -> bool:
    """Tagged to raise: nbval accepts the error and JupyterLab's "Run All" goes on past it."""
    return bool(cell_tags(cell) & RAISES_TAGS)


def raises_by_comment(cell: dict) -> bool:
    """Marked only by a `# NBVAL_RAISES_EXCEPTION` comment: nbval accepts the error, but JupyterLab
    knows nothing of the comment and stops "Run All" at that cell."""
    return bool(RAISES_COMMENT.search(cell_source(cell)))


def expected_to_raise(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and (raises_by_tag(cell) or raises_by_comment(cell))
