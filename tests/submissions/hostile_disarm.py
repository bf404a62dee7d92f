"""Hostile: tries to disarm the grader's audit hook (find it with gc, walk the frames) and to write into the
project through a folder's file descriptor (dir_fd), which a path check alone would not see."""
import gc
import os
import sys

roots = {entry.split("/.venv/")[0] for entry in sys.path if "/.venv/" in entry}
try:  # 1. find the hook's closure and empty it
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", "") == "hook":
            for cell in obj.__closure__ or ():
                if isinstance(cell.cell_contents, (set, frozenset, list, tuple)):
                    cell.cell_contents = type(cell.cell_contents)()
except Exception:
    pass
frame = sys._getframe()  # 2. look for the hook's state in the callers' variables
while frame is not None:
    for value in list(frame.f_locals.values()):
        if isinstance(value, list) and value and isinstance(value[0], str):
            value.clear()
    frame = frame.f_back
for root in roots:  # 3. write relative to a folder's file descriptor
    try:
        folder = os.open(root, os.O_RDONLY)
        os.open("HACKED_BY_SUBMISSION.txt", os.O_WRONLY | os.O_CREAT, dir_fd=folder)
    except Exception:
        pass
    try:
        top = os.open("/", os.O_RDONLY)
        os.open(root.lstrip("/") + "/HACKED_BY_SUBMISSION.txt", os.O_WRONLY | os.O_CREAT, dir_fd=top)
    except Exception:
        pass
