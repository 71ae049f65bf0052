"""Dot voting on ideas and clusters, with a budget and a per-target cap, secret until revealed."""
