"""rnn_check.sandbox: run one submission in a sandboxed child process (rnn_check.child) and read its results.

The parent side: what the child is given, its limits, the wall clock, capped reading of its two channels, and
reaping and killing it. The numbers are judged in the grader's own process (rnn_check.judging).
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import rnn_check.child
from rnn_check.cases import TASKS, probe_data
from rnn_check.messages import say

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHILD_CODE = Path(rnn_check.child.__file__).read_text(encoding="utf-8")  # the whole module, run as __main__

# Modules loaded before the child drops to `nobody`: when the grader runs as root with Python installed
# under /root (as in CI), `nobody` cannot read the standard library, so a module a submission imports must
# already be loaded. Loading costs time, so only the allowed modules that the submission's own import lines
# name are loaded (found by a plain text search; an allow-list, because importing is running code, as root).
PRELOAD_ALWAYS = ("traceback", "linecache", "warnings")
PRELOAD_ALLOWED = frozenset(
    "math cmath random itertools functools collections copy typing dataclasses time statistics operator "
    "numbers "
    "abc re fractions decimal string enum pprint textwrap contextlib glob fnmatch pathlib inspect timeit "
    "heapq "
    "bisect array struct unittest numpy matplotlib scipy os sys io json csv signal shutil importlib gc types "
    "weakref logging datetime".split()
)

NUMPY_LAZY = frozenset("testing fft polynomial ma lib linalg random matlib ctypeslib".split())


def _preload_for(source: str) -> list:
    """The allowed module names (with their dotted sub-modules) that the source's import lines mention."""
    names = set(PRELOAD_ALWAYS)
    for match in re.finditer(
        r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w., \t]+))", source, re.M
    ):
        for name in (match.group(1) or match.group(2)).replace(" as ", ",").split(","):
            name = name.strip()
            if name and name.split(".")[0] in PRELOAD_ALLOWED and re.fullmatch(r"[\w.]+", name):
                names.add(name)
    for match in re.finditer(r"\b(?:np|numpy)\.(\w+)", source):  # NumPy loads these sub-packages on first use
        if match.group(1) in NUMPY_LAZY:
            names.add("numpy." + match.group(1))
    return sorted(names)


def clean_text(value, limit: int = 2000) -> str:
    """A submission's text, safe to print and to put in a CSV: every control character (C0 and C1, DEL, ANSI
    escapes, BEL, carriage return, tabs and newlines), bidirectional override and other invisible format
    character, line and paragraph separator, surrogate and unassigned code point becomes a space (runs of
    them, one), and the text is cut to `limit` characters. The one function for all the child says."""
    text = str(value)[: limit * 2]
    kept = []
    for char in text:
        if char != " " and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"):
            char = " "
        if not (char == " " and kept and kept[-1] == " "):
            kept.append(char)
    return "".join(kept)[:limit]


def clean_data(value, depth: int = 0):
    """The child's JSON results with every string (keys too) passed through clean_text."""
    if depth > 20:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        if all(type(v) is float for v in value):  # the numbers, the bulk of the data: nothing to clean
            return value
        return [clean_data(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {clean_text(k, 200): clean_data(v, depth + 1) for k, v in value.items()}
    return value


SAFE_PATH = re.compile(r"/[A-Za-z0-9_./+-]{0,200}")


def refusal_words(line: str) -> str | None:
    """The grader's own words for one line of the refusals channel (a code and its subject), or None.

    The child only names what was refused; every word of the note is the grader's. An event or package must
    be one of the child's own lists, and a path is shown only if it is a plain path (letters, digits, _ . / +
    -), so that no sentence of the submission's can appear inside the grader's note."""
    code, _, subject = line.partition("\t")

    def path(text):
        return text if SAFE_PATH.fullmatch(text) else say("a file whose name the grader does not show", "en")

    if code == "event" and subject in rnn_check.child.FORBIDDEN_EVENTS:
        return subject
    if code == "import" and subject in rnn_check.child.BLOCKED_IMPORTS:
        return f"import {subject}"
    if code == "write":
        return say("writing {path}", "en", path=path(subject))
    if code == "files":
        return say(
            "creating more than {files} files or {entries} files, folders and renames",
            "en",
            files=rnn_check.child.MAX_NEW_FILES,
            entries=rnn_check.child.MAX_NEW_ENTRIES,
        )
    if code == "outside":
        return say(
            "reading {path} (outside the Python installation and its scratch folder)",
            "en",
            path=path(subject),
        )
    if code == "read":
        return say("read {path}", "en", path=path(subject))
    if code == "folder":
        return say("opening the folder {path}", "en", path=path(subject))
    if code == "change":
        event, _, target = subject.partition(" ")
        if event in rnn_check.child.CHANGE_EVENTS:
            return f"{event} {path(target)}"
    return None


NOBODY_UID = 65534  # the user `nobody` on Linux

# The reasons for a failed run are English (the grader tells them apart by their words); the feedback
# puts them into the teacher's language with rnn_check.messages.reword.
TOO_LONG = "took longer than the time limit of {seconds:g} s"
TOO_LONG_CPU = "took longer than the time limit of {seconds:g} s (CPU time)"


@dataclass
class Limits:
    timeout: float = 10.0  # seconds of CPU and (plus start-up) of wall clock per submission
    memory_mb: int = 512

    @property
    def wall_seconds(self) -> float:
        return self.timeout + 2.0  # starting Python and NumPy is not the submission's time


RESULT_CAP = 8 * 1024 * 1024  # bytes read from a child at most; a correct answer is about 100 kB


def run_in_child(submission, limits: Limits, private_roots: list, hidden=()) -> dict:
    """Run one submission in a sandboxed child; return its raw results or {'failure': reason}. hidden: extra
    Tasks (cases drawn at grading time), run after TASKS; their results are raw['hidden_runs']."""
    scratch = tempfile.mkdtemp(prefix="rnn_check_")
    try:
        job = {
            "source": submission.source,
            "filename": submission.name,
            "cells": submission.cells,  # a notebook: [first line, last line] of each code cell; else None
            "tasks": [task.as_data() for task in (*TASKS, *hidden)] + [probe_data()],
            "project_root": str(PROJECT_ROOT),
            "private_roots": private_roots,
            "preload": _preload_for(submission.source),
            "memory_mb": limits.memory_mb,
            "cpu_seconds": max(1, int(np.ceil(limits.timeout))),
            "uid": NOBODY_UID,
        }
        job_data = json.dumps(job).encode("utf-8")  # sent through stdin: never written to a file
        if os.geteuid() == 0:
            os.chown(scratch, NOBODY_UID, NOBODY_UID)
            os.chmod(scratch, 0o700)
        env = {
            "PATH": os.defpath,
            "HOME": scratch,
            "TMPDIR": scratch,
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": scratch,
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        child = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", CHILD_CODE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=scratch,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        deadline = time.monotonic() + limits.wall_seconds
        threading.Thread(target=_send_job, args=(child.stdin, job_data), daemon=True).start()
        data, refusals, reason = _read_capped(child, deadline)
        finished = None if reason else _wait(child, deadline)  # it may close the pipe and go on running
        if finished is None:
            reason = reason or say(TOO_LONG, "en", seconds=limits.timeout)
            _kill(child)
            finished = _wait(child, None)
        status, usage = finished
        child.returncode = os.waitstatus_to_exitcode(status)
        raw = _parse_results(data, reason, child.returncode, usage, limits)
        overflow = scratch_overflow(scratch)
        if overflow:
            raw = {"failure": say("the submission {overflow}", "en", overflow=overflow)}
        if hidden and isinstance(raw.get("runs"), list) and len(raw["runs"]) == len(TASKS) + len(hidden):
            raw["runs"], raw["hidden_runs"] = raw["runs"][: len(TASKS)], raw["runs"][len(TASKS) :]
        # What the audit hook refused, as written down the moment it refused (the child cannot erase it).
        lines = refusals.decode("utf-8", errors="replace").splitlines()
        raw["blocked"] = [words for words in map(refusal_words, lines[:1000]) if words]
        return raw
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


SCRATCH_BYTES = rnn_check.child.MAX_NEW_FILES * 8 * 1024 * 1024  # 20 files of at most 8 MB (RLIMIT_FSIZE)


def scratch_overflow(folder, limit_bytes=SCRATCH_BYTES, limit_entries=None) -> str | None:
    """The parent's own check of a finished child's scratch folder (the audit hook caps creations; this
    holds if it were ever got round): why the folder is past the caps, or None."""
    limit_entries = limit_entries or 2 * rnn_check.child.MAX_NEW_ENTRIES
    size = entries = 0
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            entries += 1
            try:
                size += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
            if entries > limit_entries or size > limit_bytes:
                return say(
                    "filled its scratch folder past the limit ({entries} entries, {megabytes} MB)",
                    "en",
                    entries=limit_entries,
                    megabytes=limit_bytes // 2**20,
                )
    return None


def _send_job(pipe, data: bytes) -> None:
    """Write the job to the child's stdin and close it (in a thread: a child that never reads cannot block
    the grader, whose wall clock runs meanwhile)."""
    try:
        pipe.write(data)
    except (BrokenPipeError, OSError, ValueError):  # the child ended early: its results will say so
        pass
    finally:
        try:
            pipe.close()
        except (BrokenPipeError, OSError):
            pass


def _parse_results(data: bytes, reason, code: int, usage, limits: Limits) -> dict:
    """The child's results as a dict, or {'failure': reason in words}."""
    if reason == "time":
        reason = say(TOO_LONG, "en", seconds=limits.timeout)
    if reason:
        return {"failure": reason}
    if not data:
        if (
            code in (-signal.SIGXCPU, -signal.SIGKILL)
            and usage.ru_utime + usage.ru_stime >= limits.timeout - 0.5
        ):
            return {"failure": say(TOO_LONG_CPU, "en", seconds=limits.timeout)}
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else f"number {-code}"
            killed = (
                "the process was killed by signal {name} before it returned results "
                "(over the time or memory limit?)"
            )
            return {"failure": say(killed, "en", name=name)}
        ended = (
            "the process ended (exit code {code}) before returning its results: "
            "does the code call os._exit()?"
        )
        return {"failure": say(ended, "en", code=code)}
    try:
        raw = json.loads(data)
        # A "failure" is the grader's own reason, worded as the grader's: the child never sends one, so a
        # dict that holds one was written by the submission into the results channel.
        if isinstance(raw, dict) and "failure" not in raw:
            return clean_data(raw)  # everything the submission says, made safe where it enters the grader
    except Exception:  # ValueError, or RecursionError for absurdly nested data
        pass
    return {"failure": say("its results could not be read (did it write into the grader's channel?)", "en")}


def _read_capped(child, deadline: float):
    """Read the child's two channels until both close, within the deadline and the size caps.

    Returns (results, refusals, failure reason or None)."""
    received = {child.stdout.fileno(): bytearray(), child.stderr.fileno(): bytearray()}
    caps = {child.stdout.fileno(): RESULT_CAP, child.stderr.fileno(): 64 * 1024}
    reason = None
    with selectors.DefaultSelector() as selector:
        for fd in received:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                reason = "time"
                break
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fd)
                elif len(received[key.fd]) + len(chunk) > caps[key.fd]:
                    if key.fd == child.stdout.fileno():
                        reason = say("returned far more data than any answer needs", "en")
                    selector.unregister(
                        key.fd
                    )  # stop reading; a child that keeps writing runs into the time limit
                else:
                    received[key.fd] += chunk
            if reason:
                break
    results, refusals = bytes(received[child.stdout.fileno()]), bytes(received[child.stderr.fileno()])
    return (b"" if reason else results), refusals, reason


def _wait(child, deadline):
    """Reap the child (with its CPU usage) by the deadline, or return None; deadline None: wait as long as
    it takes."""
    while True:
        pid, status, usage = os.wait4(child.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            return status, usage
        if time.monotonic() > deadline:
            return None
        time.sleep(0.005)


def own_scheduling() -> dict:
    """The grader's own CPU affinity, scheduling policy and parameter, nice value and resource limits."""
    import resource

    state = {}
    for key, read in (
        ("CPU affinity", lambda: sorted(os.sched_getaffinity(0))),
        ("scheduling policy", lambda: os.sched_getscheduler(0)),
        ("scheduling priority", lambda: os.sched_getparam(0).sched_priority),
        ("nice value", lambda: os.getpriority(os.PRIO_PROCESS, 0)),
    ):
        try:
            state[key] = read()
        except (AttributeError, OSError):  # not Linux
            pass
    for name in dir(resource):
        if name.startswith("RLIMIT_"):
            state[f"limit {name}"] = resource.getrlimit(getattr(resource, name))
    return state


def restore_scheduling(saved: dict) -> list:
    """Compare the grader's scheduling and limits with `saved`; set back what changed (as far as the system
    allows: without root a raised nice value or a lowered hard limit cannot be undone); return what changed.

    No submission should be able to change them (seccomp_keeps_to_itself, the audit hook, `nobody`): this is
    the grader verifying that, after the fact, so that a hole would be seen, and repaired where it can be."""
    import resource

    now = own_scheduling()
    changed = [key for key in saved if now.get(key) != saved[key]]
    for key in changed:
        try:
            if key == "CPU affinity":
                os.sched_setaffinity(0, saved[key])
            elif key in ("scheduling policy", "scheduling priority"):
                param = os.sched_param(saved["scheduling priority"])
                os.sched_setscheduler(0, saved["scheduling policy"], param)
            elif key == "nice value":
                os.setpriority(os.PRIO_PROCESS, 0, saved[key])
            elif key.startswith("limit "):
                resource.setrlimit(getattr(resource, key.split()[1]), saved[key])
        except (OSError, ValueError):
            pass
    return changed


def _kill(child) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)  # its own session: the whole group
    except (ProcessLookupError, PermissionError):
        pass
