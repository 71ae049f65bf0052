"""Moderator accounts, password hashing and opaque bearer tokens."""
