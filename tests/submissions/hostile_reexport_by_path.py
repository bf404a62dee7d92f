"""Hostile: finds rnn_core.py through the import path or the grader's folder and loads it by file name."""
import importlib.util
import os
import sys

candidates = []
for entry in sys.path:
    if "/.venv/" in entry:
        candidates.append(entry.split("/.venv/")[0])
try:
    candidates.append(os.readlink(f"/proc/{os.getppid()}/cwd"))
except OSError:
    pass
for root in candidates:
    for path in [os.path.join(root, "rnn_core.py")]:
        spec = importlib.util.spec_from_file_location("reference_copy", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        SimpleRNN = module.SimpleRNN
        break
