"""The board core: what every domain's changes of a board go through, below every domain.

- :mod:`~pinnwand.board.seq` numbers a workshop's changes (``seq``), in the database;
- :mod:`~pinnwand.board.changes` is a numbered change and the change log clients catch up from;
- :mod:`~pinnwand.board.visibility` is the one rule of who sees what;
- :mod:`~pinnwand.board.rules` are the step rules (locked, which step allows what);
- :mod:`~pinnwand.board.names` names every change, :mod:`~pinnwand.board.rooms` every room;
- :mod:`~pinnwand.board.operations` is idempotency by ``op_id``;
- :mod:`~pinnwand.board.write` is the one write path (lock → transaction → publish → cockpit),
  with :mod:`~pinnwand.board.group_commit` on SQLite and :mod:`~pinnwand.board.publish`
  sending each audience its variant.

The board core imports nothing but the database plumbing, the errors and the models
(``tests/unit/test_import_graph.py`` holds it to that).
"""
