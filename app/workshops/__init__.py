"""Parallel workshops: creating and changing them, membership, the lock, steps, settings and
columns, the board a new workshop starts with, and the cockpit's figures."""
