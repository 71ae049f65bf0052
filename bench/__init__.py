"""Load and growth benchmarks for Pinnwand, and the bare-stack floor they are compared with.

- :mod:`bench.loadgen` — real Socket.IO phones (python-socketio ``AsyncClient``) in worker
  processes; ack and fan-out latency, delivery checks.
- :mod:`bench.floor_server` — bare python-socketio doing the least the protocol needs.
- :mod:`bench.run` — the one command: ``python -m bench.run --scenario standard``.

Nothing here is imported by the server; ``app/`` never imports ``bench``.
"""
