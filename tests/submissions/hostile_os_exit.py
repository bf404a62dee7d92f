"""Hostile: leaves with os._exit(0) (no exception, no clean-up) as soon as it is loaded."""
import os

print("submission,passed,score,max_score,status,feedback")
os._exit(0)
