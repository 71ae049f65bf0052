"""Parallel workshops: membership, lock state and the per-workshop change log (``seq``)."""
