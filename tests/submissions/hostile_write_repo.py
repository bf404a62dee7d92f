"""Hostile: finds the project folder and tries to write a file into it and delete README.md."""
import os
import shutil
import sys

roots = {entry.split("/.venv/")[0] for entry in sys.path if "/.venv/" in entry}
try:
    roots.add(os.readlink(f"/proc/{os.getppid()}/cwd"))
except OSError:
    pass
for root in roots:
    for attempt in (
        lambda: open(os.path.join(root, "HACKED_BY_SUBMISSION.txt"), "w").write("owned"),
        lambda: os.remove(os.path.join(root, "README.md")),
        lambda: os.rename(os.path.join(root, "Makefile"), os.path.join(root, "Makefile.bak")),
        lambda: shutil.rmtree(os.path.join(root, "tests")),
        lambda: os.open(os.path.join(root, "rnn_core.py"), os.O_WRONLY | os.O_TRUNC),
    ):
        try:
            attempt()
        except Exception:
            pass
open("scratch_file_is_fine.txt", "w").write("the scratch directory may be written")
