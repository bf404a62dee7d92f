"""Hostile: tries to starve the other submissions and the grader: pins every process of its own user (the
siblings, which run as the same user) and its parent to one CPU, gives them the lowest priority (nice 19)
and the SCHED_IDLE policy, through os, through posix, and through a fresh copy of posix. Python raises no
audit event for these calls; the grader removes them before the submission runs and the kernel (seccomp)
refuses them. The class itself is correct, so it passes, with what was blocked noted for the teacher."""
import os
import sys

import numpy as np


def targets():
    pids = {os.getppid()}
    try:
        names = os.listdir("/proc")  # refused too (outside what a submission may read): the parent remains
    except OSError:
        names = []
    for name in names:
        if name.isdigit() and int(name) != os.getpid():
            try:
                if os.stat(f"/proc/{name}").st_uid == os.getuid():
                    pids.add(int(name))
            except OSError:
                pass
    return sorted(pids)


def starve(module):
    for pid in targets():
        for attempt in (
            lambda: module.sched_setaffinity(pid, {0}),
            lambda: module.setpriority(os.PRIO_PROCESS, pid, 19),
            lambda: module.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0)),
            lambda: module.sched_setparam(pid, os.sched_param(0)),
        ):
            try:
                attempt()
            except (OSError, AttributeError, TypeError):
                pass


starve(os)
starve(sys.modules["posix"])
try:
    del sys.modules["posix"]
    import posix as fresh

    starve(fresh)
except (ImportError, PermissionError):
    pass


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        self.W_xh = np.zeros((hidden_size, input_size))
        self.W_hh = np.zeros((hidden_size, hidden_size))
        self.W_hy = np.zeros((output_size, hidden_size))
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        h = np.zeros((self.W_hh.shape[0], 1))
        self.last_inputs, self.last_hiddens, outputs = [], [h], []
        for x_t in x:
            x_t = np.asarray(x_t).reshape(-1, 1)
            h = np.tanh(self.W_xh @ x_t + self.W_hh @ h + self.b_h)
            self.last_inputs.append(x_t)
            self.last_hiddens.append(h)
            outputs.append(self.W_hy @ h + self.b_y)
        self.last_outputs = outputs
        return np.array(outputs)

    def backward(self, x, y, learning_rate):
        grads = {n: np.zeros_like(getattr(self, n)) for n in ("W_xh", "W_hh", "W_hy", "b_h", "b_y")}
        dh_next = np.zeros_like(self.b_h)
        for t in reversed(range(len(self.last_inputs))):
            dy = self.last_outputs[t] - np.asarray(y[t]).reshape(-1, 1)
            grads["W_hy"] += dy @ self.last_hiddens[t + 1].T
            grads["b_y"] += dy
            dh = self.W_hy.T @ dy + dh_next
            dh_raw = (1 - self.last_hiddens[t + 1] ** 2) * dh
            grads["W_xh"] += dh_raw @ self.last_inputs[t].T
            grads["W_hh"] += dh_raw @ self.last_hiddens[t].T
            grads["b_h"] += dh_raw
            dh_next = self.W_hh.T @ dh_raw
        for name, grad in grads.items():
            setattr(self, name, getattr(self, name) - learning_rate * grad)
