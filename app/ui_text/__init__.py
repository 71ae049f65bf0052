"""Translated strings of the facilitation screens' scripts, one module per audience.

Each module's ``messages()`` returns a flat dict of keys to translated strings; :mod:`pinnwand.i18n`
serves them as the groups ``phone_steps``, ``staff_steps`` and ``plenary``.
"""
