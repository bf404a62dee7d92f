"""rnn_check.spreadsheet: CSV cells a spreadsheet shows as text, never runs as a formula.

A file or folder name, or a message of the submission's, that begins with = + - @ (or a tab or carriage
return) would be a formula in Excel, LibreOffice or Google Sheets (=HYPERLINK(...), @SUM(...)). Every CSV
the grader writes goes through `safe_cell`, which puts a ' in front of such a cell (the usual defence: the
spreadsheet shows the text as it is).
"""

from __future__ import annotations

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as a CSV cell no spreadsheet will run: text beginning with a formula character gets a '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose every cell goes through safe_cell."""

    def __init__(self, handle):
        self._writer = csv.writer(handle)

    def writerow(self, row) -> None:
        self._writer.writerow([safe_cell(value) for value in row])
