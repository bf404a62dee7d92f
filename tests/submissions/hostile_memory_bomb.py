"""Hostile: asks for far more memory than any limit allows, a little at a time."""
blocks = []
while True:
    blocks.append(bytearray(50 * 1024 * 1024))
