"""Hostile: hangs while loading, without using any CPU (only the wall clock can stop it)."""
import time

time.sleep(10_000)
