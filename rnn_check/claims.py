"""claim: the one way a notebook asserts what its markdown says.

    from rnn_check.claims import claim
    claim(loss > 5 * floor, f"the final loss {loss:.3f} is more than 5 times the floor {floor:.3f}")

A true claim prints one line, "✓ " and the statement, so the stored notebook shows the reader what was
checked, and strict nbval compares that line (with its numbers, at the precision the statement prints
them) on every run. A false claim raises AssertionError with the statement: executing the notebook, and
so `make test`, fails in that cell. Markdown quotes a number only when a code cell next to it makes it
part of a claim.
"""

from __future__ import annotations

__all__ = ["claim"]


def claim(condition, statement: str) -> None:
    """Print "✓ statement" when `condition` is true; raise AssertionError(statement) when it is false."""
    if not isinstance(statement, str) or not statement:
        raise TypeError("claim needs the statement it checks, as a non-empty string")
    if not bool(condition):
        raise AssertionError(f"claim is false: {statement}")
    print(f"✓ {statement}")
