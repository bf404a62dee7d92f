"""Hostile: tries to fake a pass by finding the expected answers (the grader's module, its files,
the other submissions, the parent process) and returning them."""
import gc
import os
import sys

import numpy as np

found = []
try:
    import rnn_check

    found.append(getattr(rnn_check, "_REFERENCES", None))
except Exception:
    pass
roots = {entry.split("/.venv/")[0] for entry in sys.path if "/.venv/" in entry}
for root in roots:
    for path in [os.path.join(root, n) for n in os.listdir(root) if n.endswith(".py")] + [os.path.join(root, "tests", "submissions", n) for n in os.listdir(os.path.join(root, "tests", "submissions"))]:
        try:
            found.append(open(path).read())
        except Exception:
            pass
for path in (f"/proc/{os.getppid()}/environ", f"/proc/{os.getppid()}/cmdline", f"/proc/{os.getppid()}/mem"):
    try:
        found.append(open(path, "rb").read(100))
    except Exception:
        pass
arrays = [obj for obj in gc.get_objects() if isinstance(obj, np.ndarray)]


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        self.W_xh = np.zeros((hidden_size, input_size))
        self.W_hh = np.zeros((hidden_size, hidden_size))
        self.W_hy = np.zeros((output_size, hidden_size))
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        # Whatever array of the right shape was lying around, or zeros.
        shape = (len(x), self.W_hy.shape[0], 1)
        for obj in arrays:
            if obj.shape == shape:
                return obj
        return np.zeros(shape)

    def backward(self, x, y, learning_rate):
        pass
