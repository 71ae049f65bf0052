"""Integration tests: real `pinnwand serve` processes and python-socketio clients."""
