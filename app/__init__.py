"""Pinnwand: live collaboration for moderated design-thinking workshops.

This package's ``__init__`` stays import-light on purpose: the console script imports it
before ``pinnwand.cli`` can monkey-patch the standard library for eventlet or gevent, so nothing
here may import Flask, SQLAlchemy, sockets or threading users.
"""
