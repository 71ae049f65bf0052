"""Ideas posted to a workshop's board, and curating them (edit, withdraw, restore, merge, move)."""
