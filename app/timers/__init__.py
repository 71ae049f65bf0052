"""Countdowns per workshop or for all workshops of an event, with an optional lock at the end."""
