"""rnn_check.child: the grader's child process, sent whole to a fresh `python -I -B -c` as its source text.

It imports only the standard library (and NumPy inside functions, once the project is hidden): no module of
the project is ever loaded into the child. `run_tasks` also serves the student's in-process `rnn_check.check`.
"""

import ctypes
import json
import linecache
import os
import sys
import warnings

import numpy as np

try:  # Unix only. The grader's child needs them; the student's check(), which imports run_tasks, does not.
    import fcntl
    import resource
except ImportError:  # Windows: rnn_check.check works there, the batch grader does not
    fcntl = resource = None

# Every package of this project, by top-level name. The child drops them from sys.modules and its audit hook
# refuses to import any of them (or a sub-module), so a submission cannot reach the reference or the grader.
PROJECT_PACKAGES = ("rnn_core", "rnn_lab", "rnn_viz", "rnn_check")

# ---------------------------------------------------------------------------
# 2. The runner
#
# run_tasks never touches rnn_core (it also runs inside the sandboxed child) and returns plain data: floats,
# shapes, strings. It describes the student's errors by the line in the student's own code: no traceback.
# ---------------------------------------------------------------------------


# The child's own sentences. A record carries the sentence and, apart, its template and fields (what the
# student's code supplied), so the grader words the template in the teacher's language and shows the
# student's parts as they are, never reworded into the grader's voice.
NOT_NUMBERS = "is a {kind} that is not an array of numbers ({error})"
TOO_MANY = "has {count} numbers, far more than expected"
MISSING = "is missing"
NOT_AN_ARRAY = "is a {kind}, not a NumPy array"
EXITED = "the code called exit() / sys.exit({code})"
UNSHOWN = "(a message that cannot be shown)"  # an error whose __str__ fails
CHILD_TEMPLATES = (NOT_NUMBERS, TOO_MANY, MISSING, NOT_AN_ARRAY, EXITED, UNSHOWN)


def child_words(key, template, **fields):
    """{key: the finished English sentence, "template": template, "fields": fields}: one of the child's
    sentences, with the student's parts kept apart."""
    return {key: template.format(**fields), "template": template, "fields": fields}


def last_student_frame(error, student_files):
    """(line number, code) of the last traceback entry in the student's files, or (None, None).

    Walks the traceback itself rather than using traceback.extract_tb, which reads the source of every frame
    (the standard library's too): in the child, after dropping to `nobody`, that can load modules (tokenize,
    on Python 3.13) that are no longer readable, and turn the student's error into a crash of the grader.
    """
    where = (None, None)
    tb = getattr(error, "__traceback__", None)
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in student_files:
            where = (tb.tb_lineno, tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    if where[0] is None:
        return None, None
    try:
        code = linecache.getline(where[1], where[0])
    except Exception:  # the line cannot be read: the number alone still helps
        code = ""
    return where[0], code


def run_tasks(cls, tasks, student_files, catch=(Exception, SystemExit)):
    """Run `cls` (the student's SimpleRNN) on each task; return one dict of plain data per task.

    catch: what the student's code may raise and have described as its own mistake, at the stage where it
    happened. The grader's child passes BaseException (a KeyboardInterrupt raised by backward() is then
    backward's failure); the in-notebook check() leaves a real Ctrl-C alone.
    """
    names = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
    most_numbers = 20000  # far more than any correct answer here; stops huge arrays early

    def text(value, limit=300):
        try:
            value = str(value)
        except Exception:  # a hostile __str__
            value = UNSHOWN
        return value if len(value) <= limit else value[: limit - 3] + "..."

    def record(value):
        """A student's array as {'shape', 'data'}, or {'problem'} if it is not an array of numbers."""
        try:
            array = np.array(value, dtype=np.float64)
        except Exception as error:
            return child_words(
                "problem", NOT_NUMBERS, kind=text(type(value).__name__, 100), error=text(error, 200)
            )
        if array.size > most_numbers:
            return {**child_words("problem", TOO_MANY, count=int(array.size)), "shape": list(array.shape)}
        dtypes = {
            str(getattr(v, "dtype", "")) for v in (value if isinstance(value, (list, tuple)) else [value])
        }
        return {
            "shape": list(array.shape),
            "data": [float(v) for v in array.ravel()],
            "dtypes": sorted(dtypes)[:4],
        }

    def shape_of(model, name):
        value = getattr(model, name, None)
        shape = getattr(value, "shape", None)
        if value is None:
            return child_words("problem", MISSING)
        if not isinstance(shape, tuple) or not all(isinstance(n, int) for n in shape):
            return child_words("problem", NOT_AN_ARRAY, kind=text(type(value).__name__, 100))
        return {"shape": list(shape)}

    def describe(error, stage):
        line, code = last_student_frame(error, student_files)
        kind = type(error).__name__
        try:
            message = {"message": text(str(error))}  # the student's exception's own words
        except Exception:  # a hostile __str__: the child's words say so
            message = child_words("message", UNSHOWN)
        if isinstance(error, SystemExit):
            message = child_words("message", EXITED, code=text(error.code, 40))
        return {
            "stage": stage,
            "type": kind,
            **message,
            "line": line,
            "code": text((code or "").strip(), 160) if line else None,
        }

    def new_model(task):
        model = cls(*task["sizes"])
        shapes = {name: shape_of(model, name) for name in names}
        for name in names:
            setattr(model, name, np.array(task["params"][name], dtype=np.float64))
        return model, shapes

    def run(task):
        out, stage = {}, "creating the model"
        x = np.array(task["x"], dtype=np.float64)  # (T, I)
        y = np.array(task["y"], dtype=np.float64)  # (T, O)
        try:
            model, out["init"] = new_model(task)
            stage = "forward"
            out["forward"] = record(model.forward(x.copy()))
            hiddens = getattr(model, "last_hiddens", None)
            out["hiddens"] = child_words("problem", MISSING) if hiddens is None else record(hiddens)
            stage = "backward"
            model.backward(x.copy(), y.copy(), task["learning_rate"])
            out["after"] = {name: record(getattr(model, name, None)) for name in names}
        except catch as error:  # the student's mistake, described in words
            out["error"] = describe(error, stage)
            return out
        # A second round on the same model, with the same weights set again: a class must not carry state
        # from one call to the next (a hidden state kept by forward, a dh_next or gradient sums kept by
        # backward). Its results must equal the first round's.
        again, stage = {}, "the second forward"
        try:
            for name in names:
                setattr(model, name, np.array(task["params"][name], dtype=np.float64))
            again["forward"] = record(model.forward(x.copy()))
            hiddens = getattr(model, "last_hiddens", None)
            again["hiddens"] = child_words("problem", MISSING) if hiddens is None else record(hiddens)
            stage = "the second backward"
            model.backward(x.copy(), y.copy(), task["learning_rate"])
            again["after"] = {name: record(getattr(model, name, None)) for name in names}
        except catch as error:
            again["error"] = describe(error, stage)
        out["again"] = again
        return out

    def probe(task):
        x = np.array(task["x"], dtype=np.float64)
        y = np.array(task["y"], dtype=np.float64)
        bad_x = x.copy()
        bad_x[0, 0] = np.nan
        actions = (
            lambda model: (model.forward(x), model.backward(x, y, -1.0)),
            lambda model: model.forward(bad_x),
            lambda model: model.backward(x, y, 0.01),
        )
        messages = []
        for action in actions:
            try:
                action(new_model(task)[0])
                messages.append("no error")
            except catch as error:
                messages.append(text(f"{type(error).__name__}: {text(error, 400)}", 500))
        return {"probe": messages}

    results = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # overflow in a wrong submission is judged by its numbers
        for task in tasks:
            results.append(probe(task) if task["kind"] == "probe" else run(task))
    return results


# 6. The sandbox: one child process per submission
# The child is a fresh `python -I -B -c <code>` whose code is this module's text. Before submitted code runs:
#   - reads its job from stdin (a pipe, never a file), keeps two private channels to the grader (results,
#     and refusals) and points stdin, stdout and stderr at /dev/null: nothing printed can reach the
#     teacher's terminal or the CSV;
#   - removes the project from the import path and replaces rnn_check by an inert stub (so a finished
#     homework notebook's check cell still runs);
#   - sets memory, CPU-time, file-size and process limits, and drops to the user `nobody` if root;
#   - asks the kernel (Landlock, where available, also without root) to refuse file changes outside its
#     scratch directory and signals to processes outside it;
#   - installs an audit hook (Python cannot remove one) that refuses to start processes, send signals,
#     load C code, import any package of the project, read the project's or other submissions' files, or
#     write outside the scratch directory, and reports each refusal on its own channel.
# The parent enforces a wall-clock limit, caps what it reads, and judges the numbers in its own process.
# ---------------------------------------------------------------------------


def main():
    # Two private channels to the grader, out of the way (fd 1 and 2 go to /dev/null below): the results,
    # and the audit hook's record of what it refused, written the moment it refuses (so it cannot be erased).
    results_fd = fcntl.fcntl(1, fcntl.F_DUPFD, 100)
    refusals_fd = fcntl.fcntl(2, fcntl.F_DUPFD, 100)

    def text(value, limit=300):
        try:
            return str(value)[:limit]
        except BaseException:  # a hostile __str__
            return UNSHOWN

    def send(payload):
        data = json.dumps(payload).encode()
        while data:
            data = data[os.write(results_fd, data) :]
        os._exit(0)  # no atexit handler, no thread of the submission, nothing else runs

    # The job comes through stdin, a pipe only this child holds: no file of it exists for another
    # submission (running as the same user) to read.
    chunks = []
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    job = json.loads(b"".join(chunks).decode("utf-8"))
    # stdin, stdout and stderr become /dev/null (never closed: a closed descriptor number would be reused by
    # the next file opened, and printing would write into it or fail with "Bad file descriptor").
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    if devnull > 2:
        os.close(devnull)

    # Hide the project: no path to it, no editable-install finder, an inert rnn_check.
    project = os.path.realpath(job["project_root"])
    allowed_roots = [os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}]
    sys.path[:] = [p for p in sys.path if not (p == "" or os.path.realpath(p) == project)]
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in getattr(f, "__module__", "")]
    for name in list(sys.modules):
        if "editable" in name or name.split(".")[0] in PROJECT_PACKAGES:
            del sys.modules[name]
    stub = type(sys)("rnn_check")
    stub.check = lambda *args, **kwargs: None  # a homework notebook's "check my work" cell does nothing here
    sys.modules["rnn_check"] = stub

    # Use the parts of NumPy that load more modules on first use, and seed np.random: a submission
    # that draws random numbers gets the same ones every run (grades are deterministic).
    np.random.randn(2)
    np.linalg.solve(np.eye(2), np.ones(2))
    np.einsum("ij,j->i", np.eye(2), np.ones(2))
    repr(np.ones((2, 2)))
    np.random.seed(0)
    for name in job["preload"]:  # after dropping to `nobody` the interpreter's own files may be unreadable
        try:
            __import__(name)
        except Exception:
            pass

    limit_bytes = job["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (job["cpu_seconds"], job["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024 * 1024, 8 * 1024 * 1024))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # The import path through descriptors opened now: after dropping to `nobody`, a folder above the
    # interpreter's files (a 0700 home with pyenv in it, a 0700 clone holding .venv) would make the standard
    # library and site-packages unreadable, and a notebook's ordinary imports (inspect, pathlib, IPython)
    # would fail. /proc/self/fd/N reaches the folder itself; the files in it keep their own permissions, and
    # the audit hook still judges every file by its real path.
    through_fd = {}
    for entry in list(sys.path) + [p for m in list(sys.modules.values()) for p in _package_path(m)]:
        if entry not in through_fd and os.path.isdir(entry):
            try:
                through_fd[entry] = f"/proc/self/fd/{os.open(entry, os.O_PATH | os.O_DIRECTORY)}"
            except OSError:
                pass
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(job["uid"])
        os.setuid(job["uid"])
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))  # no new process or thread
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))  # few descriptors (each could hold a memfd or pipe)
    if os.path.isdir("/proc/self/fd") and all(os.path.isdir(p) for p in list(through_fd.values())[:1]):
        sys.path[:] = [through_fd.get(entry, entry) for entry in sys.path]
        for module in list(sys.modules.values()):
            paths = _package_path(module)
            if paths:
                paths[:] = [through_fd.get(p, p) for p in paths]
        sys.path_importer_cache.clear()
    scratch = os.path.realpath(os.getcwd())
    landlock_writes_only_in(scratch)  # the kernel's own guard, where available (also without root)
    seccomp_keeps_to_itself()  # the kernel refuses scheduling, priority, limits and signals on others
    _remove_unaudited(os)
    # Private: the project, the submissions, and the folder of every submission's scratch folder (all run as
    # the same user: a sibling's scratch would otherwise be readable); the own scratch stays readable.
    private = [os.path.realpath(p) for p in job["private_roots"]] + [os.path.dirname(scratch)]
    # Everything else a submission may read: the Python installation and its import path, the own scratch,
    # a few devices and its own /proc entry. Anything outside is refused (another clone of the project, the
    # teacher's files): a program file out there is reading someone's code, flagged like the project's.
    readable = list(allowed_roots) + [
        os.path.realpath(p)
        for p in sys.path
        if os.path.isdir(p) and not any(_under(os.path.realpath(p), (root,)) for root in private)
    ]
    readable += [
        "/dev/null",
        "/dev/urandom",
        "/dev/random",
        "/dev/zero",
        "/proc/self",
        f"/proc/{os.getpid()}",
    ]
    _install_audit_hook(scratch, private, allowed_roots, refusals_fd, readable)

    # Run the submission's code, then the checks. A .py file is one piece of code: an error while loading it
    # is the verdict. A notebook is run cell by cell, in order, in one namespace, going on past a cell that
    # raises (as "Run All" does with cells that raise on purpose); the class graded is the last SimpleRNN
    # defined by the cells that ran, and the first cell that raised is reported.
    filename = job["filename"]
    source = job["source"]
    lines = source.splitlines(True)
    # A real module, registered in sys.modules, as `python file.py` makes __main__: dataclasses, typing and
    # pickle look a class's module up there (@dataclass with ClassVar under `from __future__ import
    # annotations` fails without it).
    module = type(sys)("__submission__")
    module.__file__ = filename
    module.__builtins__ = __builtins__
    sys.modules["__submission__"] = module
    namespace = module.__dict__
    linecache.cache[filename] = (len(source), None, lines, filename)
    cells = job.get("cells") or [[1, len(lines)]]
    errors = []
    for number, (first, last) in enumerate(cells, start=1):
        # Padded with empty lines, so that line numbers are those of the whole joined source.
        cell_source = "\n" * (first - 1) + "".join(lines[first - 1 : last])
        try:
            code = compile(cell_source, filename, "exec")
        except SyntaxError as error:
            errors.append(
                {
                    "type": "SyntaxError",
                    "message": text(error.msg),
                    "line": error.lineno,
                    "code": text((error.text or "").strip(), 160),
                    "cell": number,
                }
            )
            continue
        except Exception as error:
            errors.append({"type": type(error).__name__, "message": text(error)})
            continue
        try:
            exec(code, namespace)
        except BaseException as error:  # anything the code raises, exit() and KeyboardInterrupt included
            line, code_line = last_student_frame(error, {filename})
            if isinstance(error, SystemExit):
                message = "the code called exit() / sys.exit()"
            else:
                message = text(error)
            errors.append(
                {
                    "type": type(error).__name__,
                    "message": message,
                    "line": line,
                    "code": text((code_line or "").strip(), 160) if line else None,
                    "cell": number,
                }
            )
        if errors and not job.get("cells"):
            send({"load_error": errors[0]})
    if errors and not isinstance(namespace.get("SimpleRNN"), type):
        send({"load_error": errors[0]})
    cls = namespace.get("SimpleRNN")
    if cls is None:
        send({"missing": sorted(str(k) for k in namespace if not str(k).startswith("__"))[:30]})
    try:
        results = run_tasks(cls, job["tasks"], {filename}, catch=BaseException)
    except BaseException as error:  # e.g. KeyboardInterrupt raised by the submission's forward()
        send({"load_error": {"type": type(error).__name__, "message": text(error)}})
    send({"runs": results[:-1], "probe": results[-1].get("probe"), "cell_errors": errors[:5]})


def _package_path(module) -> list:
    """A loaded package's __path__ if it is a plain list of folders, else []."""
    paths = getattr(module, "__path__", None)
    return paths if isinstance(paths, list) and all(isinstance(p, str) for p in paths) else []


def landlock_writes_only_in(folder, probe_only: bool = False) -> int:
    """Ask the Linux kernel (Landlock) to refuse this process any file change outside `folder`, and any
    signal to processes outside it; return the Landlock ABI version used, or 0 if it is not available.

    Works without root, and holds even if Python-level guards were undone. Self-contained: it runs in the
    grader's child process (before the audit hook, which refuses ctypes). probe_only: change nothing,
    just return the version.
    """
    create_ruleset, add_rule, restrict_self = 444, 445, 446  # syscall numbers, the same on every architecture
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        abi = libc.syscall(create_ruleset, None, ctypes.c_size_t(0), ctypes.c_uint32(1))  # 1: ask the version
        if abi < 1 or probe_only:
            return max(abi, 0)
        write_file, remove_dir, remove_file = 1 << 1, 1 << 4, 1 << 5
        make_any = sum(1 << bit for bit in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
        handled = write_file | remove_dir | remove_file | make_any
        handled |= (1 << 13) if abi >= 2 else 0  # REFER: link or rename across folders
        truncate = (1 << 14) if abi >= 3 else 0
        handled |= truncate
        scope_signal = (1 << 1) if abi >= 6 else 0

        class RulesetAttr(ctypes.Structure):
            _fields_ = [
                ("handled_access_fs", ctypes.c_uint64),
                ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64),
            ]

        class PathBeneathAttr(ctypes.Structure):
            _pack_ = 1
            _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

        attr = RulesetAttr(handled, 0, scope_signal)
        ruleset = libc.syscall(
            create_ruleset, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), ctypes.c_uint32(0)
        )
        if ruleset < 0:
            return 0
        for path, access in ((folder, handled), (os.devnull, write_file | truncate)):
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            rule = PathBeneathAttr(access, fd)
            failed = libc.syscall(
                add_rule, ctypes.c_int(ruleset), ctypes.c_int(1), ctypes.byref(rule), ctypes.c_uint32(0)
            )
            os.close(fd)
            if failed:
                return 0
        if libc.prctl(38, 1, 0, 0, 0):  # PR_SET_NO_NEW_PRIVS, required to restrict oneself without root
            return 0
        if libc.syscall(restrict_self, ctypes.c_int(ruleset), ctypes.c_uint32(0)):
            return 0
        os.close(ruleset)
        return abi
    except Exception:  # no Landlock here (old kernel, not Linux, a container that filters the calls)
        return 0


# Functions that act on another process and raise no audit event (Python 3.10 - 3.13): removed from `os`,
# `posix` and `signal` before the submission runs, replaced by stubs that raise an audit event of the same
# name, which the audit hook refuses and records. The kernel refuses them too (seccomp_keeps_to_itself).
UNAUDITED = {
    "os": (
        "sched_setaffinity",
        "sched_setscheduler",
        "sched_setparam",
        "setpriority",
        "pidfd_open",
        "setpgid",
        "setsid",
        "setns",
        "unshare",
        "memfd_create",  # memory with no path, not counted by RLIMIT_AS
    ),
    "signal": ("pidfd_send_signal", "sigqueue"),
}


def _remove_unaudited(os_module) -> None:
    def stub(event):
        def refused(*args, **kwargs):
            sys.audit(event, *args)
            raise PermissionError(f"{event} is not allowed during grading")

        refused.__name__ = event.split(".")[-1]
        return refused

    import posix
    import signal

    for module_name, names in UNAUDITED.items():
        modules = (os_module, posix) if module_name == "os" else (signal,)
        for name in names:
            for module in modules:
                if hasattr(module, name):
                    setattr(module, name, stub(f"{module_name}.{name}"))


# Linux system call numbers of the calls that reach another process, on x86-64 and arm64 (asm-generic).
_SYSCALLS = {
    "x86_64": {
        "audit_arch": 0xC000003E,
        "deny": {
            "ptrace": 101,
            "setpriority": 141,
            "sched_setparam": 142,
            "sched_setscheduler": 144,
            "sched_setaffinity": 203,
            "ioprio_set": 251,
            "migrate_pages": 256,
            "move_pages": 279,
            "process_vm_readv": 310,
            "process_vm_writev": 311,
            "kcmp": 312,
            "sched_setattr": 314,
            "pidfd_send_signal": 424,
            "pidfd_open": 434,
            "pidfd_getfd": 438,
            "process_madvise": 440,
            "setpgid": 109,
            "setsid": 112,
            "unshare": 272,
            "setns": 308,
        },
        "own_pid_only": {
            "kill": 62,
            "tkill": 200,
            "tgkill": 234,
            "rt_sigqueueinfo": 129,
            "rt_tgsigqueueinfo": 297,
        },
        "prlimit64": 302,
    },
    "aarch64": {
        "audit_arch": 0xC00000B7,
        "deny": {
            "ptrace": 117,
            "setpriority": 140,
            "sched_setparam": 118,
            "sched_setscheduler": 119,
            "sched_setaffinity": 122,
            "ioprio_set": 30,
            "migrate_pages": 238,
            "move_pages": 239,
            "process_vm_readv": 270,
            "process_vm_writev": 271,
            "kcmp": 272,
            "sched_setattr": 274,
            "pidfd_send_signal": 424,
            "pidfd_open": 434,
            "pidfd_getfd": 438,
            "process_madvise": 440,
            "setpgid": 154,
            "setsid": 157,
            "unshare": 97,
            "setns": 268,
        },
        "own_pid_only": {
            "kill": 129,
            "tkill": 130,
            "tgkill": 131,
            "rt_sigqueueinfo": 138,
            "rt_tgsigqueueinfo": 240,
        },
        "prlimit64": 261,
    },
}


def seccomp_keeps_to_itself() -> bool:
    """Ask the Linux kernel (a seccomp filter, also without root) to refuse this process, for good, every
    system call that changes another process's scheduling, priority, CPU affinity, I/O priority or limits,
    traces it, reads its memory, or signals it (kill and tgkill only on itself); return True if installed.

    Python raises no audit event for os.sched_setaffinity, os.sched_setscheduler, os.sched_setparam,
    os.setpriority or signal.pidfd_send_signal, so the audit hook alone cannot refuse them. Installed after
    the child's own limits are set; limits can still be read (prlimit64 with no new limit).
    """
    import platform

    table = _SYSCALLS.get(platform.machine())
    if table is None:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)

        class SockFilter(ctypes.Structure):
            _fields_ = [
                ("code", ctypes.c_uint16),
                ("jt", ctypes.c_uint8),
                ("jf", ctypes.c_uint8),
                ("k", ctypes.c_uint32),
            ]

        class SockFprog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(SockFilter))]

        load, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
        allow, deny = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ALLOW; SECCOMP_RET_ERRNO | EPERM
        program = []  # (code, jump if true, jump if false, k); jumps are labels or 0 (the next one)
        program.append((load, 0, 0, 4))  # seccomp_data.arch
        program.append((jeq, 0, "deny", table["audit_arch"]))
        program.append((load, 0, 0, 0))  # seccomp_data.nr
        if table["audit_arch"] == 0xC000003E:
            program.append((jge, "deny", 0, 0x40000000))  # the x32 ABI's numbers
        for number in table["deny"].values():
            program.append((jeq, "deny", 0, number))
        program.append((jeq, "prlimit", 0, table["prlimit64"]))
        for number in table["own_pid_only"].values():
            program.append((jeq, "own", 0, number))
        program.append((ret, 0, 0, allow))
        labels = {"prlimit": len(program)}
        program += [(load, 0, 0, 32), (jeq, 0, "deny", 0), (load, 0, 0, 36), (jeq, "allow", "deny", 0)]
        labels["own"] = len(program)
        program += [(load, 0, 0, 16), (jeq, "allow", "deny", os.getpid())]
        labels["allow"] = len(program)
        program.append((ret, 0, 0, allow))
        labels["deny"] = len(program)
        program.append((ret, 0, 0, deny))

        def offset(target, at):
            return 0 if target == 0 else labels[target] - at - 1

        filters = (SockFilter * len(program))(
            *(SockFilter(c, offset(t, i), offset(f, i), k) for i, (c, t, f, k) in enumerate(program))
        )
        fprog = SockFprog(len(program), filters)
        if libc.prctl(38, 1, 0, 0, 0):  # PR_SET_NO_NEW_PRIVS
            return False
        return libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) == 0  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
    except Exception:  # not Linux, or a container that refuses seccomp
        return False


# What the audit hook refuses: events, events that change files (refused outside the scratch folder), and
# imports (top-level names); the grader reads a refusal as one of REFUSAL_CODES with its subject.
FORBIDDEN_EVENTS = frozenset(
    {
        "os.fork",
        "os.forkpty",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "subprocess.Popen",
        "os.kill",
        "os.killpg",
        "signal.pthread_kill",
        "signal.pidfd_send_signal",  # the stubs of UNAUDITED raise these events
        "signal.sigqueue",
        "os.sched_setaffinity",
        "os.sched_setscheduler",
        "os.sched_setparam",
        "os.setpriority",
        "os.pidfd_open",
        "os.setpgid",
        "os.setsid",
        "os.setns",
        "os.unshare",
        "os.memfd_create",
        "ctypes.dlopen",
        "ctypes.dlsym",
        "ctypes.call_function",
        "ctypes.cdata",
        "resource.setrlimit",
        "resource.prlimit",  # on another process: it lowered siblings' or the grader's own limits
        "socket.__new__",  # no socket at all: sendto() needs neither connect() nor bind()
        "socket.connect",
        "socket.bind",
        "socket.sendto",
        "socket.sendmsg",
        "pty.spawn",
        "os.setuid",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "sqlite3.connect",
        "dbm.open",
    }
)
CHANGE_EVENTS = frozenset(
    {
        "os.remove",
        "os.rmdir",
        "os.rename",
        "os.mkdir",
        "os.truncate",
        "os.chmod",
        "os.chown",
        "os.link",
        "os.symlink",
        "os.utime",
        "shutil.rmtree",
        "os.setxattr",
        "os.removexattr",
    }
)
BLOCKED_IMPORTS = PROJECT_PACKAGES + ("_posixsubprocess", "multiprocessing", "posix")  # a fresh posix
REFUSAL_CODES = ("event", "import", "write", "files", "read", "folder", "change", "outside")


def _under(path, roots) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


MAX_NEW_FILES = 20  # each at most 8 MB (RLIMIT_FSIZE): at most 160 MB of scratch
MAX_NEW_ENTRIES = 40  # files, folders, links and renames, all counted together
PROGRAM_SUFFIXES = (".py", ".ipynb", ".pyc", ".pyw")


def _install_audit_hook(scratch, private, allowed_roots, refusals_fd, readable_anywhere=None):
    """Install the child's audit hook, which writes each refusal at once to refusals_fd (read by the grader).

    Built in its own function so that no frame of the child keeps a reference to the hook or its state,
    and the gc module's object-finding functions are refused: submitted code cannot reach and disarm it.
    """
    created = {"files": 0, "entries": 0}  # counted per creation, not per path: a rename frees no slot
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    readable = tuple(allowed_roots) + (scratch,)
    anywhere = tuple(readable_anywhere) + (scratch,) if readable_anywhere is not None else None
    under = _under

    def count(kind):
        created["entries"] += 1
        if kind == "files":
            created["files"] += 1
        if created["files"] > MAX_NEW_FILES or created["entries"] > MAX_NEW_ENTRIES:
            refuse("files")

    def outside(path):
        """A read outside what a submission may read: flagged for a program file, refused for the rest."""
        if anywhere is not None and not under(path, anywhere):
            refuse("read" if path.endswith(PROGRAM_SUFFIXES) else "outside", path)

    def refuse(code, detail=""):
        # The refusals channel carries a code of REFUSAL_CODES and its subject (an event or package name of
        # the lists above, or a path); the grader builds the words itself (rnn_check.sandbox.refusal_words).
        detail = str(detail)
        try:
            os.write(refusals_fd, (code + "\t" + detail.replace("\n", " ")[:300] + "\n").encode())
        except OSError:
            pass
        raise PermissionError(f"{code} {detail} is not allowed during grading")

    def real(path):
        return None if isinstance(path, int) else os.path.realpath(os.fsdecode(os.fspath(path)))

    def hook(event, args):
        if event in FORBIDDEN_EVENTS:
            refuse("event", event)
        elif event == "import" and args[0].split(".")[0] in BLOCKED_IMPORTS:
            refuse("import", args[0].split(".")[0])
        elif event == "open":
            path, mode, flags = args
            path = real(path)
            if path is None:
                return
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
                (flags or 0) & write_flags
            )
            if writing and not under(path, (scratch, os.devnull)):
                refuse("write", path)
            if writing:
                if not os.path.lexists(path):  # a new file (each capped by RLIMIT_FSIZE): counted
                    count("files")
            elif under(path, private) and not under(path, readable):
                refuse("read", path)
            elif os.path.isdir(path) and not under(path, (scratch,)):
                refuse("folder", path)  # a folder's fd (dir_fd=...) would dodge the path checks
            else:
                outside(path)
        elif event in ("os.listdir", "os.scandir", "glob.glob", "os.walk", "os.fwalk"):
            # Listing the project or the submissions is reading them. Refused here, before the kernel is
            # asked, so it is flagged whatever the folder's permissions (a 0700 clone refuses `nobody` too).
            path = real(args[0] if args and args[0] is not None else ".")
            if path is not None and under(path, private) and not under(path, readable):
                refuse("read", path)
            if path is not None:
                outside(path)
        elif event in CHANGE_EVENTS:
            paths = [real(a) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
            if any(p is not None and not under(p, (scratch,)) for p in paths):
                refuse("change", f"{event} {paths[0]}")
            if event in ("os.mkdir", "os.rename", "os.link", "os.symlink"):
                count("entries")

    sys.addaudithook(hook)


if __name__ == "__main__":
    main()
