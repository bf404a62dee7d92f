"""rnn_check.child: the grader's child process, sent whole to a fresh `python -I -B -c` as its source text.

It imports nothing of the project (only the standard library at the top, NumPy inside functions, after the
project has been hidden), so rnn_core, rnn_lab, rnn_viz and rnn_check are never loaded into the child.
`run_tasks` also serves the student's in-process `rnn_check.check`, which imports this module like any other.
"""

import ctypes
import json
import linecache
import os
import sys
import traceback
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
# run_tasks never touches rnn_core, because it also runs inside the sandboxed child process. It returns
# only plain data: lists of
# floats, shapes, strings. It catches the student's errors and describes them with the line in the
# student's own code, so nothing the student did produces a traceback from inside the checker.
# ---------------------------------------------------------------------------


def run_tasks(cls, tasks, student_files):
    """Run `cls` (the student's SimpleRNN) on each task; return one dict of plain data per task."""
    names = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
    most_numbers = 20000  # far more than any correct answer here; stops huge arrays early

    def text(value, limit=300):
        try:
            value = str(value)
        except Exception:  # a hostile __str__
            value = "(a message that cannot be shown)"
        return value if len(value) <= limit else value[: limit - 3] + "..."

    def record(value):
        """A student's array as {'shape', 'data'}, or {'problem'} if it is not an array of numbers."""
        try:
            array = np.array(value, dtype=np.float64)
        except Exception as error:
            return {"problem": text(f"is a {type(value).__name__} that is not an array of numbers ({error})")}
        if array.size > most_numbers:
            return {
                "problem": f"has {array.size} numbers, far more than expected",
                "shape": list(array.shape),
            }
        return {"shape": list(array.shape), "data": [float(v) for v in array.ravel()]}

    def shape_of(model, name):
        value = getattr(model, name, None)
        shape = getattr(value, "shape", None)
        if value is None:
            return {"problem": "is missing"}
        if not isinstance(shape, tuple) or not all(isinstance(n, int) for n in shape):
            return {"problem": text(f"is a {type(value).__name__}, not a NumPy array")}
        return {"shape": list(shape)}

    def describe(error, stage):
        frames = [
            frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename in student_files
        ]
        where = frames[-1] if frames else None
        kind = type(error).__name__
        message = text(error)
        if isinstance(error, SystemExit):
            message = f"the code called exit() / sys.exit({text(error.code, 40)})"
        return {
            "stage": stage,
            "type": kind,
            "message": message,
            "line": where.lineno if where else None,
            "code": text((where.line or "").strip(), 160) if where else None,
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
            out["hiddens"] = {"problem": "is missing"} if hiddens is None else record(hiddens)
            stage = "backward"
            model.backward(x.copy(), y.copy(), task["learning_rate"])
            out["after"] = {name: record(getattr(model, name, None)) for name in names}
        except (Exception, SystemExit) as error:  # the student's mistake, described in words
            out["error"] = describe(error, stage)
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
            except (Exception, SystemExit) as error:
                messages.append(text(f"{type(error).__name__}: {text(error, 400)}", 500))
        return {"probe": messages}

    results = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # overflow in a wrong submission is judged by its numbers
        for task in tasks:
            results.append(probe(task) if task["kind"] == "probe" else run(task))
    return results


# 6. The sandbox: one child process per submission
#
# The child is a fresh `python -I -B -c <code>` whose code is this whole module, as text, so no
# package of the project is ever loaded into it. Before any submitted code runs, the child:
#   - reads its job, keeps two private channels to the grader (results, and refusals) and points stdout
#     and stderr at /dev/null: nothing printed can reach the teacher's terminal or the CSV;
#   - removes the project from the import path and replaces rnn_check by an inert stub (so a finished
#     homework notebook's check cell still runs);
#   - sets memory, CPU-time, file-size and process limits, and drops to the user `nobody` if root;
#   - asks the kernel (Landlock, where available, also without root) to refuse file changes outside its
#     scratch directory and signals to processes outside it;
#   - installs an audit hook (Python cannot remove one) that refuses to start processes, send signals,
#     load C code, import any package of the project, read the project's or other submissions' files, or
# write outside
#     the scratch directory, and reports each refusal on its own channel.
# The parent enforces a wall-clock limit, caps what it reads, and judges the numbers in its own process.
# ---------------------------------------------------------------------------


def main():
    # Two private channels to the grader, out of the way (fd 1 and 2 go to /dev/null below): the results,
    # and the audit hook's record of what it refused, written the moment it refuses (so it cannot be erased).
    results_fd = fcntl.fcntl(1, fcntl.F_DUPFD, 100)
    refusals_fd = fcntl.fcntl(2, fcntl.F_DUPFD, 100)
    os.close(1)

    def text(value, limit=300):
        try:
            return str(value)[:limit]
        except BaseException:  # a hostile __str__
            return "(a message that cannot be shown)"

    def send(payload):
        data = json.dumps(payload).encode()
        while data:
            data = data[os.write(results_fd, data) :]
        os._exit(0)  # no atexit handler, no thread of the submission, nothing else runs

    with open("job.json", encoding="utf-8") as handle:
        job = json.load(handle)
    os.remove("job.json")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
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
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(job["uid"])
        os.setuid(job["uid"])
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))  # no new process or thread
    scratch = os.path.realpath(os.getcwd())
    landlock_writes_only_in(scratch)  # the kernel's own guard, where available (also without root)
    private = [os.path.realpath(p) for p in job["private_roots"]]
    _install_audit_hook(scratch, private, allowed_roots, refusals_fd)

    # Run the submission's code, then the checks.
    filename = job["filename"]
    namespace = {"__name__": "__submission__", "__builtins__": __builtins__}
    try:
        linecache.cache[filename] = (len(job["source"]), None, job["source"].splitlines(True), filename)
        code = compile(job["source"], filename, "exec")
    except SyntaxError as error:
        send(
            {
                "load_error": {
                    "type": "SyntaxError",
                    "message": str(error.msg),
                    "line": error.lineno,
                    "code": (error.text or "").strip()[:160],
                }
            }
        )
    except Exception as error:
        send({"load_error": {"type": type(error).__name__, "message": text(error)}})
    try:
        exec(code, namespace)
    except BaseException as error:  # anything the module code raises, exit() and KeyboardInterrupt included
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
        where = frames[-1] if frames else None
        message = text(error) if not isinstance(error, SystemExit) else "the code called exit() / sys.exit()"
        send(
            {
                "load_error": {
                    "type": type(error).__name__,
                    "message": message,
                    "line": where.lineno if where else None,
                    "code": text((where.line or "").strip(), 160) if where else None,
                }
            }
        )
    cls = namespace.get("SimpleRNN")
    if cls is None:
        send({"missing": sorted(str(k) for k in namespace if not str(k).startswith("__"))[:30]})
    try:
        results = run_tasks(cls, job["tasks"], {filename})
    except BaseException as error:  # e.g. KeyboardInterrupt raised by the submission's forward()
        send({"load_error": {"type": type(error).__name__, "message": text(error)}})
    send({"runs": results[:-1], "probe": results[-1].get("probe")})


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


def _install_audit_hook(scratch, private, allowed_roots, refusals_fd):
    """Install the child's audit hook, which writes each refusal at once to refusals_fd (read by the grader).

    Built in its own function so that no frame of the child keeps a reference to the hook or its state,
    and the gc module's object-finding functions are refused: submitted code cannot reach and disarm it.
    """
    written = set()
    forbidden = frozenset(
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
            "ctypes.dlopen",
            "ctypes.dlsym",
            "ctypes.call_function",
            "ctypes.cdata",
            "resource.setrlimit",
            "socket.connect",
            "socket.bind",
            "pty.spawn",
            "os.setuid",
            "gc.get_objects",
            "gc.get_referrers",
            "gc.get_referents",
            "sqlite3.connect",
            "dbm.open",
        }
    )
    changes = frozenset(
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
    blocked_imports = PROJECT_PACKAGES + ("_posixsubprocess", "multiprocessing")
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    readable = tuple(allowed_roots) + (scratch,)

    def under(path, roots):
        return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)

    def refuse(what):
        try:
            os.write(refusals_fd, (what.replace("\n", " ")[:200] + "\n").encode())
        except OSError:
            pass
        raise PermissionError(f"{what} is not allowed during grading")

    def real(path):
        return None if isinstance(path, int) else os.path.realpath(os.fsdecode(os.fspath(path)))

    def hook(event, args):
        if event in forbidden:
            refuse(event)
        elif event == "import" and args[0].split(".")[0] in blocked_imports:
            refuse(f"import {args[0]}")
        elif event == "open":
            path, mode, flags = args
            path = real(path)
            if path is None:
                return
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
                (flags or 0) & write_flags
            )
            if writing and not under(path, (scratch, os.devnull)):
                refuse(f"writing {path}")
            if writing:
                written.add(path)
                if len(written) > 20:  # each file is capped by RLIMIT_FSIZE; this caps their number
                    refuse("writing more than 20 files")
            elif under(path, private) and not under(path, readable):
                refuse(f"read {path}")
            elif os.path.isdir(path) and not under(path, (scratch,)):
                refuse(f"opening the folder {path}")  # a folder's fd (dir_fd=...) would dodge the path checks
        elif event in changes:
            paths = [real(a) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
            if any(p is not None and not under(p, (scratch,)) for p in paths):
                refuse(f"{event} {paths[0]}")

    sys.addaudithook(hook)


if __name__ == "__main__":
    main()
