"""Hostile: tries to read rnn_core.py, and when that is refused ends the process at once (os._exit) to hide
the attempt. The refusal was written down the moment it happened: flagged, not a crash."""
import os

PROJECT_ROOT = "@PROJECT_ROOT@"  # tests/test_grader.py writes the real repository path here before grading
try:
    source = open(os.path.join(PROJECT_ROOT, "rnn_core.py")).read()
except OSError:
    os._exit(3)
