"""Hostile: forks a child (that would outlive the time limit) when loaded."""
import os
import time

if os.fork() == 0:
    time.sleep(10_000)
