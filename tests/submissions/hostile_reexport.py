"""Hostile: re-exports the reference instead of implementing anything."""
from rnn_core import SimpleRNN  # noqa: F401
