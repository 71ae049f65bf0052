"""Ideas posted to a workshop's board, and the idempotency record of each client operation."""
